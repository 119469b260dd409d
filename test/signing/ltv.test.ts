import { createHash, X509Certificate } from 'node:crypto';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import { signField } from '../../signing/signField';
import { findSignatures } from '../../signing/pdfSignatures';
import { signatureTimestampOf, signatureValueOf, timestampNewestSignature } from '../../signing/signatureTimestamp';
import { addArchivalTimestamp } from '../../signing/longTermValidity';
import { issueDevelopmentCertificate, revokeDevelopmentCertificate } from '../../signing/developmentPki';
import { validatePdf } from '../../signing/validation/validatePdf';
import { pdfsig, qpdfCheck } from '../support/pdfTools';
import { makeTextPdf } from './signingFixtures';
import { opensslOcspText, opensslVerifyToken, sha256, trustServices } from './ltvFixtures';

type Trust = Awaited<ReturnType<typeof trustServices>>;

function validatePdfExpiry(certificate: Buffer): string {
  return new X509Certificate(certificate).validTo;
}

const FIELDS = [
  { name: 'signer-1', label: 'Työntekijä' },
  { name: 'signer-2', label: 'Työnantaja' },
  { name: 'organisation-seal', label: 'Esimerkkilän kunta' },
];

async function archivalContract(trust: Trust, signerCredentials = trust.pki.seal) {
  const { pdf: prepared, plan } = await prepareSignatureFields(await makeTextPdf(2), FIELDS);
  let pdf = prepared;
  for (const [field, name] of [
    ['signer-1', 'Äijä Öhman'],
    ['signer-2', 'Esimerkkilän kunta / HR'],
  ] as const) {
    pdf = signField(pdf, plan, field, { signerName: name, role: 'Allekirjoittaja', signedAt: new Date() }, signerCredentials);
    pdf = (await timestampNewestSignature(pdf, trust.services.timestamps)).pdf;
  }
  pdf = signField(
    pdf,
    plan,
    'organisation-seal',
    { signerName: trust.pki.seal.subjectName, role: 'Sinetti', signedAt: new Date() },
    trust.pki.seal,
  );
  const sealed = (await timestampNewestSignature(pdf, trust.services.timestamps)).pdf;
  const archival = await addArchivalTimestamp(sealed, trust.services);
  return { sealed, ...archival };
}

/** Every /DSS stream of a kind (/OCSPs, /Certs), read with qpdf's help-free approach: the streams are stored uncompressed. */
function dssStreams(pdf: Buffer, key: 'OCSPs' | 'Certs' | 'CRLs'): Buffer[] {
  const text = pdf.toString('latin1');
  const dss = /\/Type \/DSS ([\s\S]*?)endobj/.exec(text.slice(text.lastIndexOf('/Type /DSS') - 3))?.[1] ?? '';
  const list = new RegExp(`/${key} \\[([^\\]]*)\\]`).exec(dss)?.[1] ?? '';
  return [...list.matchAll(/(\d+) 0 R/g)].map(([, number]) => {
    const at = text.lastIndexOf(`\n${number} 0 obj\n`);
    const start = text.indexOf('stream\n', at) + 'stream\n'.length;
    const length = Number(/\/Length (\d+)/.exec(text.slice(at, start))![1]);
    return pdf.subarray(start, start + length);
  });
}

describe('PAdES B-T, B-LT and B-LTA against the local TSA, OCSP responder and CRL', () => {
  let trust: Trust;
  let result: Awaited<ReturnType<typeof archivalContract>>;

  beforeAll(async () => {
    trust = await trustServices();
    result = await archivalContract(trust);
  });

  it('keeps every CMS signature valid in pdfsig and the file sound in qpdf', async () => {
    const report = await pdfsig(result.pdf);
    const blocks = report.split(/^Signature #\d+:/m).slice(1);
    expect(blocks).toHaveLength(4);
    for (const block of blocks.slice(0, 3)) expect(block).toMatch(/Signature Validation: Signature is Valid/);
    expect((await qpdfCheck(result.pdf)).ok).toBe(true);
  });

  it('has a signature timestamp over each SignatureValue that openssl ts -verify accepts with the local CA', async () => {
    const signatures = findSignatures(result.pdf).filter((signature) => !signature.isDocumentTimestamp);
    expect(signatures).toHaveLength(3);
    for (const signature of signatures) {
      const token = signatureTimestampOf(signature.der)!;
      expect(token).toBeDefined();
      expect(await opensslVerifyToken(token, sha256(signatureValueOf(signature.der)), trust.caPemFile)).toMatch(/Verification: OK/);
      expect(await opensslVerifyToken(token, sha256(Buffer.from('something else')), trust.caPemFile)).not.toMatch(/Verification: OK/);
    }
  });

  it('ends with a document timestamp over its byte ranges that openssl ts -verify accepts', async () => {
    const [documentTimestamp] = findSignatures(result.pdf).filter((signature) => signature.isDocumentTimestamp);
    const [, a, b, c] = documentTimestamp.byteRange;
    expect(b + c).toBe(result.pdf.length);
    const digest = sha256(result.pdf.subarray(0, a), result.pdf.subarray(b, b + c));
    expect(await opensslVerifyToken(documentTimestamp.der, digest, trust.caPemFile)).toMatch(/Verification: OK/);
    expect(result.pdf.toString('latin1')).toMatch(/\/Type \/DocTimeStamp \/Filter \/Adobe\.PPKLite \/SubFilter \/ETSI\.RFC3161/);
  });

  it('has a DSS with certificates, OCSP responses openssl can read, and a VRI entry per signature', async () => {
    const ocsps = dssStreams(result.pdf, 'OCSPs');
    expect(ocsps.length).toBeGreaterThanOrEqual(2); // the seal and the TSA certificate
    for (const response of ocsps) {
      const text = await opensslOcspText(response);
      expect(text).toMatch(/OCSP Response Status: successful/);
      expect(text).toMatch(/Cert Status: good/);
    }
    expect(dssStreams(result.pdf, 'Certs').length).toBeGreaterThanOrEqual(3);
    const text = result.pdf.toString('latin1');
    for (const signature of findSignatures(result.sealed)) {
      const key = createHash('sha1').update(signature.contents).digest('hex').toUpperCase();
      expect(text).toContain(`/${key} <<`);
    }
    expect(result.revocation.every((entry) => entry.status === 'good')).toBe(true);
  });

  it('has no certification signature that would forbid the later updates', () => {
    expect(result.pdf.toString('latin1')).not.toMatch(/\/DocMDP|\/Perms/);
  });

  it('shows a changed byte before the last timestamp in pdfsig', async () => {
    const [firstSignature] = findSignatures(result.pdf);
    const tampered = Buffer.from(result.pdf);
    const at = firstSignature.contentsEnd + 40; // inside the first signer's signed range, after its hole
    tampered[at] = tampered[at] === 0x20 ? 0x0a : 0x20;
    const report = await pdfsig(tampered);
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
    const ours = await validatePdf(tampered, { trustAnchors: [trust.pki.caCertificate] });
    expect(ours.signatures.map((signature) => signature.indication)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(ours.signatures[0].reasons.join(' ')).toMatch(/message digest mismatch/);
  });

  it('reports a signer certificate revoked in the local CA as revoked', async () => {
    const revokedSigner = await issueDevelopmentCertificate(trust.pkiDir, {
      subject: [{ C: ['FI'] }, { CN: ['Peruttu Allekirjoittaja'] }],
    });
    await revokeDevelopmentCertificate(trust.pkiDir, revokedSigner.certificate, new Date(Date.now() - 60_000)); // well before signing: a TSA's time is only accurate to the second
    const revoked = await archivalContract(trust, revokedSigner);
    expect(revoked.revocation.find((entry) => entry.subject.includes('Peruttu'))?.status).toBe('revoked');
    const statuses = await Promise.all(dssStreams(revoked.pdf, 'OCSPs').map(opensslOcspText));
    expect(statuses.some((text) => /Cert Status: revoked/.test(text))).toBe(true);
    const ours = await validatePdf(revoked.pdf, { trustAnchors: [trust.pki.caCertificate] });
    expect(ours.signatures.slice(0, 2).map((signature) => [signature.revocation.status, signature.indication])).toEqual([
      ['revoked', 'invalid'],
      ['revoked', 'invalid'],
    ]);
    expect(ours.signatures[2]).toMatchObject({ revocation: { status: 'good' }, indication: 'valid' });
  });

  it('validates each signature: who, claimed and timestamped time, coverage, revocation and B-LTA', async () => {
    const report = await validatePdf(result.pdf, { trustAnchors: [trust.pki.caCertificate] });
    expect(report.signatures.map((signature) => [signature.kind, signature.level, signature.indication])).toEqual([
      ['signature', 'B-LTA', 'valid'],
      ['signature', 'B-LTA', 'valid'],
      ['signature', 'B-LTA', 'valid'],
      ['document-timestamp', undefined, 'valid'],
    ]);
    const seal = report.signatures[2];
    expect(seal.signer).toMatchObject({ subject: 'C=FI, O=Esimerkkilän kunta, CN=Esimerkkilän kunta', trusted: true });
    expect(seal.revocation).toMatchObject({ status: 'good', source: 'dss-ocsp' });
    expect(Math.abs(Date.parse(seal.timestampedTime!) - Date.parse(seal.claimedTime!))).toBeLessThan(60_000);
    expect(seal.covers).toMatchObject({ wholeDocument: false, laterChanges: 'validation-data-and-timestamps' });
    expect(report.signatures[3].covers.wholeDocument).toBe(true);
  });

  it('after the seal certificate expires, a B-B document is indeterminate and the B-LTA one still valid by its timestamps', async () => {
    const { pdf: prepared, plan } = await prepareSignatureFields(await makeTextPdf(1), [{ name: 'organisation-seal', label: 'Sinetti' }]);
    const basic = signField(
      prepared,
      plan,
      'organisation-seal',
      { signerName: 'Esimerkkilän kunta', role: 'Sinetti', signedAt: new Date() },
      trust.pki.seal,
    );
    const sealExpiry = new Date(validatePdfExpiry(trust.pki.seal.certificate));
    const later = new Date(sealExpiry.getTime() + 30 * 24 * 3600 * 1000);
    const anchors = [trust.pki.caCertificate];
    expect((await validatePdf(basic, { trustAnchors: anchors })).signatures[0]).toMatchObject({ level: 'B-B', indication: 'valid' });
    const basicLater = (await validatePdf(basic, { trustAnchors: anchors, at: later })).signatures[0];
    expect(basicLater.indication).toBe('indeterminate');
    expect(basicLater.reasons.join(' ')).toMatch(/expired/);
    const archivalLater = await validatePdf(result.pdf, { trustAnchors: anchors, at: later });
    expect(archivalLater.signatures.map((signature) => signature.indication)).toEqual(['valid', 'valid', 'valid', 'valid']);
  });
});
