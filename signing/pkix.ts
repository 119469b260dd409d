import { verify, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

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

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return new pkijs.Certificate({ schema: parseDer(der, 'A certificate').value });
}

export function certificateDer(certificate: pkijs.Certificate): Buffer {
  return Buffer.from(certificate.toSchema().toBER());
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

/** A CMS attribute with one value. */
export function cmsAttribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

export function cmsCertificates(signedData: pkijs.SignedData): pkijs.Certificate[] {
  return (signedData.certificates ?? []).filter((item): item is pkijs.Certificate => item instanceof pkijs.Certificate);
}

/** The certificate a SignerInfo names by issuer and serial number. */
export function signerCertificate(signerInfo: pkijs.SignerInfo, certificates: pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid as unknown;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return undefined;
  return certificates.find((certificate) => certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber));
}

/**
 * Checks one CMS SignerInfo with signed attributes against the SHA-256 of
 * its content: messageDigest, then the signature over the DER signed
 * attributes with the certificate's key (node:crypto; pkijs' own verify
 * wants the content itself where we often have only its digest).
 */
export function signerInfoProblem(signerInfo: pkijs.SignerInfo, certificate: pkijs.Certificate, contentSha256: Buffer): string | undefined {
  if (signerInfo.digestAlgorithm.algorithmId !== OID.sha256) return 'the signature does not use SHA-256.';
  const attributes = signerInfo.signedAttrs;
  if (!attributes) return 'the signature has no signed attributes.';
  const digest = attributes.attributes.find((attribute) => attribute.type === OID.messageDigest)?.values[0] as
    asn1js.OctetString | undefined;
  if (!digest || !Buffer.from(digest.valueBlock.valueHexView).equals(contentSha256))
    return 'the signed content has changed (message digest mismatch).';
  const signedBytes = Buffer.from(attributes.encodedValue);
  signedBytes[0] = 0x31; // signed as a SET OF, stored as [0] IMPLICIT
  const publicKey = new X509Certificate(certificateDer(certificate)).publicKey;
  return verify('sha256', signedBytes, publicKey, Buffer.from(signerInfo.signature.valueBlock.valueHexView))
    ? undefined
    : 'the signature value does not verify.';
}

/** Why `leaf` does not chain to one of the anchors at `at`, or undefined if it does. */
export async function chainProblem(
  leaf: pkijs.Certificate,
  certificates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<string | undefined> {
  const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: anchors, certs: [...certificates, leaf], checkDate: at });
  const result = await engine.verify();
  return result.result ? undefined : `the certificate does not chain to a trusted anchor at ${at.toISOString()} (${result.resultMessage}).`;
}
