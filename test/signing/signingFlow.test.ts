import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { appendPagesIncrementally } from '../../signing/appendPages';
import { loadOrCreateDevelopmentCredentials, type SigningCredentials } from '../../signing/credentials';
import { inspectPdf } from '../../signing/errors';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import type { SignaturePlan } from '../../signing/signatureFieldPlan';
import { signField } from '../../signing/signField';
import { makeTextPdf, pdfsig, pdfText, qpdfCheck, temporaryDirectory } from './signingFixtures';

const FIELDS = [
  { name: 'signer-1', label: 'Puheenjohtaja / Ordförande' },
  { name: 'signer-2', label: 'Pöytäkirjantarkastaja / Protokolljusterare' },
  { name: 'organisation-seal', label: 'Esimerkkikunnan sinetti' },
];

async function auditPage(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage().drawText('Tarkastusloki / Granskningslogg / Audit certificate', { x: 56, y: 780, size: 14, font });
  return document.save();
}

/** Digs the CMS out of the n-th signature's /Contents, as a verifier would. */
function signatureContents(pdf: Buffer, index: number): forge.asn1.Asn1 {
  const matches = [...pdf.toString('latin1').matchAll(/\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/g)];
  const [, start, end] = matches[index].map(Number);
  const hex = pdf.toString('latin1', start + 1, end - 1).replace(/(00)+$/, '');
  return forge.asn1.fromDer(Buffer.from(hex, 'hex').toString('binary'));
}

function derOf(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

describe('signing a document field by field', () => {
  let credentials: SigningCredentials;
  let original: Uint8Array;
  let prepared: Buffer;
  let plan: SignaturePlan;
  let afterFirst: Buffer;
  let afterSecond: Buffer;
  let withAudit: Buffer;
  let sealed: Buffer;

  beforeAll(async () => {
    credentials = await loadOrCreateDevelopmentCredentials(temporaryDirectory('credentials'), 'Esimerkkikunta');
    original = await makeTextPdf(3);
    ({ pdf: prepared, plan } = await prepareSignatureFields(original, FIELDS));
    afterFirst = signField(
      prepared,
      plan,
      'signer-1',
      { signerName: 'Äijä Öhman', role: 'Puheenjohtaja', signedAt: new Date('2025-03-12T12:05:07Z') },
      credentials,
    );
    afterSecond = signField(
      afterFirst,
      plan,
      'signer-2',
      {
        signerName: 'Åsa Ström',
        role: 'Pöytäkirjantarkastaja',
        signedAt: new Date('2025-03-13T08:00:00Z'),
        reason: 'Tarkastettu',
        location: 'Espoo',
      },
      credentials,
    );
    withAudit = await appendPagesIncrementally(afterSecond, await auditPage());
    sealed = signField(
      withAudit,
      plan,
      'organisation-seal',
      { signerName: credentials.subjectName, role: 'Organisaation sinetti', signedAt: new Date() },
      credentials,
    );
  });

  it('plans one field per signer plus the seal on an added signatures page', async () => {
    expect(plan.fields.map((field) => field.name)).toEqual(FIELDS.map((field) => field.name));
    expect(new Set(plan.fields.map((field) => field.objectNumber)).size).toBe(3);
    expect(new Set(plan.fields.map((field) => field.pageObjectNumber)).size).toBe(1);
    expect((await inspectPdf(prepared)).pageCount).toBe(4);

    const document = await PDFDocument.load(prepared);
    const form = document.getForm();
    expect(form.acroForm.dict.toString()).toMatch(/\/SigFlags 3/);
    const fieldNames = form.acroForm.getAllFields().map(([field]) => field.getFullyQualifiedName());
    expect(fieldNames).toEqual(FIELDS.map((field) => field.name));
    expect(pdfText(prepared, 4)).toContain('Allekirjoitukset / Underskrifter / Signatures');
    expect(pdfText(prepared, 4)).toContain('Pöytäkirjantarkastaja / Protokolljusterare');
  });

  it('prepares by appending to the original, with a cross-reference stream like the original has', () => {
    expect(prepared.subarray(0, original.length).equals(Buffer.from(original))).toBe(true);
    const update = prepared.toString('latin1', original.length);
    expect(update).toMatch(/\/Type \/XRef\b/);
    expect(update).not.toMatch(/\nxref\n/);
  });

  it('never rewrites earlier bytes: every step only appends', () => {
    expect(afterFirst.subarray(0, prepared.length).equals(prepared)).toBe(true);
    expect(afterSecond.subarray(0, afterFirst.length).equals(afterFirst)).toBe(true);
    expect(withAudit.subarray(0, afterSecond.length).equals(afterSecond)).toBe(true);
    expect(sealed.subarray(0, withAudit.length).equals(withAudit)).toBe(true);
  });

  it('makes each signature valid for pdfsig as it is added, covering the whole document at that point', () => {
    const first = pdfsig(afterFirst);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      fieldName: 'signer-1',
      validation: 'Signature is Valid.',
      totalDocumentSigned: true,
      subFilter: 'ETSI.CAdES.detached',
    });

    const second = pdfsig(afterSecond);
    expect(second.map((signature) => signature.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(second.map((signature) => signature.totalDocumentSigned)).toEqual([false, true]);
  });

  it('keeps all signatures valid after the audit page and the seal; only the seal covers everything', async () => {
    const signatures = pdfsig(sealed);
    expect(signatures.map((signature) => signature.fieldName)).toEqual(['signer-1', 'signer-2', 'organisation-seal']);
    for (const signature of signatures) {
      expect(signature.validation).toBe('Signature is Valid.');
      expect(signature.subFilter).toBe('ETSI.CAdES.detached');
      expect(signature.commonName).toBe('Esimerkkikunta');
    }
    expect(signatures.map((signature) => signature.totalDocumentSigned)).toEqual([false, false, true]);
    expect((await inspectPdf(sealed)).pageCount).toBe(5);
    expect(pdfText(sealed, 5)).toContain('Tarkastusloki / Granskningslogg / Audit certificate');
  });

  it('passes qpdf --check at every step', () => {
    for (const pdf of [prepared, afterFirst, afterSecond, withAudit, sealed]) {
      const check = qpdfCheck(pdf);
      expect(check.output).toContain('No syntax or stream encoding errors found');
      expect(check.ok).toBe(true);
    }
  });

  it("draws the stamp with Finnish and Swedish letters in the signer's box", () => {
    const page = pdfText(sealed, 4);
    expect(page).toContain('Äijä Öhman');
    expect(page).toContain('Åsa Ström');
    expect(page).toContain('Tarkastettu – Espoo');
    expect(page).toContain('12.3.2025 14.05.07 (UTC+02:00)');
  });

  it('embeds a PAdES B-B SignedData with the dev CA chain and no signing-time attribute', () => {
    const contentInfo = signatureContents(sealed, 2);
    const [contentType, wrapped] = contentInfo.value as forge.asn1.Asn1[];
    expect(forge.asn1.derToOid(contentType.value as string)).toBe('1.2.840.113549.1.7.2');
    const signedData = (wrapped.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const certificates = (signedData[3].value as forge.asn1.Asn1[]).map(derOf);
    expect(certificates).toHaveLength(2);
    expect(certificates[0].equals(credentials.certificate)).toBe(true);
    expect(certificates[1].equals(credentials.chain[0])).toBe(true);
    const caSubject = forge.pki.certificateFromAsn1(forge.asn1.fromDer(certificates[1].toString('binary'))).subject.getField('CN').value;
    expect(caSubject).toBe('Esimerkkikunta Sinetti Development CA');

    const signerInfo = (signedData[4].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const attributeOids = (signerInfo[3].value as forge.asn1.Asn1[]).map((attribute) =>
      forge.asn1.derToOid((attribute.value as forge.asn1.Asn1[])[0].value as string),
    );
    expect(attributeOids.sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4'].sort());
    expect(attributeOids).not.toContain('1.2.840.113549.1.9.5');
    expect(sealed.toString('latin1')).toMatch(/\/M \(D:\d{14}\+00'00'\)/);
  });
});

describe('many signers', () => {
  it('continues on further signatures pages, and a field there signs validly', async () => {
    const credentials = await loadOrCreateDevelopmentCredentials(temporaryDirectory('credentials'), 'Esimerkkikunta');
    const fields = Array.from({ length: 16 }, (_, index) => ({ name: `member-${index + 1}`, label: `Jäsen ${index + 1}` }));
    const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1), [...fields, { name: 'organisation-seal', label: 'Sinetti' }]);
    expect((await inspectPdf(pdf)).pageCount).toBe(3);
    expect(new Set(plan.fields.map((field) => field.pageObjectNumber)).size).toBe(2);
    const last = plan.fields[plan.fields.length - 1];
    expect(last.pageObjectNumber).not.toBe(plan.fields[0].pageObjectNumber);

    const signed = signField(
      pdf,
      plan,
      'member-16',
      { signerName: 'Jäsen Kuusitoista', role: 'Valtuutettu', signedAt: new Date() },
      credentials,
    );
    const sealed = signField(
      signed,
      plan,
      'organisation-seal',
      { signerName: 'Esimerkkikunta', role: 'Sinetti', signedAt: new Date() },
      credentials,
    );
    expect(pdfsig(sealed).map((signature) => [signature.fieldName, signature.validation])).toEqual([
      ['member-16', 'Signature is Valid.'],
      ['organisation-seal', 'Signature is Valid.'],
    ]);
  });
});
