import { pdfNumber } from './pdfSyntax';
import { FONT_RESOURCES, stampLayout } from './stampAppearance';
import { type StampFont, winAnsiHexString } from './winAnsi';

/**
 * The signatures page(s) added at the end of a document: a title, a
 * subtitle, and per planned signature a label above an empty box where the
 * signature's stamp will appear. Written as plain content operators in the
 * standard Helvetica fonts, so a page is two small objects and nothing is
 * embedded.
 */

export const DEFAULT_SIGNATURE_PAGE_TITLE = 'Allekirjoitukset / Underskrifter / Signatures';
const SUBTITLE = 'Sähköiset allekirjoitukset ja sinetti / Elektroniska underskrifter och sigill / Electronic signatures and seal';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BOX_WIDTH = 236;
const BOX_HEIGHT = 64;
const COLUMN_GAP = 11.28;
const LABEL_HEIGHT = 14;
const ROW_GAP = 18;
const FIRST_ROW_TOP = A4[1] - MARGIN - 62;
const ROWS_PER_PAGE = Math.floor((FIRST_ROW_TOP - MARGIN) / (LABEL_HEIGHT + BOX_HEIGHT + ROW_GAP));
const FIELDS_PER_PAGE = ROWS_PER_PAGE * 2;
/** A long title or subtitle is made smaller and wrapped within these heights, above the first row's labels. */
const TITLE_HEIGHT = 22;
const SUBTITLE_HEIGHT = 14;
/** A long label grows upwards from its line above the box, into the gap between the rows. */
const LABEL_AREA_HEIGHT = LABEL_HEIGHT + 8;

export type Rect = [number, number, number, number];

export interface SignaturePageLayout<Field> {
  /** The page's content stream. */
  content: string;
  boxes: { field: Field; rect: Rect }[];
}

const round = (value: number) => Math.round(value * 100) / 100;

// Labels and titles repeat from document to document; fitting and encoding them is most of the layout's cost.
const fittedCache = new Map<string, FittedLine[]>();
const CACHE_LIMIT = 512;

interface FittedLine {
  hex: string;
  size: number;
  gap: number;
}

/**
 * `value` as drawn in a `maxWidth` × `maxHeight` area: whole, made smaller and wrapped as it needs (as the stamps
 * are, stampAppearance.ts), never cut with "…" (issue 15, C10); each line encoded as a WinAnsi hex string.
 */
function fitted(value: string, size: number, font: StampFont, maxWidth: number, maxHeight: number): FittedLine[] {
  const key = `${font} ${size} ${maxWidth} ${maxHeight} ${value}`;
  let lines = fittedCache.get(key);
  if (lines === undefined) {
    lines = stampLayout([{ text: value, size, font }], maxWidth, maxHeight).map((line) => ({
      hex: winAnsiHexString(line.text),
      size: line.size,
      gap: line.gap,
    }));
    if (fittedCache.size >= CACHE_LIMIT) fittedCache.clear();
    fittedCache.set(key, lines);
  }
  return lines;
}

/** Lines drawn downwards, the first one's top at `top`. */
function linesFrom(top: number, font: StampFont, x: number, lines: FittedLine[]): string {
  let baseline = top;
  return lines
    .map((line, index) => {
      baseline -= line.size + (index > 0 ? line.gap : 0);
      return text(font, line.size, x, baseline, line.hex);
    })
    .join('');
}

/** Lines drawn upwards, the last one's baseline at `baseline`. */
function linesUpTo(baseline: number, font: StampFont, x: number, lines: FittedLine[]): string {
  let at = baseline;
  const drawn: string[] = [];
  for (let index = lines.length - 1; index >= 0; index--) {
    drawn.unshift(text(font, lines[index].size, x, at, lines[index].hex));
    at += lines[index].size + lines[index].gap;
  }
  return drawn.join('');
}

function text(font: StampFont, size: number, x: number, y: number, hex: string): string {
  return `BT /${font === 'bold' ? 'F2' : 'F1'} ${pdfNumber(size)} Tf ${pdfNumber(x)} ${pdfNumber(y)} Td ${hex} Tj ET\n`;
}

/** The pages for these fields, in order, as many per page as fit. */
export function layoutSignaturePages<Field extends { label: string }>(fields: Field[], title: string): SignaturePageLayout<Field>[] {
  const width = A4[0] - 2 * MARGIN;
  const heading =
    '0 0 0 rg\n' +
    linesFrom(A4[1] - MARGIN, 'bold', MARGIN, fitted(title, 16, 'bold', width, TITLE_HEIGHT)) +
    '0.35 0.35 0.35 rg\n' +
    linesFrom(A4[1] - MARGIN - 26, 'regular', MARGIN, fitted(SUBTITLE, 8, 'regular', width, SUBTITLE_HEIGHT));
  const pages: SignaturePageLayout<Field>[] = [];
  fields.forEach((field, index) => {
    const slot = index % FIELDS_PER_PAGE;
    if (slot === 0) pages.push({ content: heading, boxes: [] });
    const page = pages[pages.length - 1];
    const x = MARGIN + (slot % 2) * (BOX_WIDTH + COLUMN_GAP);
    const top = FIRST_ROW_TOP - Math.floor(slot / 2) * (LABEL_HEIGHT + BOX_HEIGHT + ROW_GAP);
    const y = top - LABEL_HEIGHT - BOX_HEIGHT;
    page.content +=
      '0.15 0.15 0.15 rg\n' +
      linesUpTo(top - 10, 'bold', x, fitted(field.label, 9, 'bold', BOX_WIDTH, LABEL_AREA_HEIGHT)) +
      `q 0.6 0.6 0.6 RG 0.5 w ${pdfNumber(x)} ${pdfNumber(y)} ${BOX_WIDTH} ${BOX_HEIGHT} re S Q\n`;
    page.boxes.push({ field, rect: [x, y, x + BOX_WIDTH, y + BOX_HEIGHT].map(round) as Rect });
  });
  return pages;
}

/**
 * The page dictionary. Everything a page could inherit from the page tree
 * (/Resources, /MediaBox, /CropBox, /Rotate) is set here, so the document's
 * own defaults cannot turn or crop the signatures page.
 */
export function signaturePageDictionary(
  parentNumber: number,
  parentGeneration: number,
  contentNumber: number,
  annotations: number[],
): string {
  const box = `[0 0 ${A4[0]} ${A4[1]}]`;
  return (
    `<< /Type /Page /Parent ${parentNumber} ${parentGeneration} R /MediaBox ${box} /CropBox ${box} /Rotate 0` +
    ` /Resources << ${FONT_RESOURCES} /ProcSet [/PDF /Text] >> /Contents ${contentNumber} 0 R` +
    ` /Annots [${annotations.map((number) => `${number} 0 R`).join(' ')}] >>`
  );
}

export function contentStreamObject(content: string): Buffer {
  return Buffer.from(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`, 'latin1');
}
