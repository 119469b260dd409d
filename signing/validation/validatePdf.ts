import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readTimestampToken, type TimestampTokenContents } from '../../integrations/timestamping/timestampToken';
import { parseReference, readDictionary } from '../documentSecurityStore';
import { assertPdfHeader } from '../errors';
import { findObjectOffset, readDocumentTail } from '../incrementalUpdate';
import { findSignatures, type PdfSignature } from '../pdfSignatures';
import { readSignedData, signerCertificateDer } from '../cmsParts';
import { certificateId, chainProblem, parseCertificate, parseDer, signerInfoProblem } from '../pkix';

/**
 * Validates every signature and document timestamp in a PDF, as of a chosen
 * date, in words a person can check: who signed (and whether we trust the
 * issuer), the claimed and the timestamped time, what the signature covers
 * and what came after it, the revocation status found in the document's own
 * DSS, and the PAdES level reached. A signature with a valid timestamp is
 * judged at the timestamp's time (its proof of existence); one without is
 * judged at the validation date, so it turns indeterminate once its
 * certificate expires.
 */

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
export type Indication = 'valid' | 'invalid' | 'indeterminate';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  trusted: boolean;
}

export interface SignatureValidation {
  index: number;
  kind: 'signature' | 'document-timestamp';
  signer?: CertificateSummary;
  /** From the signature dictionary's /M: what the signer's software claimed. */
  claimedTime?: string;
  /** From the signature timestamp (or the document timestamp itself). */
  timestampedTime?: string;
  covers: { bytes: number; wholeDocument: boolean; laterChanges: 'none' | 'validation-data-and-timestamps' | 'other' };
  revocation: { status: 'good' | 'revoked' | 'unknown' | 'not-in-document'; revokedAt?: string; source?: 'dss-ocsp' | 'dss-crl' };
  level?: PadesLevel;
  indication: Indication;
  /** In English, with the technical detail (the API's and the JSON report's words). */
  reasons: string[];
  /** The same reasons as codes, for the page and the PDF report to say in the reader's language. */
  findings: ValidationFinding[];
}

export type FindingCode =
  | 'document-changed'
  | 'timestamp-untrusted'
  | 'no-signer-certificate'
  | 'integrity'
  | 'signature-timestamp-untrusted'
  | 'signature-timestamp-mismatch'
  | 'expired-without-proof'
  | 'signer-untrusted'
  | 'revoked';

export interface ValidationFinding {
  code: FindingCode;
  /** The day (or time) the finding names: an expiry or a revocation. */
  date?: string;
}

export interface ValidationReport {
  validatedAt: string;
  signatures: SignatureValidation[];
}

interface ValidationData {
  certificates: pkijs.Certificate[];
  ocsp: pkijs.BasicOCSPResponse[];
  crls: pkijs.CertificateRevocationList[];
  /** Where the revision that added the DSS ends: a document timestamp covering this far protects it. */
  addedBy?: number;
}

function nameText(name: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.6': 'C', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber' };
  return name.typesAndValues
    .map((attribute) => `${short[attribute.type] ?? attribute.type}=${String(attribute.value.valueBlock.value)}`)
    .join(', ');
}

function summary(certificate: pkijs.Certificate, trusted: boolean): CertificateSummary {
  return {
    subject: nameText(certificate.subject),
    issuer: nameText(certificate.issuer),
    serialNumber: Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
    trusted,
  };
}

function readStream(pdf: Buffer, objectNumber: number): Buffer | undefined {
  const offset = findObjectOffset(pdf, readDocumentTail(pdf), objectNumber);
  if (offset === undefined) return undefined;
  const start = pdf.indexOf('stream', offset, 'latin1');
  const header = pdf.toString('latin1', offset, start);
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(header);
  if (!length) return undefined;
  let dataStart = start + 'stream'.length;
  if (pdf[dataStart] === 0x0d) dataStart++;
  if (pdf[dataStart] === 0x0a) dataStart++;
  const data = pdf.subarray(dataStart, dataStart + Number(length[1]));
  return /\/Filter\s*\/FlateDecode/.test(header) ? inflateSync(data) : /\/Filter/.test(header) ? undefined : data;
}

function readValidationData(pdf: Buffer): ValidationData {
  const empty: ValidationData = { certificates: [], ocsp: [], crls: [] };
  let tail;
  try {
    tail = readDocumentTail(pdf);
  } catch {
    return empty; // e.g. a cross-reference stream: no DSS we can read, the signatures are still checked
  }
  const catalog = readDictionary(pdf, parseReference(tail.root).objectNumber);
  const dssReference = /\/DSS\s+(\d+\s+\d+\s+R)/.exec(catalog)?.[1];
  if (!dssReference) return empty;
  const dssNumber = parseReference(dssReference).objectNumber;
  const dss = readDictionary(pdf, dssNumber);
  // Each stream once: a DSS may name the same certificate or response for many signatures.
  const streams = (key: string) =>
    [
      ...new Set(
        [...(new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(dss)?.[1] ?? '').matchAll(/(\d+)\s+\d+\s+R/g)].map(([, number]) =>
          Number(number),
        ),
      ),
    ]
      .map((number) => readStream(pdf, number))
      .filter((bytes): bytes is Buffer => Boolean(bytes));
  const ocsp = streams('OCSPs').flatMap((der) => {
    try {
      const response = new pkijs.OCSPResponse({ schema: parseDer(der, 'OCSP').value });
      return response.responseBytes
        ? [new pkijs.BasicOCSPResponse({ schema: parseDer(response.responseBytes.response.valueBlock.valueHexView, 'OCSP').value })]
        : [];
    } catch {
      return [];
    }
  });
  const crls = streams('CRLs').flatMap((der) => {
    try {
      return [new pkijs.CertificateRevocationList({ schema: parseDer(der, 'CRL').value })];
    } catch {
      return [];
    }
  });
  const certificates = streams('Certs').flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
  const dssOffset = findObjectOffset(pdf, tail, dssNumber);
  const revisionEnd = dssOffset === undefined ? undefined : pdf.indexOf('%%EOF', dssOffset, 'latin1');
  return { certificates, ocsp, crls, addedBy: revisionEnd === undefined || revisionEnd < 0 ? undefined : revisionEnd };
}

/** What the objects appended after a signature's range are: only signatures, validation data and timestamps, or anything else. */
function laterChanges(pdf: Buffer, signedUpTo: number): SignatureValidation['covers']['laterChanges'] {
  if (signedUpTo >= pdf.length) return 'none';
  const appended = pdf.toString('latin1', signedUpTo);
  const objects = appended
    .split(/^\d{1,10}[ \t]+\d{1,5}[ \t]+obj\b/m)
    .slice(1)
    .map((body) => body.split('endobj')[0]);
  const allowed = (body: string) =>
    /\/Type\s*\/(Sig|DocTimeStamp|DSS|Catalog|XRef)\b/.test(body) ||
    /\/FT\s*\/Sig\b/.test(body) ||
    /\/Fields\s*\[/.test(body) ||
    /\/Subtype\s*\/Form\b/.test(body) || // a signature's visible stamp
    /^\s*<<\s*\/Length\s+\d+\s*>>\s*stream/.test(body); // a certificate, OCSP response or CRL of the DSS
  return objects.every(allowed) ? 'validation-data-and-timestamps' : 'other';
}

function claimedTime(pdf: Buffer, signature: PdfSignature): string | undefined {
  const dictionary = pdf.toString('latin1', signature.contentsEnd, Math.min(pdf.length, signature.contentsEnd + 2000)).split('endobj')[0];
  const match = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(dictionary);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  const offset = !zone || zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`).toISOString();
}

/** The OCSP answer about `certificate` in a response: its CertID (in the response's own hash algorithm) names it and its issuer. */
function ocspAnswerFor(response: pkijs.BasicOCSPResponse, certificate: pkijs.Certificate, issuer: pkijs.Certificate) {
  return response.tbsResponseData.responses.find((single) => {
    const id = certificateId(certificate, issuer, single.certID.hashAlgorithm.algorithmId);
    return id !== undefined && single.certID.isEqual(id);
  });
}

function revocationOf(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate | undefined,
  data: ValidationData,
): SignatureValidation['revocation'] {
  if (issuer) {
    for (const response of data.ocsp) {
      const single = ocspAnswerFor(response, certificate, issuer);
      if (!single) continue;
      // CertStatus: [0] good, [1] revoked (constructed, with the time), [2] unknown.
      const certStatus = single.certStatus as asn1js.BaseBlock & { valueBlock: { value?: asn1js.GeneralizedTime[] } };
      const revoked = certStatus.idBlock.isConstructed && certStatus.idBlock.tagNumber === 1;
      const good = !certStatus.idBlock.isConstructed && certStatus.idBlock.tagNumber === 0;
      return {
        status: revoked ? 'revoked' : good ? 'good' : 'unknown',
        revokedAt: revoked ? certStatus.valueBlock.value?.[0]?.toDate?.()?.toISOString() : undefined,
        source: 'dss-ocsp',
      };
    }
  }
  for (const crl of data.crls) {
    if (!crl.issuer.isEqual(certificate.issuer)) continue;
    const entry = crl.revokedCertificates?.find((revoked) => revoked.userCertificate.isEqual(certificate.serialNumber));
    return entry
      ? { status: 'revoked', revokedAt: entry.revocationDate.value.toISOString(), source: 'dss-crl' }
      : { status: 'good', source: 'dss-crl' };
  }
  return { status: 'not-in-document' };
}

export async function validatePdf(pdf: Buffer, options: { trustAnchors: Buffer[]; at?: Date }): Promise<ValidationReport> {
  assertPdfHeader(pdf);
  const at = options.at ?? new Date();
  const anchors = options.trustAnchors.map(parseCertificate);
  const signatures = findSignatures(pdf);
  const data = readValidationData(pdf);

  // Document timestamps first: they are proof of existence for everything they cover.
  const documentTimestamps = await Promise.all(
    signatures.map(async (signature) => {
      if (!signature.isDocumentTimestamp) return undefined;
      const [, a, b, c] = signature.byteRange;
      const digest = createHash('sha256')
        .update(pdf.subarray(0, a))
        .update(pdf.subarray(b, b + c))
        .digest();
      const token = await readTimestampToken(signature.der, anchors).catch(
        (error: Error): Partial<TimestampTokenContents> & { problem: string } => ({ problem: error.message }),
      );
      const intact = token.imprint?.equals(digest) ?? false;
      return { signature, token, intact, coversUpTo: b + c };
    }),
  );
  const validDocumentTimestamps = documentTimestamps.filter((entry): entry is NonNullable<typeof entry> =>
    Boolean(entry && entry.intact && !entry.token.problem),
  );
  // The archive chain holds at `at` if the newest document timestamp's TSA certificate is still valid then.
  const newest = validDocumentTimestamps[validDocumentTimestamps.length - 1];
  const archiveHoldsAt = newest?.token.signer ? newest.token.signer.notAfter.value >= at : false;

  const results: SignatureValidation[] = [];
  for (const [index, signature] of signatures.entries()) {
    const [, a, b, c] = signature.byteRange;
    const coversUpTo = b + c;
    const covers = { bytes: coversUpTo, wholeDocument: coversUpTo === pdf.length, laterChanges: laterChanges(pdf, coversUpTo) };
    const reasons: string[] = [];
    const findings: ValidationFinding[] = [];
    const note = (code: FindingCode, english: string, date?: string) => {
      reasons.push(english);
      findings.push(date ? { code, date } : { code });
    };

    if (signature.isDocumentTimestamp) {
      const entry = documentTimestamps[index]!;
      if (!entry.intact) note('document-changed', 'The document has changed since this document timestamp.');
      if (entry.token.problem) note('timestamp-untrusted', `The timestamp cannot be trusted: ${entry.token.problem}`);
      const signer = entry.token.signer;
      results.push({
        index,
        kind: 'document-timestamp',
        covers,
        signer: signer && summary(signer, !entry.token.problem),
        timestampedTime: entry.token.genTime?.toISOString(),
        revocation: signer
          ? revocationOf(
              signer,
              (entry.token.certificates ?? [])
                .concat(data.certificates, anchors)
                .find((candidate) => candidate.subject.isEqual(signer.issuer)),
              data,
            )
          : { status: 'not-in-document' },
        indication: reasons.length
          ? entry.intact
            ? 'indeterminate'
            : 'invalid'
          : signer && signer.notAfter.value < at && !(newest && newest.signature !== signature)
            ? 'indeterminate'
            : 'valid',
        reasons,
        findings,
      });
      continue;
    }

    const parts = readSignedData(signature.der);
    const certificates = parts.certificates.map(parseCertificate);
    const signerInfo = parts.signerInfo;
    const signerDer = signerInfo && signerCertificateDer(signerInfo, parts.certificates);
    const certificate = signerDer && parseCertificate(signerDer);
    if (!signerInfo || !certificate) {
      results.push({
        index,
        kind: 'signature',
        covers,
        revocation: { status: 'not-in-document' },
        indication: 'indeterminate',
        reasons: ["The signature does not carry its signer's certificate."],
        findings: [{ code: 'no-signer-certificate' }],
        claimedTime: claimedTime(pdf, signature),
      });
      continue;
    }
    const digest = createHash('sha256')
      .update(pdf.subarray(0, a))
      .update(pdf.subarray(b, b + c))
      .digest();
    const integrityProblem = signerInfoProblem(signerInfo, certificate, digest);
    if (integrityProblem) note('integrity', `Integrity: ${integrityProblem}`);

    // Proof of existence: the signature timestamp, else the earliest valid document timestamp covering this signature.
    let timestampedTime: Date | undefined;
    if (signerInfo.signatureTimestampToken) {
      const token = await readTimestampToken(Buffer.from(signerInfo.signatureTimestampToken), anchors).catch(
        (error: Error): Partial<TimestampTokenContents> & { problem: string } => ({ problem: error.message }),
      );
      const imprint = createHash('sha256').update(signerInfo.signatureValue).digest();
      if (token.problem) note('signature-timestamp-untrusted', `The signature timestamp cannot be trusted: ${token.problem}`);
      else if (!token.imprint?.equals(imprint))
        note('signature-timestamp-mismatch', 'The signature timestamp belongs to another signature.');
      else timestampedTime = token.genTime;
    }
    const coveringTimestamp = validDocumentTimestamps.find((entry) => entry.coversUpTo > coversUpTo);
    const proofOfExistence = timestampedTime ?? coveringTimestamp?.token.genTime;

    const pool = [...certificates, ...data.certificates];
    const issuer = [...pool, ...anchors].find((candidate) => candidate.subject.isEqual(certificate.issuer) && candidate !== certificate);
    const judgedAt = proofOfExistence && (archiveHoldsAt || (!newest && timestampedTime)) ? proofOfExistence : at;
    const untrusted = await chainProblem(certificate, pool, anchors, judgedAt);
    if (untrusted) {
      const expiry = certificate.notAfter.value.toISOString().slice(0, 10);
      if (judgedAt === at && certificate.notAfter.value < at)
        note(
          'expired-without-proof',
          `The signer's certificate expired on ${expiry} and nothing in the document proves the signature existed before that.`,
          expiry,
        );
      else note('signer-untrusted', `Signer: ${untrusted}`);
    }
    const revocation = revocationOf(certificate, issuer, data);
    if (revocation.status === 'revoked' && (!revocation.revokedAt || new Date(revocation.revokedAt) <= judgedAt)) {
      note(
        'revoked',
        `The signer's certificate was revoked on ${revocation.revokedAt ?? 'an unknown date'}, before the time the signature is proven to exist.`,
        revocation.revokedAt,
      );
    }

    const hasRevocationData = revocation.status !== 'not-in-document';
    const level: PadesLevel =
      !timestampedTime && !coveringTimestamp
        ? 'B-B'
        : !hasRevocationData
          ? 'B-T'
          : validDocumentTimestamps.some((entry) => data.addedBy !== undefined && entry.coversUpTo > data.addedBy)
            ? 'B-LTA'
            : 'B-LT';
    const indication: Indication =
      integrityProblem || (revocation.status === 'revoked' && reasons.some((reason) => reason.includes('revoked')))
        ? 'invalid'
        : reasons.length
          ? 'indeterminate'
          : 'valid';
    results.push({
      index,
      kind: 'signature',
      covers,
      level,
      indication,
      reasons,
      findings,
      revocation,
      signer: summary(certificate, !untrusted),
      claimedTime: claimedTime(pdf, signature),
      timestampedTime: timestampedTime?.toISOString(),
    });
  }
  return { validatedAt: at.toISOString(), signatures: results };
}
