import { pdfDate, pdfTextString } from '../../signing/pdfSyntax';
import { formatStampTime, stampAppearanceObject } from '../../signing/stampAppearance';
import { fitText, textWidth, toWinAnsiText, winAnsiHexString } from '../../signing/winAnsi';

describe('stamp text for Helvetica with WinAnsiEncoding', () => {
  it.each([
    ['äöå', '<e4f6e5>'],
    ['ÄÖÅ', '<c4d6c5>'],
    ['Šárka Žižková', '<8ae1726b61208e699e6b6f76e1>'],
    ['(a) \\ b', '<286129205c2062>'],
    ['€ – …', '<8020962085>'],
  ])('encodes %s as %s', (text, hex) => {
    expect(winAnsiHexString(text)).toBe(hex);
  });

  it('replaces characters outside WinAnsi instead of failing', () => {
    expect(toWinAnsiText('Łukasz 山田 ő')).toBe('?ukasz ?? ?');
    expect(toWinAnsiText('rivi\nrivi')).toBe('rivi rivi');
  });

  it('combines decomposed letters before encoding', () => {
    expect(winAnsiHexString('a\u0308')).toBe('<e4>');
  });

  it('shortens text with an ellipsis to the box width', () => {
    const long = 'Pöytäkirjantarkastaja ja varapuheenjohtaja, tekninen lautakunta';
    const fitted = fitText(long, 10, 'bold', 120);
    expect(fitted.endsWith('…')).toBe(true);
    expect(textWidth(fitted, 10, 'bold')).toBeLessThanOrEqual(120);
    expect(fitText('Lyhyt', 10, 'bold', 120)).toBe('Lyhyt');
  });
});

describe('stamps that fit their text (issue 15, C10)', () => {
  it('wraps and shrinks a long name, role and reason to the box, whole, without "…"', () => {
    const stamp = {
      signerName: 'Anna-Maria Kristiina Väisänen-Björkqvist',
      role: 'Pöytäkirjantarkastaja ja varapuheenjohtaja, tekninen lautakunta / Protokolljusterare / Minute-checker',
      signedAt: new Date('2026-11-30T12:00:00Z'),
      reason: 'Pöytäkirja tarkastettu / Protokollet justerat / Minutes checked',
      location: 'Esimerkkilän kunta, kunnantalo, valtuustosali',
    };
    const object = stampAppearanceObject([0, 0, 236, 64], stamp).toString('latin1');
    const drawn = [...object.matchAll(/\/(F\d) ([\d.]+) Tf [\d.]+ ([\d.-]+) Td <([0-9a-f]+)> Tj/g)].map((m) => ({
      font: m[1] === 'F2' ? ('bold' as const) : ('regular' as const),
      size: Number(m[2]),
      baseline: Number(m[3]),
      text: Buffer.from(m[4], 'hex').toString('latin1'),
    }));
    const all = drawn.map((d) => d.text).join(' ');
    expect(all).not.toContain('\u0085'); // WinAnsi's "…"
    for (const part of [stamp.signerName, stamp.role, stamp.reason, stamp.location])
      expect(all.replace(/\s+/g, ' ')).toContain(toWinAnsiText(part));
    for (const line of drawn) expect(textWidth(line.text, line.size, line.font)).toBeLessThanOrEqual(236 - 12);
    expect(Math.min(...drawn.map((d) => d.baseline))).toBeGreaterThanOrEqual(0);
  });

  it('leaves a short stamp at its full size on one line each', () => {
    const object = stampAppearanceObject([0, 0, 236, 64], { signerName: 'Maija', role: 'Työntekijä', signedAt: new Date() }).toString(
      'latin1',
    );
    expect(object.match(/ Tj /g)).toHaveLength(3);
    expect(object).toContain('/F2 10 Tf');
  });
});

describe('PDF syntax', () => {
  it('writes ASCII text strings as literals and others as UTF-16BE', () => {
    expect(pdfTextString('Espoo (kunta)')).toBe('(Espoo \\(kunta\\))');
    expect(pdfTextString('Åbo')).toBe('<FEFF00C50062006F>');
  });

  it('writes dates in UTC', () => {
    expect(pdfDate(new Date('2025-03-12T12:05:07.900Z'))).toBe("D:20250312120507+00'00'");
  });

  it('shows Finnish time with its offset in the stamp', () => {
    expect(formatStampTime(new Date('2025-01-15T10:00:00Z'))).toBe('15.1.2025 12.00.00 (UTC+02:00)');
    expect(formatStampTime(new Date('2025-07-15T10:00:00Z'))).toBe('15.7.2025 13.00.00 (UTC+03:00)');
  });

  it('builds a stamp whose /Length matches its stream', () => {
    const object = stampAppearanceObject([0, 0, 236, 64], {
      signerName: 'Äijä',
      role: 'Rooli',
      signedAt: new Date(),
      reason: 'Syy',
    }).toString('latin1');
    const length = Number(/\/Length (\d+)/.exec(object)![1]);
    const stream = object.slice(object.indexOf('stream\n') + 7, object.lastIndexOf('\nendstream'));
    expect(stream.length).toBe(length);
    expect(object).toContain('/BBox [0 0 236 64]');
    expect(object).toContain('<c4696ae4> Tj');
  });
});
