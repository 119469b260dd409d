import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { CredentialsError } from './errors';

/**
 * The organisation's signing identity. Development generates its own CA and
 * seal certificate; production loads a PKCS#12 from configuration. Both end
 * up here, and everything downstream only sees this.
 */
export interface SigningCredentials {
  /** RSA or EC key; signing runs in node:crypto. */
  readonly privateKey: KeyObject;
  /** The signing certificate, DER. */
  readonly certificate: Buffer;
  /** Issuer certificates, DER, from the signing certificate's issuer upwards. */
  readonly chain: readonly Buffer[];
  /** Common name (or organisation) of the signing certificate, for display. */
  readonly subjectName: string;
  /** SHA-256 of `certificate`, for the ESSCertIDv2 signed attribute. */
  readonly certificateSha256: Buffer;
}

/**
 * Builds credentials from a key and certificates in any order: picks the
 * certificate that matches the key, then orders its issuers into a chain.
 */
export function credentialsFromKeyAndCertificates(privateKey: KeyObject, certificates: readonly Buffer[]): SigningCredentials {
  const keyType = privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') {
    throw new CredentialsError('unreadable', `Unsupported signing key type ${keyType ?? 'unknown'}; use RSA or ECDSA.`);
  }
  let parsed: X509Certificate[];
  try {
    parsed = certificates.map((der) => new X509Certificate(der));
  } catch (error) {
    throw new CredentialsError('unreadable', 'A certificate cannot be read.', { cause: error });
  }
  const leafIndex = parsed.findIndex((certificate) => certificate.checkPrivateKey(privateKey));
  if (leafIndex < 0) {
    throw new CredentialsError('no_matching_certificate', 'No certificate matches the private key.');
  }
  const leaf = parsed[leafIndex]!;
  const chain: Buffer[] = [];
  const remaining = parsed.filter((_, index) => index !== leafIndex);
  for (let current = leaf; ; ) {
    if (current.issuer === current.subject) break;
    const issuerIndex = remaining.findIndex((candidate) => current.checkIssued(candidate));
    if (issuerIndex < 0) break;
    current = remaining.splice(issuerIndex, 1)[0]!;
    chain.push(current.raw);
  }
  return {
    privateKey,
    certificate: leaf.raw,
    chain,
    subjectName: subjectDisplayName(leaf),
    certificateSha256: createHash('sha256').update(leaf.raw).digest(),
  };
}

function subjectDisplayName(certificate: X509Certificate): string {
  const attributes = certificate.subject.split('\n');
  const value = (key: string) => attributes.find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1);
  return value('CN') ?? value('O') ?? certificate.subject;
}

/** Production: the organisation's seal as a PKCS#12 file and its password. RSA keys only (node-forge reads the bags). */
export function loadPkcs12Credentials(p12: Buffer, password: string): SigningCredentials {
  let container: forge.pkcs12.Pkcs12Pfx;
  try {
    container = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, password);
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/password|MAC/i.test(message)) {
      throw new CredentialsError('wrong_password', 'The PKCS#12 password is wrong.', { cause: error });
    }
    throw new CredentialsError('unreadable', `The PKCS#12 file cannot be read: ${message}`, { cause: error });
  }
  const keyBags = [
    ...(container.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(container.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) throw new CredentialsError('no_private_key', 'The PKCS#12 file has no (RSA) private key.');
  const certificates = (container.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .map((bag) => bag.cert)
    .filter((certificate): certificate is forge.pki.Certificate => Boolean(certificate))
    .map((certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary'));
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(forgeKey as forge.pki.rsa.PrivateKey));
  return credentialsFromKeyAndCertificates(privateKey, certificates);
}

interface StoredDevelopmentCredentials {
  organisationName: string;
  caCertificatePem: string;
  caPrivateKeyPem: string;
  sealCertificatePem: string;
  sealPrivateKeyPem: string;
}

const DEVELOPMENT_FILE = 'development-seal.json';

/**
 * Development: a self-made CA and an organisation seal certificate, created
 * on first start and kept in `dir` so that documents signed yesterday still
 * show the same signer today. Never use in production.
 */
export async function loadOrCreateDevelopmentCredentials(dir: string, organisationName: string): Promise<SigningCredentials> {
  const file = path.join(dir, DEVELOPMENT_FILE);
  let stored: StoredDevelopmentCredentials;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as StoredDevelopmentCredentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CredentialsError('unreadable', `Cannot read development credentials in ${file}.`, { cause: error });
    }
    stored = createDevelopmentCredentials(organisationName);
    await mkdir(dir, { recursive: true });
    // Write then rename: two processes starting at once each get a complete, consistent file.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
    await rename(temporary, file);
    stored = JSON.parse(await readFile(file, 'utf8')) as StoredDevelopmentCredentials;
  }
  return credentialsFromKeyAndCertificates(createPrivateKey(stored.sealPrivateKeyPem), [
    pemToDer(stored.sealCertificatePem),
    pemToDer(stored.caCertificatePem),
  ]);
}

function pemToDer(pem: string): Buffer {
  return new X509Certificate(pem).raw;
}

function createDevelopmentCredentials(organisationName: string): StoredDevelopmentCredentials {
  const caKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sealKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caPrivateKeyPem = caKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sealPrivateKeyPem = sealKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const caSigningKey = forge.pki.privateKeyFromPem(caPrivateKeyPem);
  const caSubject = [
    { shortName: 'C', value: 'FI' },
    { shortName: 'O', value: organisationName },
    { shortName: 'CN', value: `${organisationName} Sinetti Development CA` },
  ];
  const now = new Date();

  const ca = newCertificate(caKeys.publicKey, caSubject, caSubject, now, 10);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caSigningKey, forge.md.sha256.create());

  const sealSubject = [
    { shortName: 'C', value: 'FI' },
    { shortName: 'O', value: organisationName },
    { shortName: 'CN', value: organisationName },
  ];
  const seal = newCertificate(sealKeys.publicKey, sealSubject, caSubject, now, 5);
  seal.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  seal.sign(caSigningKey, forge.md.sha256.create());

  return {
    organisationName,
    caCertificatePem: forge.pki.certificateToPem(ca),
    caPrivateKeyPem,
    sealCertificatePem: forge.pki.certificateToPem(seal),
    sealPrivateKeyPem,
  };
}

function newCertificate(
  publicKey: KeyObject,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  notBefore: Date,
  years: number,
): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // Positive 16-byte serial: clear the top bit.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(notBefore.getTime() - 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(notBefore.getTime() + years * 365 * 24 * 60 * 60 * 1000);
  certificate.setSubject(subject);
  certificate.setIssuer(issuer);
  return certificate;
}
