import { createHash, verify, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { LRUCache } from 'lru-cache';
import * as pkijs from 'pkijs';
import type { SignerInfoParts } from './cmsParts';

/**
 * The pieces of pkijs every timestamp, OCSP and CRL module shares: the
 * engine on Node's WebCrypto, object identifiers, and reading DER.
 */

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'] }));

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
  accessCaIssuers: '1.3.6.1.5.5.7.48.2',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  crlDistributionPoints: '2.5.29.31',
  extendedKeyUsage: '2.5.29.37',
} as const;

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Parses one DER value; trailing bytes (a /Contents hole's zero padding) are ignored. */
export function parseDer(bytes: Uint8Array | ArrayBuffer, what: string): { value: asn1js.AsnType; length: number } {
  const parsed = asn1js.fromBER(bytes instanceof ArrayBuffer ? bytes : toArrayBuffer(bytes));
  if (parsed.offset === -1) throw new Error(`${what} is not valid DER: ${parsed.result.error}`);
  return { value: parsed.result, length: parsed.offset };
}

/**
 * The same few certificates (the seal's, the CA's, the TSA's) are in every
 * signature, token and OCSP answer, and pkijs takes ~2 ms to parse one and
 * ~1 ms to encode it again: each is parsed once, by its DER, and keeps its
 * DER. Callers treat the parsed certificates as read-only.
 */
const parsedCertificates = new LRUCache<string, pkijs.Certificate>({ max: 500 });
const derOfCertificate = new WeakMap<pkijs.Certificate, Buffer>();
const publicKeys = new WeakMap<pkijs.Certificate, KeyObject>();

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  const bytes = Buffer.from(der);
  const key = createHash('sha256').update(bytes).digest('base64');
  let certificate = parsedCertificates.get(key);
  if (!certificate) {
    certificate = new pkijs.Certificate({ schema: parseDer(bytes, 'A certificate').value });
    derOfCertificate.set(certificate, bytes);
    parsedCertificates.set(key, certificate);
  }
  return certificate;
}

export function certificateDer(certificate: pkijs.Certificate): Buffer {
  let der = derOfCertificate.get(certificate);
  if (!der) derOfCertificate.set(certificate, (der = Buffer.from(certificate.toSchema().toBER())));
  return der;
}

export function publicKeyOf(certificate: pkijs.Certificate): KeyObject {
  let key = publicKeys.get(certificate);
  if (!key) publicKeys.set(certificate, (key = new X509Certificate(certificateDer(certificate)).publicKey));
  return key;
}

/** node:crypto's key as a WebCrypto key pkijs can sign with (RSA PKCS#1 v1.5 or ECDSA, SHA-256). */
export async function signingKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const algorithm =
    key.asymmetricKeyType === 'ec'
      ? {
          name: 'ECDSA',
          namedCurve:
            key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
              ? 'P-256'
              : key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
                ? 'P-384'
                : 'P-521',
        }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
}

/** URLs of one kind (OCSP or caIssuers) in a certificate's Authority Information Access. */
export function authorityInfoAccess(certificate: pkijs.Certificate, method: string): string[] {
  const extension = certificate.extensions?.find((candidate) => candidate.extnID === OID.authorityInfoAccess);
  const descriptions = (extension?.parsedValue as pkijs.InfoAccess | undefined)?.accessDescriptions ?? [];
  return descriptions
    .filter((description) => description.accessMethod === method && description.accessLocation.type === 6)
    .map((description) => String(description.accessLocation.value));
}

export function crlDistributionPoints(certificate: pkijs.Certificate): string[] {
  const extension = certificate.extensions?.find((candidate) => candidate.extnID === OID.crlDistributionPoints);
  const points = (extension?.parsedValue as pkijs.CRLDistributionPoints | undefined)?.distributionPoints ?? [];
  return points
    .flatMap((point) => (Array.isArray(point.distributionPoint) ? point.distributionPoint : []))
    .filter((name) => name.type === 6)
    .map((name) => String(name.value));
}

export function hasExtendedKeyUsage(certificate: pkijs.Certificate, purpose: string): boolean {
  const extension = certificate.extensions?.find((candidate) => candidate.extnID === OID.extendedKeyUsage);
  return ((extension?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? []).includes(purpose);
}

export function isSelfIssued(certificate: pkijs.Certificate): boolean {
  return certificate.subject.isEqual(certificate.issuer);
}

const CERT_ID_HASHES: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * The CertID (RFC 6960 4.1.1): hashes of the issuer's name and key, and the
 * serial; SHA-1 unless asked otherwise, as responders expect. Undefined for
 * a hash algorithm we do not know.
 */
export function certificateId(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  hashAlgorithm: string = OID.sha1,
): pkijs.CertID | undefined {
  const name = CERT_ID_HASHES[hashAlgorithm];
  if (!name) return undefined;
  const hash = (bytes: Uint8Array) => toArrayBuffer(createHash(name).update(bytes).digest());
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: hashAlgorithm, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: hash(Buffer.from(issuer.subject.toSchema().toBER())) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: hash(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
    serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.from(certificate.serialNumber.valueBlock.valueHexView)) }),
  });
}

/** A CMS attribute with one value. */
export function cmsAttribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

const SHA256_OID_DER = Buffer.from(new asn1js.ObjectIdentifier({ value: OID.sha256 }).toBER());

/**
 * Checks one CMS SignerInfo with signed attributes against the SHA-256 of
 * its content: messageDigest, then the signature over the DER signed
 * attributes with the certificate's key (node:crypto; pkijs' own verify
 * wants the content itself where we often have only its digest).
 */
export function signerInfoProblem(signerInfo: SignerInfoParts, certificate: pkijs.Certificate, contentSha256: Buffer): string | undefined {
  if (!signerInfo.digestAlgorithm.equals(SHA256_OID_DER)) return 'the signature does not use SHA-256.';
  if (!signerInfo.signedAttributes) return 'the signature has no signed attributes.';
  if (!signerInfo.messageDigest?.equals(contentSha256)) return 'the signed content has changed (message digest mismatch).';
  const signedBytes = Buffer.from(signerInfo.signedAttributes);
  signedBytes[0] = 0x31; // signed as a SET OF, stored as [0] IMPLICIT
  return verify('sha256', signedBytes, publicKeyOf(certificate), signerInfo.signatureValue)
    ? undefined
    : 'the signature value does not verify.';
}

/**
 * Chains found good. pkijs' chain engine verifies every link's signature
 * through WebCrypto each time. With the same leaf, pool and anchors it
 * builds the same path whatever the date, and the date only enters its
 * final check that each certificate on the path is within its validity
 * period; so a result found good is reused when every certificate given
 * (the path and any others) is valid at the new date, and otherwise the
 * engine runs again and says why.
 */
const goodChains = new LRUCache<string, true>({ max: 1000 });

const fingerprint = (certificate: pkijs.Certificate) => createHash('sha256').update(certificateDer(certificate)).digest('base64');

/** Why `leaf` does not chain to one of the anchors at `at`, or undefined if it does. */
export async function chainProblem(
  leaf: pkijs.Certificate,
  certificates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<string | undefined> {
  const pool = [...new Set([...certificates.map(fingerprint)])].sort();
  const key = [fingerprint(leaf), pool.join(','), [...new Set(anchors.map(fingerprint))].sort().join(',')].join(' ');
  const allValidAt = [leaf, ...certificates, ...anchors].every(
    (certificate) => certificate.notBefore.value <= at && at <= certificate.notAfter.value,
  );
  if (allValidAt && goodChains.has(key)) return undefined;
  const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: anchors, certs: [...certificates, leaf], checkDate: at });
  const result = await engine.verify();
  if (result.result) goodChains.set(key, true);
  return result.result ? undefined : `the certificate does not chain to a trusted anchor at ${at.toISOString()} (${result.resultMessage}).`;
}
