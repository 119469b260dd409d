import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { oidDer, readSignedData, signerCertificateDer } from '../../signing/cmsParts';
import { chainProblem, hasExtendedKeyUsage, OID, parseCertificate, parseDer, signerInfoProblem } from '../../signing/pkix';

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

const TST_INFO = oidDer(OID.tstInfo);

/** The token's SignedData parts and its TSTInfo, parsed by pkijs (a TSTInfo is a few dozen bytes). */
function openToken(token: Buffer) {
  const signedData = readSignedData(token);
  if (!signedData.contentType.equals(TST_INFO) || !signedData.content) throw new Error('The timestamp token does not hold a TSTInfo.');
  const tstInfo = new pkijs.TSTInfo({ schema: parseDer(signedData.content, 'TSTInfo').value });
  return { signedData, tstInfo };
}

/** The message imprint an RFC 3161 token (a DER ContentInfo) timestamps, read without checking who signed it. */
export function timestampImprint(token: Buffer): Buffer {
  return Buffer.from(openToken(token).tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
}

/**
 * Reads an RFC 3161 token (a DER ContentInfo) and checks its signature and
 * the TSA's chain, as of the token's time. A TSA signs thousands of tokens
 * with one certificate; its parsed certificate and its path are reused
 * (pkix), the signature over each token is verified every time.
 */
export async function readTimestampToken(token: Buffer, anchors: pkijs.Certificate[]): Promise<TimestampTokenContents> {
  const { signedData, tstInfo } = openToken(token);
  const signerInfo = signedData.signerInfo;
  const signerDer = signerInfo && signerCertificateDer(signerInfo, signedData.certificates);
  const certificates = signedData.certificates.map(parseCertificate);
  const signer = signerDer && parseCertificate(signerDer);
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
    signerInfoProblem(signerInfo, signer, createHash('sha256').update(signedData.content!).digest()) ??
    (await chainProblem(signer, certificates, anchors, tstInfo.genTime));
  return problem ? { ...contents, problem } : contents;
}
