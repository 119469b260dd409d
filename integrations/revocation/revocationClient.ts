import { randomBytes, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  authorityInfoAccess,
  certificateDer,
  certificateId,
  crlDistributionPoints,
  hasExtendedKeyUsage,
  OID,
  parseDer,
  publicKeyOf,
  toArrayBuffer,
} from '../../signing/pkix';
import { httpCallForBytes } from '../httpCall';

/**
 * Fetches revocation data for a certificate from the places the certificate
 * itself names: OCSP from its Authority Information Access, else the CRL
 * from its distribution points. Every answer is checked (signed by the
 * issuer, about this certificate, our nonce) before it is returned.
 */

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationEvidence {
  kind: 'ocsp' | 'crl';
  /** DER OCSPResponse or CertificateList, as embedded in the DSS. */
  der: Buffer;
  status: RevocationStatus;
  revokedAt?: Date;
  source: string;
}

export interface RevocationClient {
  check(certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<RevocationEvidence>;
}

/** Neither the OCSP responder nor the CRL could be reached or read; retried by the activity. */
export class RevocationUnavailableError extends Error {
  override readonly name = 'RevocationUnavailableError';
}

export function createRevocationClient(options: { timeoutMs?: number } = {}): RevocationClient {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function viaOcsp(url: string, certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<RevocationEvidence> {
    const certId = certificateId(certificate, issuer)!; // SHA-1 is always known
    const nonce = randomBytes(16);
    const request = new pkijs.OCSPRequest({
      tbsRequest: new pkijs.TBSRequest({
        requestList: [new pkijs.Request({ reqCert: certId })],
        requestExtensions: [
          new pkijs.Extension({ extnID: OID.ocspNonce, extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(nonce) }).toBER() }),
        ],
      }),
    });
    const response = await httpCallForBytes(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: Buffer.from(request.toSchema(true).toBER()),
      timeoutMs,
    });
    if (!response.ok) throw new RevocationUnavailableError(`OCSP responder ${url} answered HTTP ${response.status}.`);
    const der = response.bytes;
    const ocsp = new pkijs.OCSPResponse({ schema: parseDer(der, 'The OCSP response').value });
    if (ocsp.responseStatus.valueBlock.valueDec !== 0 || !ocsp.responseBytes) {
      throw new RevocationUnavailableError(`OCSP responder ${url} refused (status ${ocsp.responseStatus.valueBlock.valueDec}).`);
    }
    const basic = new pkijs.BasicOCSPResponse({
      schema: parseDer(ocsp.responseBytes.response.valueBlock.valueHexView, 'BasicOCSPResponse').value,
    });
    const echoed = basic.tbsResponseData.responseExtensions?.find((extension) => extension.extnID === OID.ocspNonce);
    if (
      echoed &&
      !Buffer.from(echoed.extnValue.valueBlock.valueHexView).equals(
        Buffer.from(new asn1js.OctetString({ valueHex: toArrayBuffer(nonce) }).toBER()),
      )
    ) {
      throw new RevocationUnavailableError(`OCSP responder ${url} answered with another nonce.`);
    }
    if (!responseSignedForIssuer(basic, issuer))
      throw new RevocationUnavailableError(`OCSP response from ${url} is not signed by the issuer or a responder it authorised.`);
    const single = basic.tbsResponseData.responses.find((candidate) => candidate.certID.isEqual(certId));
    if (!single) throw new RevocationUnavailableError(`OCSP response from ${url} is about another certificate.`);
    // CertStatus: [0] good, [1] revoked (with the time), [2] unknown.
    const status = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
    const revokedAt =
      status === 1 ? ((single.certStatus as asn1js.Constructed).valueBlock.value[0] as asn1js.GeneralizedTime | undefined) : undefined;
    return {
      kind: 'ocsp',
      der,
      status: status === 0 ? 'good' : status === 1 ? 'revoked' : 'unknown',
      revokedAt: revokedAt?.toDate(),
      source: url,
    };
  }

  async function viaCrl(url: string, certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<RevocationEvidence> {
    const response = await httpCallForBytes(url, { method: 'GET', timeoutMs });
    if (!response.ok) throw new RevocationUnavailableError(`CRL ${url} answered HTTP ${response.status}.`);
    const der = response.bytes;
    const crl = new pkijs.CertificateRevocationList({ schema: parseDer(der, 'The CRL').value });
    if (!(await crl.verify({ issuerCertificate: issuer }))) throw new RevocationUnavailableError(`CRL ${url} is not signed by the issuer.`);
    const entry = crl.revokedCertificates?.find((revoked) => revoked.userCertificate.isEqual(certificate.serialNumber));
    return { kind: 'crl', der, status: entry ? 'revoked' : 'good', revokedAt: entry?.revocationDate.value, source: url };
  }

  return {
    async check(certificate, issuer) {
      const failures: string[] = [];
      for (const url of authorityInfoAccess(certificate, OID.accessOcsp)) {
        try {
          return await viaOcsp(url, certificate, issuer);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      for (const url of crlDistributionPoints(certificate)) {
        try {
          return await viaCrl(url, certificate, issuer);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      if (failures.length === 0) {
        throw new RevocationUnavailableError('The certificate names no OCSP responder and no CRL; its revocation status cannot be shown.');
      }
      throw new RevocationUnavailableError(`No revocation data: ${failures.join(' | ')}`);
    },
  };
}

/**
 * The response is signed by the issuer itself or by a responder certificate
 * the issuer gave the OCSP-signing purpose (RFC 6960 4.2.2.2). Checked with
 * node:crypto on the response's own DER, without a chain engine per call.
 */
function responseSignedForIssuer(basic: pkijs.BasicOCSPResponse, issuer: pkijs.Certificate): boolean {
  const signedBytes = Buffer.from(basic.tbsResponseData.tbsView);
  const signature = Buffer.from(basic.signature.valueBlock.valueHexView);
  const algorithm =
    basic.signatureAlgorithm.algorithmId === '1.2.840.113549.1.1.11' || basic.signatureAlgorithm.algorithmId === '1.2.840.10045.4.3.2'
      ? 'sha256'
      : undefined;
  if (!algorithm) return false;
  if (verify(algorithm, signedBytes, publicKeyOf(issuer), signature)) return true;
  return (basic.certs ?? []).some((candidate) => {
    const issuerCertificate = new X509Certificate(certificateDer(issuer));
    const responder = new X509Certificate(certificateDer(candidate));
    return (
      hasExtendedKeyUsage(candidate, OID.ocspSigning) &&
      responder.checkIssued(issuerCertificate) &&
      responder.verify(issuerCertificate.publicKey) &&
      verify(algorithm, signedBytes, responder.publicKey, signature)
    );
  });
}
