import { createHash, sign as cryptoSign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readDevelopmentRevocations, type DevelopmentPki } from '../../signing/developmentPki';
import { OID, parseCertificate, parseDer, signingKey, toArrayBuffer } from '../../signing/pkix';

/**
 * Development's OCSP responder and CRL for the development CA. Both read
 * the revocation list file on every request, so a certificate revoked by a
 * test is reported at once. Every serial the CA did not revoke is "good":
 * the development CA keeps no register of what it issued.
 */

const RESPONSE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

export function createRevocationServices(pki: Pick<DevelopmentPki, 'caCertificate' | 'caPrivateKey' | 'revocationFile'>) {
  const ca = parseCertificate(pki.caCertificate);
  const caKeyHash = createHash('sha1').update(ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
  const caNameHash = createHash('sha1').update(Buffer.from(ca.subject.toSchema().toBER())).digest();
  const key = signingKey(pki.caPrivateKey);

  function ocspError(status: number): Buffer {
    return Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER());
  }

  /** A DER OCSPResponse for a DER OCSPRequest (RFC 6960). */
  async function ocsp(requestDer: Uint8Array, now = new Date()): Promise<Buffer> {
    let request: pkijs.OCSPRequest;
    try {
      request = new pkijs.OCSPRequest({ schema: parseDer(requestDer, 'The request').value });
    } catch {
      return ocspError(1); // malformedRequest
    }
    const revoked = new Map(
      (await readDevelopmentRevocations(pki.revocationFile)).map((entry) => [entry.serialNumber, new Date(entry.revokedAt)]),
    );
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const responses = request.tbsRequest.requestList.map(({ reqCert }) => {
      const ours =
        reqCert.hashAlgorithm.algorithmId === OID.sha1 &&
        Buffer.from(reqCert.issuerKeyHash.valueBlock.valueHexView).equals(caKeyHash) &&
        Buffer.from(reqCert.issuerNameHash.valueBlock.valueHexView).equals(caNameHash);
      const serial = Buffer.from(reqCert.serialNumber.valueBlock.valueHexView)
        .toString('hex')
        .replace(/^(00)+(?=[0-9a-f])/, '');
      const revokedAt = ours ? revoked.get(serial) : undefined;
      const certStatus = !ours
        ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } }) // unknown
        : revokedAt
          ? new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 1 },
              value: [new asn1js.GeneralizedTime({ valueDate: revokedAt })],
            })
          : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }); // good
      return new pkijs.SingleResponse({
        certID: reqCert,
        certStatus,
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + RESPONSE_LIFETIME_MS),
      });
    });
    const nonce = request.tbsRequest.requestExtensions?.find((extension) => extension.extnID === OID.ocspNonce);
    const basic = new pkijs.BasicOCSPResponse({
      certs: [ca], // the responder's own certificate, so a validator need not look it up
      tbsResponseData: new pkijs.ResponseData({
        responderID: ca.subject,
        producedAt: thisUpdate,
        responses,
        ...(nonce ? { responseExtensions: [nonce] } : {}),
      }),
    });
    // Signed with node:crypto directly: pkijs' sign() goes through WebCrypto's thread pool, slow under load.
    basic.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_WITH_RSA, algorithmParams: new asn1js.Null() });
    const tbs = Buffer.from(basic.tbsResponseData.toSchema(true).toBER());
    basic.tbsResponseData.tbsView = new Uint8Array(tbs); // what pkijs encodes the response from, as its own sign() would set
    basic.signature = new asn1js.BitString({ valueHex: toArrayBuffer(cryptoSign('sha256', tbs, pki.caPrivateKey)) });
    return Buffer.from(
      new pkijs.OCSPResponse({
        responseStatus: new asn1js.Enumerated({ value: 0 }),
        responseBytes: new pkijs.ResponseBytes({
          responseType: OID.ocspBasic,
          response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
        }),
      })
        .toSchema()
        .toBER(),
    );
  }

  /** The CA's current CRL, DER, valid for a week. */
  async function crl(now = new Date()): Promise<Buffer> {
    const revoked = await readDevelopmentRevocations(pki.revocationFile);
    const list = new pkijs.CertificateRevocationList({
      version: 1,
      issuer: ca.subject,
      thisUpdate: new pkijs.Time({ type: 0, value: now }),
      nextUpdate: new pkijs.Time({ type: 0, value: new Date(now.getTime() + RESPONSE_LIFETIME_MS) }),
      // An empty list is left out entirely (RFC 5280 5.1.2.6).
      ...(revoked.length
        ? {
            revokedCertificates: revoked.map(
              (entry) =>
                new pkijs.RevokedCertificate({
                  userCertificate: new asn1js.Integer({
                    valueHex: toArrayBuffer(
                      Buffer.from(entry.serialNumber.padStart(entry.serialNumber.length + (entry.serialNumber.length % 2), '0'), 'hex'),
                    ),
                  }),
                  revocationDate: new pkijs.Time({ type: 0, value: new Date(entry.revokedAt) }),
                }),
            ),
          }
        : {}),
    });
    await list.sign(await key, 'SHA-256');
    return Buffer.from(list.toSchema(true).toBER());
  }

  return { ocsp, crl, caCertificate: pki.caCertificate };
}
