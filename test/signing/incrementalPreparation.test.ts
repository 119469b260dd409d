import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { loadOrCreateDevelopmentCredentials, type SigningCredentials } from '../../signing/credentials';
import { inspectPdf, PdfError } from '../../signing/errors';
import { readDocumentTail } from '../../signing/incrementalUpdate';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import type { SignaturePlan } from '../../signing/signatureFieldPlan';
import { signField } from '../../signing/signField';
import { encryptWithQpdf, makeTextPdf, pdfsig, pdfText, qpdfCheck, temporaryDirectory, writeTemporaryPdf } from './signingFixtures';

/**
 * Field preparation appends to the original bytes whatever cross-reference
 * form the document has, keeps earlier signatures valid, and falls back to
 * pdf-lib's rewrite only for what it cannot read. Judged by qpdf and pdfsig.
 */

const FIELDS = [
  { name: 'signer-1', label: 'Puheenjohtaja' },
  { name: 'organisation-seal', label: 'Esimerkkikunnan sinetti' },
];

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** qpdf rewrites a file with cross-reference and object streams, the stream compressed with a PNG predictor. */
function withQpdfObjectStreams(bytes: Uint8Array): Buffer {
  const input = writeTemporaryPdf(bytes, 'plain.pdf');
  const output = path.join(path.dirname(input), 'streams.pdf');
  const result = spawnSync('qpdf', ['--object-streams=generate', '--compress-streams=y', input, output], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`qpdf failed: ${result.stderr}`);
  return readFileSync(output);
}

/**
 * A hybrid-reference file (PDF 32000-1, 7.5.8.4), written by hand: the
 * catalog is kept in an object stream that only the trailer's /XRefStm
 * lists; the classic table lists the rest.
 */
function hybridPdf(): Buffer {
  let text = '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n';
  const offsets = new Map<number, number>();
  const add = (objectNumber: number, body: string) => {
    offsets.set(objectNumber, Buffer.byteLength(text, 'latin1'));
    text += `${objectNumber} 0 obj\n${body}\nendobj\n`;
  };
  const content = 'BT /F1 24 Tf 72 720 Td (Hybridi) Tj ET';
  add(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  add(
    3,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R' +
      ' /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
  );
  add(4, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  const members = '1 0 ';
  const catalog = '<< /Type /Catalog /Pages 2 0 R >>';
  add(
    5,
    `<< /Type /ObjStm /N 1 /First ${members.length} /Length ${members.length + catalog.length} >>\nstream\n${members}${catalog}\nendstream`,
  );
  // Object 1: type 2 (compressed), in object stream 5, at index 0.
  add(6, `<< /Type /XRef /Size 7 /W [1 2 1] /Index [1 1] /Length 4 >>\nstream\n\x02\x00\x05\x00\nendstream`);
  const tableAt = Buffer.byteLength(text, 'latin1');
  text += 'xref\n0 1\n0000000000 65535 f \n2 5\n';
  for (let objectNumber = 2; objectNumber <= 6; objectNumber++) text += `${String(offsets.get(objectNumber)).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size 7 /Root 1 0 R /XRefStm ${offsets.get(6)} >>\nstartxref\n${tableAt}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

describe('preparing signature fields as an incremental update', () => {
  let credentials: SigningCredentials;

  beforeAll(async () => {
    credentials = await loadOrCreateDevelopmentCredentials(temporaryDirectory('credentials'), 'Esimerkkikunta');
  });

  function signAll(pdf: Buffer, plan: SignaturePlan): Buffer {
    return plan.fields.reduce(
      (signed, field) =>
        signField(signed, plan, field.name, { signerName: 'Matti Meikäläinen', role: field.label, signedAt: new Date() }, credentials),
      pdf,
    );
  }

  async function classicTablePdf(): Promise<Buffer> {
    return Buffer.from(await (await PDFDocument.load(await makeTextPdf(2))).save({ useObjectStreams: false }));
  }

  it.each<[string, () => Promise<Buffer>, 'stream' | 'table']>([
    ['a cross-reference stream with object streams (pdf-lib)', async () => Buffer.from(await makeTextPdf(2)), 'stream'],
    ['a cross-reference stream with a PNG predictor (qpdf)', async () => withQpdfObjectStreams(await makeTextPdf(2)), 'stream'],
    ['a classic cross-reference table', classicTablePdf, 'table'],
    ['a hybrid file (table with /XRefStm)', () => Promise.resolve(hybridPdf()), 'table'],
  ])('appends to %s without changing a byte of it', async (_, makeInput, form) => {
    const original = await makeInput();
    expect(qpdfCheck(original).ok).toBe(true);
    const pageCount = (await inspectPdf(original)).pageCount;

    const { pdf: prepared, plan } = await prepareSignatureFields(original, FIELDS);
    expect(prepared.subarray(0, original.length).equals(original)).toBe(true);
    const update = prepared.toString('latin1', original.length);
    // The update is written the way the newest section is: never a table after a stream.
    if (form === 'stream') {
      expect(update).toMatch(/\/Type \/XRef\b/);
      expect(update).not.toMatch(/\nxref\n/);
    } else {
      expect(update).toMatch(/\nxref\n/);
      expect(update).not.toMatch(/\/Type \/XRef\b/);
    }
    expect(qpdfCheck(prepared)).toMatchObject({ ok: true });
    expect((await inspectPdf(prepared)).pageCount).toBe(pageCount + 1);
    expect(pdfText(prepared, pageCount + 1)).toContain('Esimerkkikunnan sinetti');

    const signed = signAll(prepared, plan);
    expect(qpdfCheck(signed)).toMatchObject({ ok: true });
    expect(pdfsig(signed).map(({ fieldName, validation }) => [fieldName, validation])).toEqual([
      ['signer-1', 'Signature is Valid.'],
      ['organisation-seal', 'Signature is Valid.'],
    ]);
  });

  it('writes only the new objects and the changed ones', async () => {
    const original = Buffer.from(await makeTextPdf(2));
    const { size, root } = readDocumentTail(original);
    const { pdf: prepared } = await prepareSignatureFields(original, FIELDS);
    const written = [...prepared.toString('latin1', original.length).matchAll(/^(\d+) \d+ obj$/gm)].map(([, number]) => Number(number));
    // Of the original's objects only the catalog (which gets its first form) and the page tree root (which gets the page).
    const rewritten = written.filter((number) => number < size);
    expect(rewritten).toHaveLength(2);
    expect(rewritten).toContain(Number(root.split(' ')[0]));
    // New: the page, its content stream, two fields, the form and the cross-reference stream.
    expect(written.filter((number) => number >= size)).toHaveLength(6);
  });

  it('adds to a form the document already has, and refuses a name it already uses', async () => {
    const document = await PDFDocument.load(await makeTextPdf(1));
    document.getForm().createTextField('hakijan-nimi').addToPage(document.getPage(0), { x: 56, y: 100 });
    const withForm = Buffer.from(await document.save());
    const { pdf, plan } = await prepareSignatureFields(withForm, FIELDS);
    const names = (await PDFDocument.load(pdf))
      .getForm()
      .getFields()
      .map((field) => field.getName());
    expect(names).toEqual(['hakijan-nimi', 'signer-1', 'organisation-seal']);
    expect(pdfsig(signAll(pdf, plan)).map(({ validation }) => validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);

    const refused = await prepareSignatureFields(withForm, [{ name: 'hakijan-nimi', label: 'Hakija' }]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PdfError);
    expect(refused).toMatchObject({ code: 'invalid_field' });
  });

  it('gives a form kept directly in the catalog an object of its own', async () => {
    const document = await PDFDocument.load(await makeTextPdf(1));
    document.getForm().createTextField('liite').addToPage(document.getPage(0), { x: 56, y: 100 });
    const acroForm = document.catalog.lookup(PDFName.of('AcroForm'));
    document.catalog.set(PDFName.of('AcroForm'), acroForm!);
    const direct = Buffer.from(await document.save());
    expect(latin1(direct)).not.toMatch(/\/AcroForm \d+ \d+ R/);
    const { pdf, plan } = await prepareSignatureFields(direct, FIELDS);
    expect(pdf.toString('latin1', direct.length)).toMatch(/\/AcroForm \d+ 0 R/);
    expect(
      (await PDFDocument.load(pdf))
        .getForm()
        .getFields()
        .map((field) => field.getName()),
    ).toEqual(['liite', 'signer-1', 'organisation-seal']);
    expect(qpdfCheck(signAll(pdf, plan))).toMatchObject({ ok: true });
  });

  it('adds fields to an already signed document, and every earlier signature stays valid', async () => {
    const first = await prepareSignatureFields(await makeTextPdf(2), FIELDS);
    const signed = signAll(first.pdf, first.plan);
    const { pdf: again, plan } = await prepareSignatureFields(signed, [
      { name: 'late-signer', label: 'Myöhemmin lisätty allekirjoittaja' },
    ]);
    expect(again.subarray(0, signed.length).equals(signed)).toBe(true);
    expect(plan.fields[0].objectNumber).toBeGreaterThan(Math.max(...first.plan.fields.map((field) => field.objectNumber)));

    const resigned = signField(
      again,
      plan,
      'late-signer',
      { signerName: 'Liisa Lisätty', role: 'Jäsen', signedAt: new Date() },
      credentials,
    );
    expect(qpdfCheck(resigned)).toMatchObject({ ok: true });
    expect(pdfsig(resigned).map(({ fieldName, validation, totalDocumentSigned }) => [fieldName, validation, totalDocumentSigned])).toEqual([
      ['signer-1', 'Signature is Valid.', false],
      ['organisation-seal', 'Signature is Valid.', false],
      ['late-signer', 'Signature is Valid.', true],
    ]);
  });

  it('refuses a certified document: its certification forbids adding a page', async () => {
    const document = await PDFDocument.load(await makeTextPdf(1));
    const signature = document.context.register(document.context.obj({ Type: 'Sig' }));
    document.catalog.set(PDFName.of('Perms'), document.context.obj({ DocMDP: signature }));
    const refused = await prepareSignatureFields(await document.save(), FIELDS).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'contains_signatures' });
  });

  describe('falls back to rewriting the whole file with pdf-lib', () => {
    /** The offset after the last startxref made to point at nothing. */
    function breakStartxref(pdf: Buffer): Buffer {
      const text = pdf.toString('latin1');
      const at = text.lastIndexOf('startxref');
      return Buffer.from(text.slice(0, at) + text.slice(at).replace(/startxref\s+\d+/, 'startxref\n17'), 'latin1');
    }

    it('for a broken cross-reference offset: the rewritten document gets the fields', async () => {
      const broken = breakStartxref(await classicTablePdf());
      const { pdf, plan } = await prepareSignatureFields(broken, FIELDS);
      expect(pdf.subarray(0, broken.length).equals(broken)).toBe(false);
      expect(qpdfCheck(pdf)).toMatchObject({ ok: true });
      const signed = signAll(pdf, plan);
      expect(pdfsig(signed).map(({ validation }) => validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    });

    it('for a trailer /Size smaller than the objects in use, which would let new objects replace old ones', async () => {
      const original = await classicTablePdf();
      const text = original.toString('latin1');
      const trailerAt = text.lastIndexOf('trailer');
      const shrunk = Buffer.from(text.slice(0, trailerAt) + text.slice(trailerAt).replace(/\/Size \d+/, '/Size 3'), 'latin1');
      const { pdf, plan } = await prepareSignatureFields(shrunk, FIELDS);
      expect(pdf.subarray(0, shrunk.length).equals(shrunk)).toBe(false);
      expect((await inspectPdf(pdf)).pageCount).toBe(3);
      expect(pdfsig(signAll(pdf, plan)).map(({ validation }) => validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    });

    it('but refuses a signed document that only the rewrite could read', async () => {
      const { pdf, plan } = await prepareSignatureFields(await classicTablePdf(), FIELDS);
      const refused = await prepareSignatureFields(breakStartxref(signAll(pdf, plan)), [{ name: 'x', label: 'X' }]).catch(
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: 'contains_signatures' });
    });

    it('and refuses an encrypted document as before', async () => {
      const refused = await prepareSignatureFields(encryptWithQpdf(await makeTextPdf(1)), FIELDS).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'encrypted' });
    });
  });
});
