import { PDFDocument } from 'pdf-lib';
import { loadOrCreateDevelopmentCredentials, type SigningCredentials } from '../../signing/credentials';
import { inspectPdf, PdfError, type PdfErrorCode } from '../../signing/errors';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import type { SignaturePlan } from '../../signing/signatureFieldPlan';
import { signField, type SignatureStamp } from '../../signing/signField';
import { appendPagesIncrementally } from '../../signing/appendPages';
import { encryptWithQpdf, makeTextPdf, temporaryDirectory } from './signingFixtures';

const STAMP: SignatureStamp = { signerName: 'Maija Meikäläinen', role: 'Sihteeri', signedAt: new Date() };

async function rejection(promise: Promise<unknown>): Promise<PdfError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PdfError);
  return error as PdfError;
}

function thrown(action: () => unknown): PdfError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(PdfError);
    return error as PdfError;
  }
  throw new Error('expected a PdfError');
}

describe('bad input gives typed errors', () => {
  let credentials: SigningCredentials;
  let original: Uint8Array;
  let prepared: Buffer;
  let plan: SignaturePlan;

  beforeAll(async () => {
    credentials = await loadOrCreateDevelopmentCredentials(temporaryDirectory('credentials'), 'Esimerkkikunta');
    original = await makeTextPdf(2);
    ({ pdf: prepared, plan } = await prepareSignatureFields(original, [
      { name: 'signer-1', label: 'Allekirjoittaja' },
      { name: 'organisation-seal', label: 'Sinetti' },
    ]));
  });

  it('inspectPdf describes a good PDF', async () => {
    const inspection = await inspectPdf(original);
    expect(inspection.pageCount).toBe(2);
    expect(inspection.pageSizes[0]).toEqual({ width: 595.28, height: 841.89 });
  });

  it.each<[string, () => Uint8Array, PdfErrorCode]>([
    ['a text file', () => Buffer.from('Hei, tämä ei ole PDF.\n'), 'not_pdf'],
    ['an empty file', () => Buffer.alloc(0), 'not_pdf'],
    ['a PNG', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'not_pdf'],
    ['a PDF header followed by garbage', () => Buffer.from('%PDF-1.7\n%garbage without any objects\n'), 'malformed'],
  ])('inspectPdf rejects %s', async (_, bytes, code) => {
    expect((await rejection(inspectPdf(bytes()))).code).toBe(code);
  });

  it('rejects a PDF encrypted with qpdf, on upload and in preparation', async () => {
    const encrypted = encryptWithQpdf(original);
    const onUpload = await rejection(inspectPdf(encrypted));
    expect(onUpload.code).toBe('encrypted');
    expect(onUpload.message).toMatch(/encrypted/);
    expect((await rejection(prepareSignatureFields(encrypted, [{ name: 'a', label: 'A' }]))).code).toBe('encrypted');
  });

  it('rejects an unknown field', () => {
    const error = thrown(() => signField(prepared, plan, 'signer-9', STAMP, credentials));
    expect(error.code).toBe('unknown_field');
    expect(error.message).toContain('signer-9');
  });

  it('rejects signing a field twice, also after other updates', async () => {
    const once = signField(prepared, plan, 'signer-1', STAMP, credentials);
    expect(thrown(() => signField(once, plan, 'signer-1', STAMP, credentials)).code).toBe('field_already_signed');
    const sealed = signField(once, plan, 'organisation-seal', STAMP, credentials);
    expect(thrown(() => signField(sealed, plan, 'signer-1', STAMP, credentials)).code).toBe('field_already_signed');
    expect(thrown(() => signField(sealed, plan, 'organisation-seal', STAMP, credentials)).code).toBe('field_already_signed');
  });

  it('rejects a plan that belongs to another document', async () => {
    const other = await prepareSignatureFields(await makeTextPdf(5), [{ name: 'signer-1', label: 'Toinen' }]);
    const error = thrown(() => signField(prepared, other.plan, 'signer-1', STAMP, credentials));
    expect(error.code).toBe('plan_mismatch');
  });

  it('rejects signing a document that was not prepared or is cut short', async () => {
    expect(thrown(() => signField(Buffer.from(original), plan, 'signer-1', STAMP, credentials)).code).toBe('plan_mismatch');
    expect(thrown(() => signField(prepared.subarray(0, prepared.length - 200), plan, 'signer-1', STAMP, credentials)).code).toBe(
      'malformed',
    );
    expect(thrown(() => signField(Buffer.from('no pdf here'), plan, 'signer-1', STAMP, credentials)).code).toBe('not_pdf');
  });

  it('rejects invalid field requests in preparation', async () => {
    for (const fields of [
      [],
      [{ name: 'a.b', label: 'Piste' }],
      [
        { name: 'a', label: 'A' },
        { name: 'a', label: 'B' },
      ],
      [{ name: 'a', label: ' ' }],
    ]) {
      expect((await rejection(prepareSignatureFields(original, fields))).code).toBe('invalid_field');
    }
  });

  it('refuses a field name the document already has', async () => {
    const error = await rejection(prepareSignatureFields(prepared, [{ name: 'organisation-seal', label: 'Toinen sinetti' }]));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('organisation-seal');
  });

  it('fails with signature_too_large when the certificate chain does not fit the reserved space', () => {
    const bloated: SigningCredentials = { ...credentials, chain: Array.from({ length: 12 }, () => credentials.chain[0]) };
    const error = thrown(() => signField(prepared, plan, 'signer-1', STAMP, bloated));
    expect(error.code).toBe('signature_too_large');
    expect(error.message).toMatch(/reserved/);
  });

  it('appendPagesIncrementally rejects a non-PDF page source', async () => {
    expect((await rejection(appendPagesIncrementally(prepared, Buffer.from('nope')))).code).toBe('not_pdf');
    const blank = await PDFDocument.create();
    blank.addPage();
    expect((await rejection(appendPagesIncrementally(prepared.subarray(0, prepared.length - 200), await blank.save()))).code).toBe(
      'malformed',
    );
  });
});
