import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, parseCertificate, parseDer, toArrayBuffer } from '../../signing/pkix';
import { httpCallForBytes } from '../httpCall';
import { childrenOf, readTlv, tlvBytes, type Tlv } from '../../signing/derReader';
import { readTimestampToken } from './timestampToken';

/**
 * An RFC 3161 client: asks the configured TSAs in order, retrying each with
 * backoff, and checks every answer before anyone embeds it: status granted,
 * our nonce, our message imprint, a signature by a TSA certificate (with
 * the time-stamping purpose) that chains to a configured trust anchor, and
 * a time near ours. A wrong answer is refused, never returned.
 */

export interface TimestampToken {
  /** DER ContentInfo (SignedData over TSTInfo), as embedded in PDFs. */
  token: Buffer;
  genTime: Date;
  policy: string;
  tsaUrl: string;
}

export interface TimestampClient {
  /** A verified token over a SHA-256 digest. */
  timestamp(sha256: Buffer): Promise<TimestampToken>;
}

/** No configured TSA gave a usable token; the activity retries and the process waits for the service. */
export class TimestampUnavailableError extends Error {
  override readonly name = 'TimestampUnavailableError';
}

/** A TSA answered, but the answer failed a check; it is never embedded. */
export class TimestampRefusedError extends Error {
  override readonly name = 'TimestampRefusedError';
}

export interface TimestampClientOptions {
  urls: string[];
  /** DER certificates a TSA certificate must chain to. */
  trustAnchors: Buffer[];
  attemptsPerTsa?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** How far the TSA's clock may be from ours. */
  maxClockSkewMs?: number;
}

const GRANTED = 0;
const GRANTED_WITH_MODS = 1;

export function createTimestampClient(options: TimestampClientOptions): TimestampClient {
  if (options.urls.length === 0) throw new Error('No TSA is configured (SINETTI_TSA_URLS).');
  if (options.trustAnchors.length === 0) throw new Error('No TSA trust anchor is configured (SINETTI_TSA_TRUST_ANCHORS).');
  const anchors = options.trustAnchors.map(parseCertificate);
  const attempts = options.attemptsPerTsa ?? 3;
  const backoffMs = options.backoffMs ?? 250;

  async function ask(url: string, sha256: Buffer): Promise<TimestampToken> {
    const nonce = Buffer.concat([Buffer.from([0x01]), randomBytes(15)]);
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(sha256) }),
      }),
      nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
      certReq: true,
    });
    const response = await httpCallForBytes(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: Buffer.from(request.toSchema().toBER()),
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    if (!response.ok) throw new TimestampUnavailableError(`TSA ${url} answered HTTP ${response.status}.`);
    return checkResponse(url, response.bytes, sha256, nonce);
  }

  async function checkResponse(url: string, der: Buffer, sha256: Buffer, nonce: Buffer): Promise<TimestampToken> {
    const refuse = (reason: string) => new TimestampRefusedError(`TSA ${url}: ${reason}`);
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }: the token is kept as the TSA sent it.
    let status: pkijs.PKIStatusInfo;
    let tokenTlv: Tlv | undefined;
    try {
      const [statusTlv, token] = childrenOf(der, readTlv(der));
      status = new pkijs.PKIStatusInfo({ schema: parseDer(tlvBytes(der, statusTlv), 'The status').value });
      tokenTlv = token;
    } catch {
      throw refuse('the answer is not a TimeStampResp.');
    }
    const granted = Number(status.status);
    if (granted !== GRANTED && granted !== GRANTED_WITH_MODS) {
      const text = (status.statusStrings ?? []).map((s) => s.valueBlock.value).join(' ');
      throw refuse(`the request was not granted (status ${granted}${text ? `: ${text}` : ''}).`);
    }
    if (!tokenTlv) throw refuse('the answer holds no token.');
    const token = Buffer.from(tlvBytes(der, tokenTlv));
    const tstInfo = await readTimestampToken(token, anchors).catch((error: Error) => {
      throw refuse(error.message);
    });
    if (!tstInfo.nonce || !tstInfo.nonce.equals(nonce)) throw refuse('the nonce does not match ours (a replayed or misrouted answer).');
    if (tstInfo.imprintAlgorithm !== OID.sha256 || !tstInfo.imprint.equals(sha256))
      throw refuse('the token stamps another message imprint than ours.');
    const skew = Math.abs(tstInfo.genTime.getTime() - Date.now());
    if (skew > (options.maxClockSkewMs ?? 10 * 60 * 1000)) throw refuse(`the token's time is ${Math.round(skew / 1000)} s from ours.`);
    if (tstInfo.problem) throw refuse(tstInfo.problem);
    return { token, genTime: tstInfo.genTime, policy: tstInfo.policy, tsaUrl: url };
  }

  return {
    async timestamp(sha256) {
      if (sha256.length !== 32) throw new Error('expected a SHA-256 digest');
      const failures: string[] = [];
      for (const url of options.urls) {
        for (let attempt = 1; attempt <= attempts; attempt++) {
          try {
            return await ask(url, sha256);
          } catch (error) {
            failures.push((error as Error).message);
            if (error instanceof TimestampRefusedError) break; // a wrong answer: try the next TSA rather than the same one again
            if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
          }
        }
      }
      throw new TimestampUnavailableError(`No TSA gave a valid timestamp: ${failures.join(' | ')}`);
    },
  };
}
