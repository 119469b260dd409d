import * as pkijs from 'pkijs';
import {
  chainProblem,
  cmsCertificates,
  hasExtendedKeyUsage,
  OID,
  parseDer,
  signerCertificate,
  signerInfoProblem,
} from '../../signing/pkix';
import { createHash } from 'node:crypto';

/** What a TimeStampToken says, and the first reason (if any) not to believe it. */
export interface TimestampTokenContents {
  genTime: Date;
  policy: string;
  imprintAlgorithm: string;
  imprint: Buffer;
  nonce?: Buffer;
  signer?: pkijs.Certificate;
  certificates: pkijs.Certificate[];
  /** Undefined when the token is signed by a time-stamping certificate that chains to an anchor at its own time. */
  problem?: string;
}

/** The message imprint an RFC 3161 token (a DER ContentInfo) timestamps, read without checking who signed it. */
export function timestampImprint(token: Buffer): Buffer {
  const contentInfo = new pkijs.ContentInfo({ schema: parseDer(token, 'The timestamp token').value });
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo || !signedData.encapContentInfo.eContent)
    throw new Error('The timestamp token does not hold a TSTInfo.');
  const tstInfo = new pkijs.TSTInfo({ schema: parseDer(Buffer.from(signedData.encapContentInfo.eContent.getValue()), 'TSTInfo').value });
  return Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
}

/** Reads an RFC 3161 token (a DER ContentInfo) and checks its signature and the TSA's chain, as of the token's time. */
export async function readTimestampToken(token: Buffer, anchors: pkijs.Certificate[]): Promise<TimestampTokenContents> {
  const contentInfo = new pkijs.ContentInfo({ schema: parseDer(token, 'The timestamp token').value });
  if (contentInfo.contentType !== OID.signedData) throw new Error('The timestamp token is not CMS SignedData.');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo || !signedData.encapContentInfo.eContent)
    throw new Error('The timestamp token does not hold a TSTInfo.');
  const content = Buffer.from(signedData.encapContentInfo.eContent.getValue());
  const tstInfo = new pkijs.TSTInfo({ schema: parseDer(content, 'TSTInfo').value });
  const certificates = cmsCertificates(signedData);
  const signerInfo = signedData.signerInfos[0];
  const signer = signerInfo && signerCertificate(signerInfo, certificates);
  const contents: TimestampTokenContents = {
    genTime: tstInfo.genTime,
    policy: tstInfo.policy,
    imprintAlgorithm: tstInfo.messageImprint.hashAlgorithm.algorithmId,
    imprint: Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView),
    nonce: tstInfo.nonce ? Buffer.from(tstInfo.nonce.valueBlock.valueHexView) : undefined,
    signer,
    certificates,
  };
  if (!signerInfo || !signer) return { ...contents, problem: 'the token does not carry the TSA certificate.' };
  if (!hasExtendedKeyUsage(signer, OID.timeStamping))
    return { ...contents, problem: 'the signing certificate is not a time-stamping certificate.' };
  const problem =
    signerInfoProblem(signerInfo, signer, createHash('sha256').update(content).digest()) ??
    (await cachedChainProblem(signer, certificates, anchors, tstInfo.genTime));
  return problem ? { ...contents, problem } : contents;
}

/**
 * A TSA signs thousands of tokens with one certificate, so a chain found
 * good is remembered (per certificate and anchor set); only the validity
 * dates are checked again for each token's time.
 */
const chainsFound = new WeakMap<pkijs.Certificate[], Set<string>>();

async function cachedChainProblem(
  signer: pkijs.Certificate,
  certificates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<string | undefined> {
  let known = chainsFound.get(anchors);
  if (!known) chainsFound.set(anchors, (known = new Set()));
  const key = Buffer.from(signer.signatureValue.valueBlock.valueHexView).toString('base64');
  if (known.has(key)) {
    return signer.notBefore.value <= at && at <= signer.notAfter.value
      ? undefined
      : `the TSA certificate is not valid at ${at.toISOString()}.`;
  }
  const problem = await chainProblem(signer, certificates, anchors, at);
  if (!problem) known.add(key);
  return problem;
}
