import { X509Certificate } from 'node:crypto';
import { signatureRows } from '../../api/views/validationPage';
import { findSignatures } from '../../signing/pdfSignatures';
import { loadOrCreateDevelopmentPki } from '../../signing/developmentPki';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import { signField } from '../../signing/signField';
import { validatePdf, type SignatureValidation } from '../../signing/validation/validatePdf';
import { makeTextPdf, temporaryDirectory } from './signingFixtures';

/**
 * The validation page and its PDF report say why a signature is not valid
 * in the reader's language: the validator gives each reason as a code (its
 * English sentence with the technical detail stays in the JSON), and the
 * catalog says it in Finnish, Swedish or English.
 */

describe('validation reasons in the reader’s language', () => {
  let expired: SignatureValidation;
  let tampered: SignatureValidation;

  beforeAll(async () => {
    const pki = await loadOrCreateDevelopmentPki(temporaryDirectory('reasons'), 'Esimerkkilän kunta');
    const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1), [{ name: 'organisation-seal', label: 'Sinetti' }]);
    const sealed = signField(
      pdf,
      plan,
      'organisation-seal',
      { signerName: 'Esimerkkilän kunta', role: 'Sinetti', signedAt: new Date() },
      pki.seal,
    );
    const anchors = [pki.caCertificate];
    const later = new Date(Date.parse(new X509Certificate(pki.seal.certificate).validTo) + 30 * 24 * 3600 * 1000);
    expired = (await validatePdf(sealed, { trustAnchors: anchors, at: later })).signatures[0];
    const changed = Buffer.from(sealed);
    const at = findSignatures(sealed)[0].contentsEnd + 40; // inside the signed range, after the signature's hole
    changed[at] = changed[at] === 0x20 ? 0x0a : 0x20;
    tampered = (await validatePdf(changed, { trustAnchors: anchors })).signatures[0];
  });

  const reasonsRow = (signature: SignatureValidation, language: 'fi' | 'sv' | 'en') =>
    signatureRows(signature, language).rows.find(([label]) => ['Syyt', 'Orsaker', 'Reasons'].includes(label))?.[1] ?? '';

  it('gives each reason as a code beside its English sentence', () => {
    expect(expired.findings).toEqual([{ code: 'expired-without-proof', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
    expect(expired.reasons.join(' ')).toMatch(/expired/);
    expect(tampered.findings.map((finding) => finding.code)).toContain('integrity');
    expect(tampered.reasons.join(' ')).toMatch(/message digest mismatch/);
  });

  it('says them in Finnish and Swedish on the page, with no English left', () => {
    expect(reasonsRow(expired, 'fi')).toMatch(/^Allekirjoittajan varmenne vanheni \d{4}-\d{2}-\d{2}/);
    expect(reasonsRow(expired, 'sv')).toMatch(/^Undertecknarens certifikat gick ut \d{4}-\d{2}-\d{2}/);
    expect(reasonsRow(tampered, 'fi')).toMatch(/Allekirjoitus ei täsmää asiakirjaan/);
    expect(reasonsRow(tampered, 'sv')).toMatch(/Signaturen stämmer inte med dokumentet/);
    for (const language of ['fi', 'sv'] as const) {
      for (const signature of [expired, tampered])
        expect(reasonsRow(signature, language)).not.toMatch(/\b(the|signature|certificate|expired)\b/i);
    }
    expect(reasonsRow(expired, 'en')).toMatch(/^The signer's certificate expired on/);
  });
});
