import { pdfDate, pdfTextString } from '../../signing/pdfSyntax';
import { formatStampTime, stampAppearanceObject } from '../../signing/stampAppearance';
import { layoutSignaturePages } from '../../signing/signaturePage';
import { textWidth, toWinAnsiText, winAnsiHexString } from '../../signing/winAnsi';

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

  it('writes the signature page\'s long title and labels whole, smaller or wrapped, without "…"', () => {
    const title =
      'Allekirjoitukset / Underskrifter / Signatures: Teknisen lautakunnan pöytäkirja 12/2026, Esimerkkilän kunta, kokous kunnantalon valtuustosalissa';
    const labels = [
      'Pöytäkirjantarkastaja ja varapuheenjohtaja / Protokolljusterare: Anna-Maria Kristiina Väisänen-Björkqvist',
      'Puheenjohtaja / Ordförande: Pekka Mäkinen',
    ];
    const [page] = layoutSignaturePages(
      labels.map((label) => ({ label })),
      title,
    );
    const drawn = [...page.content.matchAll(/\/(F\d) ([\d.]+) Tf ([\d.]+) ([\d.]+) Td <([0-9a-f]+)> Tj/g)].map((m) => ({
      font: m[1] === 'F2' ? ('bold' as const) : ('regular' as const),
      size: Number(m[2]),
      x: Number(m[3]),
      baseline: Number(m[4]),
      text: Buffer.from(m[5], 'hex').toString('latin1'),
    }));
    const all = drawn.map((d) => d.text).join(' ');
    expect(all).not.toContain('\u0085'); // WinAnsi's "…"
    for (const part of [title, ...labels]) expect(all.replace(/\s+/g, ' ')).toContain(toWinAnsiText(part));
    // Each line within its column (the title the page's width, a label its box's), none drawn over another.
    for (const line of drawn) expect(line.x + textWidth(line.text, line.size, line.font)).toBeLessThanOrEqual(595.28 - 56 + 0.01);
    const labelLines = drawn.filter((d) => d.size <= 9 && d.font === 'bold');
    for (const line of labelLines) expect(textWidth(line.text, line.size, line.font)).toBeLessThanOrEqual(236 + 0.01);
    const baselines = drawn.filter((d) => d.x === 56).map((d) => d.baseline);
    for (let i = 1; i < baselines.length; i++) expect(baselines[i - 1] - baselines[i]).toBeGreaterThanOrEqual(drawn[i].size);
    // The label stays above its box.
    const [box] = page.boxes;
    expect(Math.min(...labelLines.filter((d) => d.x === box.rect[0]).map((d) => d.baseline))).toBeGreaterThan(box.rect[3]);
  });

  it('leaves a short title and label at their full size on one line each', () => {
    const [page] = layoutSignaturePages([{ label: 'Työntekijä / Arbetstagare / Employee' }], 'Allekirjoitukset');
    expect(page.content).toContain('/F2 16 Tf');
    expect(page.content).toContain('/F2 9 Tf');
    expect(page.content.match(/ Tj /g)).toHaveLength(3);
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
