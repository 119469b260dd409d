import { pdfNumber } from './pdfSyntax';
import type { SignatureStamp } from './signField';
import { type StampFont, winAnsiHexString, wrapText } from './winAnsi';

/** Helvetica and Helvetica-Bold as /F1 and /F2, standard fonts with WinAnsi text, so nothing is embedded. */
export const FONT_RESOURCES =
  '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' +
  ' /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >> >>';

const PADDING = 6;

// Finnish municipalities sign in Finnish time; the offset is shown because it changes with DST.
const helsinkiTime = new Intl.DateTimeFormat('fi-FI', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

/** 12.3.2025 14.05.07 (UTC+02:00) */
export function formatStampTime(date: Date): string {
  const part: Record<string, string> = {};
  for (const { type, value } of helsinkiTime.formatToParts(date)) part[type] = value;
  const offset = (part.timeZoneName ?? 'GMT').replace('GMT', 'UTC').replace('.', ':');
  return `${part.day}.${part.month}.${part.year} ${part.hour}.${part.minute}.${part.second} (${offset === 'UTC' ? 'UTC+00:00' : offset})`;
}

interface StampLine {
  text: string;
  size: number;
  font: StampFont;
}

function stampLines(stamp: SignatureStamp): StampLine[] {
  const lines: StampLine[] = [
    { text: stamp.signerName, size: 10, font: 'bold' },
    { text: stamp.role, size: 8, font: 'regular' },
    { text: `Allekirjoitettu / Signerad / Signed ${formatStampTime(stamp.signedAt)}`, size: 7, font: 'regular' },
  ];
  if (stamp.identification) lines.push({ text: stamp.identification, size: 7, font: 'regular' });
  const context = [stamp.reason, stamp.location].filter((part): part is string => Boolean(part && part.trim())).join(' – ');
  if (context) lines.push({ text: context, size: 7, font: 'regular' });
  return lines;
}

const SMALLEST_SCALE = 0.5;

/**
 * The stamp's lines as drawn: each text wrapped to the box's width, and the
 * whole made smaller step by step until it fits the box's height, so a long
 * name, role or reason is shown whole rather than cut with "…" (issue 15, C10).
 */
export function stampLayout(lines: StampLine[], width: number, height: number): (StampLine & { gap: number })[] {
  let laidOut: (StampLine & { gap: number })[] = [];
  for (let scale = 1; scale >= SMALLEST_SCALE - 1e-9; scale -= 0.05) {
    laidOut = lines.flatMap((line) =>
      wrapText(line.text, line.size * scale, line.font, width).map((text) => ({ ...line, text, size: line.size * scale, gap: 2 * scale })),
    );
    if (laidOut.reduce((sum, line) => sum + line.size + line.gap, 0) <= height + 2) break;
  }
  return laidOut;
}

/**
 * The form XObject that becomes the widget's /AP /N: a framed box with the
 * signer's name, role and time, in standard Helvetica so nothing is embedded.
 * Returns the complete object body (dictionary and stream).
 */
export function stampAppearanceObject(rect: readonly [number, number, number, number], stamp: SignatureStamp): Buffer {
  const width = Math.abs(rect[2] - rect[0]);
  const height = Math.abs(rect[3] - rect[1]);
  let content =
    `q 0.95 0.97 1 rg 0 0 ${pdfNumber(width)} ${pdfNumber(height)} re f` +
    ` 0.13 0.27 0.53 RG 1 w 0.5 0.5 ${pdfNumber(width - 1)} ${pdfNumber(height - 1)} re S Q\n`;
  let baseline = height - PADDING;
  content += '0.1 0.1 0.1 rg\n';
  for (const line of stampLayout(stampLines(stamp), width - 2 * PADDING, height - 2 * PADDING)) {
    baseline -= line.size + line.gap;
    content += `BT /${line.font === 'bold' ? 'F2' : 'F1'} ${pdfNumber(line.size)} Tf ${PADDING} ${pdfNumber(baseline)} Td ${winAnsiHexString(line.text)} Tj ET\n`;
  }
  return Buffer.from(
    `<< /Type /XObject /Subtype /Form /BBox [0 0 ${pdfNumber(width)} ${pdfNumber(height)}] /Resources << ${FONT_RESOURCES} >>` +
      ` /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    'latin1',
  );
}
