import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import {
  credentialsFromKeyAndCertificates,
  loadOrCreateDevelopmentCredentials,
  loadPkcs12Credentials,
  type SigningCredentials,
} from '../../signing/credentials';
import { CredentialsError } from '../../signing/errors';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import { signField } from '../../signing/signField';
import { makeTextPdf, pdfsig, temporaryDirectory } from './signingFixtures';

/** A CA and a seal certificate made with forge, bundled as PKCS#12 as a certificate vendor would ship them. */
function makePkcs12(password: string): { p12: Buffer; sealCertificate: forge.pki.Certificate } {
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const sealKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const caName = [
    { shortName: 'C', value: 'FI' },
    { shortName: 'CN', value: 'Testivarmentaja CA' },
  ];
  const sealName = [
    { shortName: 'C', value: 'FI' },
    { shortName: 'O', value: 'Testikunta' },
    { shortName: 'CN', value: 'Testikunnan sinetti' },
  ];
  const make = (publicKey: forge.pki.PublicKey, subject: typeof caName, serial: string, isCa: boolean) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = publicKey;
    certificate.serialNumber = serial;
    certificate.validity.notBefore = new Date(Date.now() - 3600_000);
    certificate.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
    certificate.setSubject(subject);
    certificate.setIssuer(caName);
    certificate.setExtensions([{ name: 'basicConstraints', cA: isCa }]);
    certificate.sign(caKeys.privateKey, forge.md.sha256.create());
    return certificate;
  };
  const ca = make(caKeys.publicKey, caName, '01', true);
  const sealCertificate = make(sealKeys.publicKey, sealName, '02', false);
  const asn1 = forge.pkcs12.toPkcs12Asn1(sealKeys.privateKey, [sealCertificate, ca], password, { algorithm: '3des' });
  return { p12: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), sealCertificate };
}

describe('development credentials', () => {
  const dir = temporaryDirectory('dev-credentials');
  let first: SigningCredentials;

  beforeAll(async () => {
    first = await loadOrCreateDevelopmentCredentials(dir, 'Esimerkkikunta');
  });

  it('creates a CA and a seal certificate issued by it', () => {
    const seal = new X509Certificate(first.certificate);
    const ca = new X509Certificate(first.chain[0]);
    expect(first.chain).toHaveLength(1);
    expect(seal.checkIssued(ca)).toBe(true);
    expect(seal.verify(ca.publicKey)).toBe(true);
    expect(seal.checkPrivateKey(first.privateKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(seal.ca).toBe(false);
    expect(first.subjectName).toBe('Esimerkkikunta');
  });

  it('persists them, private keys readable only by the owner, and loads the same identity next time', async () => {
    const file = path.join(dir, 'development-seal.json');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(
      expect.arrayContaining(['caCertificatePem', 'sealCertificatePem', 'sealPrivateKeyPem']),
    );
    const again = await loadOrCreateDevelopmentCredentials(dir, 'Esimerkkikunta');
    expect(again.certificate.equals(first.certificate)).toBe(true);
    expect(again.chain[0].equals(first.chain[0])).toBe(true);
  });

  it('caches the ESSCertIDv2 hash of the signing certificate', () => {
    expect(first.certificateSha256.toString('hex')).toBe(
      new X509Certificate(first.certificate).fingerprint256.replace(/:/g, '').toLowerCase(),
    );
  });
});

describe('PKCS#12 credentials', () => {
  const { p12, sealCertificate } = makePkcs12('salasana');

  it('load the key, the seal certificate and its chain', () => {
    const credentials = loadPkcs12Credentials(p12, 'salasana');
    expect(credentials.subjectName).toBe('Testikunnan sinetti');
    expect(credentials.chain).toHaveLength(1);
    expect(new X509Certificate(credentials.certificate).serialNumber).toBe(sealCertificate.serialNumber.toUpperCase());
    expect(credentials.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it('sign validly', async () => {
    const credentials = loadPkcs12Credentials(p12, 'salasana');
    const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1), [{ name: 'organisation-seal', label: 'Sinetti' }]);
    const sealed = signField(
      pdf,
      plan,
      'organisation-seal',
      { signerName: credentials.subjectName, role: 'Sinetti', signedAt: new Date() },
      credentials,
    );
    const [signature] = pdfsig(sealed);
    expect(signature).toMatchObject({ commonName: 'Testikunnan sinetti', validation: 'Signature is Valid.', totalDocumentSigned: true });
  });

  it('refuse a wrong password with a typed error', () => {
    expect(() => loadPkcs12Credentials(p12, 'väärä')).toThrow(
      expect.objectContaining({ name: 'CredentialsError', code: 'wrong_password' }),
    );
  });

  it('refuse bytes that are not PKCS#12', () => {
    expect(() => loadPkcs12Credentials(Buffer.from('not a p12'), 'x')).toThrow(CredentialsError);
  });
});

describe('ECDSA credentials', () => {
  it('sign validly with an EC P-256 key and certificate made by openssl', async () => {
    const dir = temporaryDirectory('ec');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/C=FI/CN=EC-testikunta',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]);
    expect(made.status).toBe(0);
    const credentials = credentialsFromKeyAndCertificates(createPrivateKey(readFileSync(path.join(dir, 'key.pem'))), [
      new X509Certificate(readFileSync(path.join(dir, 'cert.pem'))).raw,
    ]);
    expect(credentials.privateKey.asymmetricKeyType).toBe('ec');
    const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1), [{ name: 'organisation-seal', label: 'Sinetti' }]);
    const sealed = signField(
      pdf,
      plan,
      'organisation-seal',
      { signerName: 'EC-testikunta', role: 'Sinetti', signedAt: new Date() },
      credentials,
    );
    expect(pdfsig(sealed)[0]).toMatchObject({ commonName: 'EC-testikunta', validation: 'Signature is Valid.', totalDocumentSigned: true });
  });
});
