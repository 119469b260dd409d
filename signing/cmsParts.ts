import * as asn1js from 'asn1js';
import { childrenOf, contentBytes, readTlv, TAG, tlvBytes, type Tlv } from './derReader';
import { OID } from './pkix';

/**
 * The parts of a CMS SignedData (RFC 5652) that signing and validation
 * read, found by offset in one pass: the certificates as DER, the
 * encapsulated content, and the first SignerInfo's pieces. Parsing a whole
 * signature with pkijs cost ~12 ms, and every B-LTA step did it again; the
 * pieces found here are interpreted by pkijs or node:crypto where needed
 * (certificates through pkix's cache).
 */

export interface SignerInfoParts {
  /** IssuerAndSerialNumber: the issuer Name's DER and the serial's INTEGER content. */
  issuer?: Buffer;
  serialNumber?: Buffer;
  /** The digest algorithm's OID, DER. */
  digestAlgorithm: Buffer;
  /** The whole [0] IMPLICIT signed attributes, DER. */
  signedAttributes?: Buffer;
  /** The messageDigest attribute's value. */
  messageDigest?: Buffer;
  signatureValue: Buffer;
  /** The id-aa-signatureTimeStampToken attribute's token (a DER ContentInfo). */
  signatureTimestampToken?: Buffer;
  hasUnsignedAttributes: boolean;
}

export interface SignedDataParts {
  /** The encapsulated content type's OID, DER. */
  contentType: Buffer;
  content?: Buffer;
  certificates: Buffer[];
  signerInfo?: SignerInfoParts;
  /** Offsets of the ContentInfo, [0], SignedData, signerInfos SET and first SignerInfo: what grows when an attribute is added. */
  path: Tlv[];
}

/** An OID's DER, encoded by asn1js once, to compare with what is found. */
export function oidDer(oid: string): Buffer {
  return Buffer.from(new asn1js.ObjectIdentifier({ value: oid }).toBER());
}

const OID_DER = {
  signedData: oidDer(OID.signedData),
  messageDigest: oidDer(OID.messageDigest),
  signatureTimeStampToken: oidDer(OID.signatureTimeStampToken),
};

function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw new Error(`${what} is not where CMS puts it.`);
  return tlv;
}

/** The first value of the attribute of `type` in a SET OF Attribute. */
function attributeValue(der: Buffer, attributes: Tlv, type: Buffer): Tlv | undefined {
  for (const attribute of childrenOf(der, attributes)) {
    const [attributeType, values] = childrenOf(der, attribute);
    if (attributeType && values && tlvBytes(der, attributeType).equals(type)) return childrenOf(der, values)[0];
  }
  return undefined;
}

function readSignerInfo(der: Buffer, signerInfo: Tlv): SignerInfoParts {
  const fields = childrenOf(der, signerInfo);
  const [, sid, digestAlgorithm] = fields;
  let next = 3;
  const signedAttributes = fields[next]?.tag === TAG.context0 ? fields[next++] : undefined;
  next++; // signatureAlgorithm
  const signature = expectTag(fields[next++], TAG.octetString, "The SignerInfo's signature");
  const unsignedAttributes = fields[next]?.tag === TAG.context1 ? fields[next] : undefined;
  const issuerAndSerial = sid?.tag === TAG.sequence ? childrenOf(der, sid) : undefined;
  const digest = signedAttributes && attributeValue(der, signedAttributes, OID_DER.messageDigest);
  const token = unsignedAttributes && attributeValue(der, unsignedAttributes, OID_DER.signatureTimeStampToken);
  return {
    issuer: issuerAndSerial && tlvBytes(der, issuerAndSerial[0]),
    serialNumber: issuerAndSerial && contentBytes(der, expectTag(issuerAndSerial[1], TAG.integer, 'The serial number')),
    digestAlgorithm: tlvBytes(der, childrenOf(der, expectTag(digestAlgorithm, TAG.sequence, 'The digest algorithm'))[0]),
    signedAttributes: signedAttributes && tlvBytes(der, signedAttributes),
    messageDigest: digest?.tag === TAG.octetString ? contentBytes(der, digest) : undefined,
    signatureValue: contentBytes(der, signature),
    signatureTimestampToken: token && tlvBytes(der, token),
    hasUnsignedAttributes: Boolean(unsignedAttributes),
  };
}

/** An OCTET STRING's octets; pkijs (and other BER writers) may send eContent as a constructed string of segments. */
function octetsOf(der: Buffer, tlv: Tlv): Buffer | undefined {
  if (tlv.tag === TAG.octetString) return contentBytes(der, tlv);
  if (tlv.tag !== TAG.constructedOctetString) return undefined;
  const segments = childrenOf(der, tlv).map((segment) => octetsOf(der, segment));
  return segments.every((segment): segment is Buffer => Boolean(segment)) ? Buffer.concat(segments) : undefined;
}

/** Reads a DER ContentInfo holding SignedData; trailing bytes (a /Contents hole's padding) are ignored. */
export function readSignedData(der: Buffer): SignedDataParts {
  const contentInfo = expectTag(readTlv(der), TAG.sequence, 'The ContentInfo');
  const [contentType, explicit] = childrenOf(der, contentInfo);
  if (!contentType || !tlvBytes(der, contentType).equals(OID_DER.signedData)) throw new Error('The CMS is not SignedData.');
  const signedData = expectTag(childrenOf(der, expectTag(explicit, TAG.context0, 'The SignedData'))[0], TAG.sequence, 'The SignedData');
  const fields = childrenOf(der, signedData);
  const [encapsulated, encapsulatedContent] = childrenOf(der, expectTag(fields[2], TAG.sequence, 'The encapsulated content'));
  const certificateSet = fields.find((field, index) => index > 2 && field.tag === TAG.context0);
  const signerInfos = expectTag(fields[fields.length - 1], TAG.set, 'The signerInfos');
  const firstSignerInfo = childrenOf(der, signerInfos)[0];
  const octets = encapsulatedContent && childrenOf(der, encapsulatedContent)[0];
  return {
    contentType: tlvBytes(der, encapsulated),
    content: octets && octetsOf(der, octets),
    certificates: certificateSet
      ? childrenOf(der, certificateSet)
          .filter((item) => item.tag === TAG.sequence) // other certificate formats are not certificates we can use
          .map((item) => tlvBytes(der, item))
      : [],
    signerInfo: firstSignerInfo && readSignerInfo(der, expectTag(firstSignerInfo, TAG.sequence, 'The SignerInfo')),
    path: [contentInfo, explicit, signedData, signerInfos, ...(firstSignerInfo ? [firstSignerInfo] : [])],
  };
}

/** A certificate's issuer Name (DER) and serial number (INTEGER content), to match a SignerInfo's sid. */
export function issuerAndSerialOf(certificate: Buffer): { issuer: Buffer; serialNumber: Buffer } {
  const tbs = childrenOf(certificate, childrenOf(certificate, readTlv(certificate))[0]);
  const offset = tbs[0]?.tag === TAG.context0 ? 1 : 0; // the optional [0] version
  return { serialNumber: contentBytes(certificate, tbs[offset]), issuer: tlvBytes(certificate, tbs[offset + 2]) };
}

/** The certificate among `certificates` that a SignerInfo names by issuer and serial number. */
export function signerCertificateDer(signerInfo: SignerInfoParts, certificates: Buffer[]): Buffer | undefined {
  const { issuer, serialNumber } = signerInfo;
  if (!issuer || !serialNumber) return undefined;
  return certificates.find((certificate) => {
    const candidate = issuerAndSerialOf(certificate);
    return candidate.serialNumber.equals(serialNumber) && candidate.issuer.equals(issuer);
  });
}
