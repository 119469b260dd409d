import { loadOrCreateDevelopmentCredentials, type SigningCredentials } from '../../signing/credentials';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import { signField } from '../../signing/signField';
import { makeTextPdf, pdfsig, temporaryDirectory } from './signingFixtures';

describe('a changed byte after signing', () => {
  let credentials: SigningCredentials;
  let sealed: Buffer;
  let sealUpdateStart: number;

  beforeAll(async () => {
    credentials = await loadOrCreateDevelopmentCredentials(temporaryDirectory('credentials'), 'Esimerkkikunta');
    const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(2), [
      { name: 'signer-1', label: 'Allekirjoittaja' },
      { name: 'organisation-seal', label: 'Sinetti' },
    ]);
    const signed = signField(
      pdf,
      plan,
      'signer-1',
      { signerName: 'Matti Meikäläinen', role: 'Viranhaltija', signedAt: new Date() },
      credentials,
    );
    sealUpdateStart = signed.length;
    sealed = signField(
      signed,
      plan,
      'organisation-seal',
      { signerName: 'Esimerkkikunta', role: 'Sinetti', signedAt: new Date() },
      credentials,
    );
    expect(pdfsig(sealed).map((signature) => signature.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
  });

  function flipByteAt(offset: number): Buffer {
    const tampered = Buffer.from(sealed);
    tampered[offset] = tampered[offset] === 0x41 ? 0x42 : 0x41;
    return tampered;
  }

  it('inside the original document makes every signature invalid', () => {
    // A byte of the binary comment after the header (pdf-lib writes %PDF-1.7 then %\x81\x81\x81\x81): covered by both signatures,
    // harmless to parsing. (The document's own objects are compressed in object streams, where a changed byte breaks parsing.)
    const offset = sealed.indexOf('\n%', 0, 'latin1') + 2;
    expect(sealed[offset]).toBeGreaterThan(0x7f);
    const signatures = pdfsig(flipByteAt(offset));
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) {
      expect(signature.validation).not.toBe('Signature is Valid.');
      expect(signature.validation).toMatch(/Digest Mismatch|Invalid/i);
    }
  });

  it("inside the seal's update breaks only the seal", () => {
    const stampText = sealed.indexOf('/F2 10 Tf', sealUpdateStart);
    expect(stampText).toBeGreaterThan(sealUpdateStart);
    const signatures = pdfsig(flipByteAt(stampText + 1));
    expect(signatures.map((signature) => signature.validation)).toEqual([
      'Signature is Valid.',
      expect.stringMatching(/Digest Mismatch|Invalid/i),
    ]);
  });
});
