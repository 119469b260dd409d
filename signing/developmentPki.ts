import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the Reflect metadata API
import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { credentialsFromKeyAndCertificates, type SigningCredentials } from './credentials';
import { CredentialsError } from './errors';

/**
 * Development's own small PKI: a CA, the organisation's seal certificate and
 * a timestamping certificate, made on first start and kept in one file. The
 * leaf certificates name the local OCSP responder, CRL and CA certificate
 * (AIA and CRL distribution points) so that validation data can be fetched
 * from them exactly as from a real CA. Names are UTF8String where they are
 * not plain ASCII, so "Esimerkkilän kunta" reads right in every viewer.
 * Never use in production.
 */

x509.cryptoProvider.set(webcrypto as Crypto); // Node's WebCrypto; the DOM lib (from Preact's types) names its own Crypto type

/** Where the development CA's services answer; written into the leaf certificates. */
export interface DevelopmentTrustUrls {
  ocsp: string;
  crl: string;
  caIssuers: string;
}

interface StoredDevelopmentPki {
  organisationName: string;
  caCertificatePem: string;
  caPrivateKeyPem: string;
  sealCertificatePem: string;
  sealPrivateKeyPem: string;
  tsaCertificatePem?: string;
  tsaPrivateKeyPem?: string;
  urls?: DevelopmentTrustUrls;
}

export interface DevelopmentPki {
  /** The trust anchor: seal, signer and TSA certificates chain to it. */
  caCertificate: Buffer;
  caPrivateKey: KeyObject;
  seal: SigningCredentials;
  tsa: { certificate: Buffer; privateKey: KeyObject };
  /** Where revoked serial numbers are listed for the local OCSP responder and CRL. */
  revocationFile: string;
}

export const DEVELOPMENT_PKI_FILE = 'development-seal.json';
const REVOCATION_FILE = 'development-revocations.json';
const RSA: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Loads the development PKI from `dir`, creating it on first use. A file from
 * an older Sinetti (no TSA certificate) or one whose certificates name other
 * service URLs keeps its CA, so earlier documents still chain to the same
 * anchor, and gets fresh leaf certificates.
 */
export async function loadOrCreateDevelopmentPki(
  dir: string,
  organisationName: string,
  urls?: DevelopmentTrustUrls,
): Promise<DevelopmentPki> {
  const file = path.join(dir, DEVELOPMENT_PKI_FILE);
  let stored = await readStored(file);
  const stale = stored && (!stored.tsaCertificatePem || (urls && JSON.stringify(stored.urls) !== JSON.stringify(urls)));
  if (!stored || stale) {
    const fresh = await createPki(organisationName, urls, stored);
    await mkdir(dir, { recursive: true });
    stored = await publish(file, fresh, Boolean(stale));
  }
  const caPrivateKey = createPrivateKey(stored.caPrivateKeyPem);
  const caCertificate = new NodeCertificate(stored.caCertificatePem).raw;
  return {
    caCertificate,
    caPrivateKey,
    seal: credentialsFromKeyAndCertificates(createPrivateKey(stored.sealPrivateKeyPem), [
      new NodeCertificate(stored.sealCertificatePem).raw,
      caCertificate,
    ]),
    tsa: { certificate: new NodeCertificate(stored.tsaCertificatePem!).raw, privateKey: createPrivateKey(stored.tsaPrivateKeyPem!) },
    revocationFile: path.join(dir, REVOCATION_FILE),
  };
}

async function readStored(file: string): Promise<StoredDevelopmentPki | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredDevelopmentPki;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialsError('unreadable', `Cannot read development credentials in ${file}.`, { cause: error });
  }
}

/**
 * A new file is linked into place, which fails if another process got there
 * first; then everyone reads the one file that won. An upgrade replaces.
 */
async function publish(file: string, stored: StoredDevelopmentPki, replace: boolean): Promise<StoredDevelopmentPki> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
  if (replace) {
    await rename(temporary, file);
  } else {
    try {
      await link(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary);
    }
  }
  return (await readStored(file))!;
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, RSA, false, ['sign']);
}

/** Positive 16-byte serial, as hex. */
function serialNumber(): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial.toString('hex');
}

function caName(organisationName: string): x509.JsonName {
  return [{ C: ['FI'] }, { O: [organisationName] }, { CN: [`${organisationName} Sinetti Development CA`] }];
}

async function createPki(
  organisationName: string,
  urls: DevelopmentTrustUrls | undefined,
  previous?: StoredDevelopmentPki,
): Promise<StoredDevelopmentPki> {
  let caCertificatePem = previous?.caCertificatePem;
  let caPrivateKeyPem = previous?.caPrivateKeyPem;
  if (!caCertificatePem || !caPrivateKeyPem) {
    const caKeys = await generateKeys();
    const now = Date.now();
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: caName(organisationName),
      notBefore: new Date(now - 60 * 60 * 1000),
      notAfter: new Date(now + 10 * YEAR_MS),
      keys: caKeys,
      signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    caCertificatePem = ca.toString('pem');
    caPrivateKeyPem = await privateKeyPem(caKeys.privateKey);
  }
  const issuer = { certificatePem: caCertificatePem, privateKeyPem: caPrivateKeyPem };
  const seal = await issueCertificate(issuer, {
    subject: [{ C: ['FI'] }, { O: [organisationName] }, { CN: [organisationName] }],
    years: 5,
    urls,
  });
  const tsa = await issueCertificate(issuer, {
    subject: [{ C: ['FI'] }, { O: [organisationName] }, { CN: [`${organisationName} Sinetti Development TSA`] }],
    years: 6,
    urls,
    timeStamping: true,
  });
  return {
    organisationName,
    caCertificatePem,
    caPrivateKeyPem,
    sealCertificatePem: seal.certificatePem,
    sealPrivateKeyPem: seal.privateKeyPem,
    tsaCertificatePem: tsa.certificatePem,
    tsaPrivateKeyPem: tsa.privateKeyPem,
    ...(urls ? { urls } : {}),
  };
}

export interface CertificateRequest {
  subject: x509.JsonName;
  years?: number;
  notBefore?: Date;
  urls?: DevelopmentTrustUrls;
  /** A TSA certificate: extended key usage id-kp-timeStamping only, critical (RFC 3161 2.3). */
  timeStamping?: boolean;
}

async function issueCertificate(
  issuer: { certificatePem: string; privateKeyPem: string },
  request: CertificateRequest,
): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const keys = await generateKeys();
  const ca = new x509.X509Certificate(issuer.certificatePem);
  const notBefore = request.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      request.timeStamping ? x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
  ];
  if (request.timeStamping) extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true));
  if (request.urls) {
    extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: request.urls.ocsp, caIssuers: request.urls.caIssuers }));
    extensions.push(new x509.CRLDistributionPointsExtension([request.urls.crl]));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: request.subject,
    issuer: ca.subjectName,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (request.years ?? 2) * YEAR_MS),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(issuer.privateKeyPem),
    signingAlgorithm: RSA,
    extensions,
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * A further certificate from the development CA, e.g. a person's signing
 * certificate in a test, carrying the same AIA and CRL distribution points.
 */
export async function issueDevelopmentCertificate(dir: string, request: CertificateRequest): Promise<SigningCredentials> {
  const stored = await readStored(path.join(dir, DEVELOPMENT_PKI_FILE));
  if (!stored) throw new CredentialsError('unreadable', `There is no development CA in ${dir}.`);
  const issued = await issueCertificate(
    { certificatePem: stored.caCertificatePem, privateKeyPem: stored.caPrivateKeyPem },
    { urls: stored.urls, ...request },
  );
  return credentialsFromKeyAndCertificates(createPrivateKey(issued.privateKeyPem), [
    new NodeCertificate(issued.certificatePem).raw,
    new NodeCertificate(stored.caCertificatePem).raw,
  ]);
}

export interface RevokedCertificate {
  /** Lower-case hex, as @peculiar/x509 prints serial numbers. */
  serialNumber: string;
  revokedAt: string;
}

export async function readDevelopmentRevocations(file: string): Promise<RevokedCertificate[]> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RevokedCertificate[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Revokes a certificate of the development CA; the local OCSP responder and CRL report it from the next request on. */
export async function revokeDevelopmentCertificate(dir: string, certificate: Buffer, revokedAt = new Date()): Promise<void> {
  const file = path.join(dir, REVOCATION_FILE);
  const revoked = await readDevelopmentRevocations(file);
  const serial = new x509.X509Certificate(new Uint8Array(certificate)).serialNumber.toLowerCase();
  if (revoked.some((entry) => entry.serialNumber === serial)) return;
  revoked.push({ serialNumber: serial, revokedAt: revokedAt.toISOString() });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(revoked, null, 2));
  await rename(temporary, file);
}
