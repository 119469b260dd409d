import { createHash, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oidDer } from '../../signing/cmsParts';
import { derWrap, TAG } from '../../signing/derReader';
import { cmsAttribute, OID, parseCertificate, parseDer, toArrayBuffer } from '../../signing/pkix';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/**
 * Development's RFC 3161 time-stamping authority: answers a TimeStampReq
 * with a token signed by the development TSA certificate. Production points
 * SINETTI_TSA_URLS at a real (preferably qualified) TSA instead.
 */

/** Sinetti's development policy; a real TSA names its own. */
export const DEVELOPMENT_TSA_POLICY = '1.3.6.1.4.1.61192.1.1';

const ACCEPTED_DIGESTS = new Map([
  [OID.sha256, 32],
  ['2.16.840.1.101.3.4.2.2', 48],
  ['2.16.840.1.101.3.4.2.3', 64],
]);

const VERSION_3 = Buffer.from(new asn1js.Integer({ value: 3 }).toBER());
const SHA256_ALGORITHM = Buffer.from(new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }).toSchema().toBER());
const TST_INFO_TYPE = oidDer(OID.tstInfo);
const SIGNED_DATA_TYPE = oidDer(OID.signedData);
const GRANTED = Buffer.from(new pkijs.PKIStatusInfo({ status: 0 }).toSchema().toBER());

export interface TimestampAuthorityKeys {
  certificate: Buffer;
  privateKey: KeyObject;
}

export function createTimestampAuthority(keys: TimestampAuthorityKeys) {
  const certificate = parseCertificate(keys.certificate);
  const certificateHash = createHash('sha256').update(keys.certificate).digest();
  if (keys.privateKey.asymmetricKeyType !== 'rsa') throw new Error('The development TSA signs with RSA.');

  function rejection(failInfoBit: number, text: string): Buffer {
    // PKIFailureInfo is a BIT STRING; bit n set means failure n (badAlg 0, badRequest 2, badDataFormat 5).
    const bits = new Uint8Array([0]);
    bits[0] = 0x80 >> failInfoBit;
    const status = new pkijs.PKIStatusInfo({
      status: 2,
      statusStrings: [new asn1js.Utf8String({ value: text })],
      failInfo: new asn1js.BitString({ valueHex: toArrayBuffer(bits), unusedBits: 7 - failInfoBit }),
    });
    return Buffer.from(new pkijs.TimeStampResp({ status }).toSchema().toBER());
  }

  /** A DER TimeStampResp for a DER TimeStampReq; a malformed request gets a rejection, not an exception. */
  async function respond(requestDer: Uint8Array, now = new Date()): Promise<Buffer> {
    let request: pkijs.TimeStampReq;
    try {
      request = new pkijs.TimeStampReq({ schema: parseDer(requestDer, 'The request').value });
    } catch {
      return rejection(5, 'The request is not a DER TimeStampReq.');
    }
    const imprintLength = ACCEPTED_DIGESTS.get(request.messageImprint.hashAlgorithm.algorithmId);
    if (imprintLength === undefined) return rejection(0, 'Use SHA-256, SHA-384 or SHA-512 for the message imprint.');
    if (request.messageImprint.hashedMessage.valueBlock.valueHexView.byteLength !== imprintLength) {
      return rejection(2, 'The message imprint has the wrong length for its algorithm.');
    }
    if (request.reqPolicy && request.reqPolicy !== DEVELOPMENT_TSA_POLICY) return rejection(2, 'This TSA serves only its own policy.');

    const genTime = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: DEVELOPMENT_TSA_POLICY,
      messageImprint: request.messageImprint,
      serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])) }),
      genTime,
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    const content = Buffer.from(tstInfo.toSchema().toBER());
    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: [
          cmsAttribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.tstInfo })),
          cmsAttribute(
            OID.messageDigest,
            new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha256').update(content).digest()) }),
          ),
          // SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash } } with the default SHA-256 (RFC 5816).
          cmsAttribute(
            OID.signingCertificateV2,
            new asn1js.Sequence({
              value: [
                new asn1js.Sequence({
                  value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certificateHash) })] })],
                }),
              ],
            }),
          ),
        ],
      }),
    });
    // Signed here with node:crypto, synchronously: pkijs' sign() goes through WebCrypto's thread pool, which under load costs more than the RSA itself.
    const signedAttributes = Buffer.from(signerInfo.signedAttrs!.toSchema().toBER());
    signedAttributes[0] = 0x31; // signed as a SET OF, stored as [0] IMPLICIT
    signerInfo.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
    signerInfo.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_WITH_RSA, algorithmParams: new asn1js.Null() });
    signerInfo.signature = new asn1js.OctetString({ valueHex: toArrayBuffer(cryptoSign('sha256', signedAttributes, keys.privateKey)) });
    // The SignedData around it is put together from DER pieces: pkijs would encode the TSA certificate again for every token.
    const signedData = derWrap(
      TAG.sequence,
      VERSION_3,
      derWrap(TAG.set, SHA256_ALGORITHM),
      derWrap(TAG.sequence, TST_INFO_TYPE, derWrap(TAG.context0, derWrap(TAG.octetString, content))),
      ...(request.certReq ? [derWrap(TAG.context0, keys.certificate)] : []),
      derWrap(TAG.set, Buffer.from(signerInfo.toSchema().toBER())),
    );
    return derWrap(TAG.sequence, GRANTED, derWrap(TAG.sequence, SIGNED_DATA_TYPE, derWrap(TAG.context0, signedData)));
  }

  return { respond };
}
