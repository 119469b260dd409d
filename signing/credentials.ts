import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { loadOrCreateDevelopmentPki, type DevelopmentTrustUrls } from './developmentPki';
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
  const leaf = parsed[leafIndex];
  const chain: Buffer[] = [];
  const remaining = parsed.filter((_, index) => index !== leafIndex);
  for (let current = leaf; ;) {
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
    ...(container.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(container.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) throw new CredentialsError('no_private_key', 'The PKCS#12 file has no (RSA) private key.');
  const certificates = (container.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((certificate): certificate is forge.pki.Certificate => Boolean(certificate))
    .map((certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary'));
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  return credentialsFromKeyAndCertificates(privateKey, certificates);
}

/**
 * Development: the seal of the development PKI (signing/developmentPki.ts),
 * created on first start and kept in `dir` so that documents signed
 * yesterday still show the same signer today. Never use in production.
 */
export async function loadOrCreateDevelopmentCredentials(
  dir: string,
  organisationName: string,
  urls?: DevelopmentTrustUrls,
): Promise<SigningCredentials> {
  return (await loadOrCreateDevelopmentPki(dir, organisationName, urls)).seal;
}
