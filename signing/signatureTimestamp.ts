import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TimestampClient, TimestampToken } from '../integrations/timestamping/timestampClient';
import { PdfError } from './errors';
import { findSignatures, rewriteContents } from './pdfSignatures';
import { OID, parseDer } from './pkix';

/**
 * PAdES B-T: the signature timestamp, an RFC 3161 token over the
 * SignatureValue, added to the CMS as the unsigned attribute
 * id-aa-signatureTimeStampToken. /Contents is outside the signed byte
 * ranges, so the token goes into the signature's own hole in place; it must
 * happen before any later signature covers those bytes.
 */

export function signatureValueOf(cms: Buffer): Buffer {
  const contentInfo = new pkijs.ContentInfo({ schema: parseDer(cms, 'The signature').value });
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new PdfError('malformed', 'The signature has no SignerInfo.');
  return Buffer.from(signerInfo.signature.valueBlock.valueHexView);
}

/** The CMS with `token` as the SignerInfo's signature timestamp; every other byte re-encoded unchanged. */
export function withSignatureTimestamp(cms: Buffer, token: Buffer): Buffer {
  const parsed = parseDer(cms, 'The signature');
  if (!Buffer.from(parsed.value.toBER()).equals(cms))
    throw new PdfError('malformed', 'The signature is not in DER and cannot be extended unchanged.');
  const contentInfo = parsed.value as asn1js.Sequence;
  const signedData = (contentInfo.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const signerInfos = signedData.valueBlock.value[signedData.valueBlock.value.length - 1] as asn1js.Set;
  const signerInfo = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const last = signerInfo.valueBlock.value[signerInfo.valueBlock.value.length - 1];
  if (last.idBlock.tagClass === 3 && last.idBlock.tagNumber === 1)
    throw new PdfError('malformed', 'The signature already carries unsigned attributes.');
  const attribute = new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [parseDer(token, 'The timestamp token').value] });
  signerInfo.valueBlock.value.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [attribute.toSchema()] }));
  return Buffer.from(contentInfo.toBER());
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
  const contentInfo = new pkijs.ContentInfo({ schema: parseDer(cms, 'The signature').value });
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const attribute = signedData.signerInfos[0]?.unsignedAttrs?.attributes.find(
    (candidate) => candidate.type === OID.signatureTimeStampToken,
  );
  return attribute ? Buffer.from(attribute.values[0]!.toBER()) : undefined;
}
