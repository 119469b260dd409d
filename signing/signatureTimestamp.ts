import { createHash } from 'node:crypto';
import type { TimestampClient, TimestampToken } from '../integrations/timestamping/timestampClient';
import { PdfError } from './errors';
import { findSignatures, rewriteContents } from './pdfSignatures';
import { oidDer, readSignedData } from './cmsParts';
import { derWrap, readTlv, TAG } from './derReader';
import { OID } from './pkix';

/**
 * PAdES B-T: the signature timestamp, an RFC 3161 token over the
 * SignatureValue, added to the CMS as the unsigned attribute
 * id-aa-signatureTimeStampToken. /Contents is outside the signed byte
 * ranges, so the token goes into the signature's own hole in place; it must
 * happen before any later signature covers those bytes.
 */

function signerInfoOf(cms: Buffer) {
  const parts = readSignedData(cms);
  if (!parts.signerInfo) throw new PdfError('malformed', 'The signature has no SignerInfo.');
  return { parts, signerInfo: parts.signerInfo };
}

export function signatureValueOf(cms: Buffer): Buffer {
  return Buffer.from(signerInfoOf(cms).signerInfo.signatureValue);
}

const SIGNATURE_TIMESTAMP_TYPE = oidDer(OID.signatureTimeStampToken);

/**
 * The CMS with `token` as the SignerInfo's signature timestamp. The unsigned
 * attribute goes at the end of the SignerInfo, and only the headers of the
 * SignerInfo and of what encloses it get their new lengths: every other byte
 * is copied as it was, so the signed attributes and certificates cannot change.
 */
export function withSignatureTimestamp(cms: Buffer, token: Buffer): Buffer {
  const { parts, signerInfo } = signerInfoOf(cms);
  if (signerInfo.hasUnsignedAttributes) throw new PdfError('malformed', 'The signature already carries unsigned attributes.');
  readTlv(token); // a DER value, or this throws before anything is embedded
  const attribute = derWrap(TAG.context1, derWrap(TAG.sequence, SIGNATURE_TIMESTAMP_TYPE, derWrap(TAG.set, token)));
  const signerInfoTlv = parts.path[parts.path.length - 1];
  let grown = derWrap(cms[signerInfoTlv.start], cms.subarray(signerInfoTlv.contentStart, signerInfoTlv.end), attribute);
  // Outwards from the SignerInfo, each enclosing TLV keeps its other bytes around the grown one.
  for (let depth = parts.path.length - 2; depth >= 0; depth--) {
    const [outer, inner] = [parts.path[depth], parts.path[depth + 1]];
    grown = derWrap(cms[outer.start], cms.subarray(outer.contentStart, inner.start), grown, cms.subarray(inner.end, outer.end));
  }
  return grown;
}

/** Stamps the newest signature in the PDF (the one signField just made) and returns the PDF and the token's details. */
export async function timestampNewestSignature(
  pdf: Buffer,
  timestamps: TimestampClient,
): Promise<{ pdf: Buffer; timestamp: TimestampToken }> {
  const signature = findSignatures(pdf)
    .filter((candidate) => !candidate.isDocumentTimestamp)
    .pop();
  if (!signature) throw new PdfError('malformed', 'The document has no signature to timestamp.');
  const timestamp = await timestamps.timestamp(createHash('sha256').update(signatureValueOf(signature.der)).digest());
  return { pdf: rewriteContents(pdf, signature, withSignatureTimestamp(signature.der, timestamp.token)), timestamp };
}

/** The signature timestamp token in a CMS, if it has one. */
export function signatureTimestampOf(cms: Buffer): Buffer | undefined {
  const token = readSignedData(cms).signerInfo?.signatureTimestampToken;
  return token && Buffer.from(token);
}
