import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';
import type { RevocationClient, RevocationEvidence, RevocationStatus } from '../integrations/revocation/revocationClient';
import type { TimestampClient, TimestampToken } from '../integrations/timestamping/timestampClient';
import { addDocumentSecurityStore, type ValidationMaterial } from './documentSecurityStore';
import { addDocumentTimestamp } from './documentTimestamp';
import { PdfError } from './errors';
import { findSignatures } from './pdfSignatures';
import { readSignedData } from './cmsParts';
import { certificateDer, isSelfIssued, parseCertificate } from './pkix';
import type { SigningCredentials } from './credentials';
import type { SignaturePlan } from './signatureFieldPlan';
import { signField, type SignatureStamp } from './signField';
import { timestampNewestSignature } from './signatureTimestamp';

/**
 * From a sealed, timestamped document (B-T) to B-LTA: validation data for
 * every certificate of every signature and timestamp in a DSS (B-LT), then
 * a document timestamp over all of it (B-LTA). Both are incremental
 * updates, so every earlier signature stays valid.
 */

export interface LongTermValidityServices {
  timestamps: TimestampClient;
  revocation: RevocationClient;
}

export interface ArchivalResult {
  pdf: Buffer;
  /** Each certificate that was checked, with what its issuer said about it. */
  revocation: { subject: string; serialNumber: string; status: RevocationStatus; kind: RevocationEvidence['kind'] }[];
  documentTimestamp: Pick<TimestampToken, 'genTime' | 'policy' | 'tsaUrl'>;
}

function certificatesOf(cms: Buffer): pkijs.Certificate[] {
  return readSignedData(cms).certificates.map(parseCertificate);
}

function subjectText(certificate: pkijs.Certificate): string {
  return certificate.subject.typesAndValues.map((attribute) => String(attribute.value.valueBlock.value)).join(', ');
}

export async function addArchivalTimestamp(pdf: Buffer, services: LongTermValidityServices): Promise<ArchivalResult> {
  const signatures = findSignatures(pdf);
  if (signatures.length === 0) throw new PdfError('malformed', 'The document has no signatures to keep verifiable.');

  // Certificates by their DER, each signature's own list, then issuers found among them all.
  const known = new Map<string, pkijs.Certificate>();
  const keyOf = (certificate: pkijs.Certificate) => certificateDer(certificate).toString('base64');
  const perSignature = signatures.map((signature) => {
    const parts = readSignedData(signature.der);
    const token = signature.isDocumentTimestamp ? undefined : parts.signerInfo?.signatureTimestampToken;
    const certificates = [...parts.certificates.map(parseCertificate), ...(token ? certificatesOf(token) : [])];
    for (const certificate of certificates) known.set(keyOf(certificate), certificate);
    return { signature, certificates };
  });
  const issuerOf = (certificate: pkijs.Certificate) =>
    [...known.values()].find((candidate) => candidate !== certificate && candidate.subject.isEqual(certificate.issuer));

  // Every certificate below an anchor, asked for at once: the seal's, each signer's and the TSA's.
  const checked = await Promise.all(
    [...known.values()]
      .filter((certificate) => !isSelfIssued(certificate))
      .map(async (certificate) => {
        const issuer = issuerOf(certificate);
        if (!issuer)
          throw new PdfError(
            'malformed',
            `The issuer of "${subjectText(certificate)}" is not in the document; its revocation status cannot be checked.`,
          );
        return { certificate, answer: await services.revocation.check(certificate, issuer) };
      }),
  );
  const evidence = new Map(checked.map(({ certificate, answer }) => [keyOf(certificate), answer]));
  const revocation: ArchivalResult['revocation'] = checked.map(({ certificate, answer }) => ({
    subject: subjectText(certificate),
    serialNumber: Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex'),
    status: answer.status,
    kind: answer.kind,
  }));

  const material: ValidationMaterial[] = perSignature.map(({ signature, certificates }) => {
    const chain = new Map<string, pkijs.Certificate>();
    for (let queue = [...certificates]; queue.length > 0;) {
      const certificate = queue.pop()!;
      if (chain.has(keyOf(certificate))) continue;
      chain.set(keyOf(certificate), certificate);
      const issuer = isSelfIssued(certificate) ? undefined : issuerOf(certificate);
      if (issuer) queue.push(issuer);
    }
    const answers = [...chain.keys()].map((key) => evidence.get(key)).filter((answer): answer is RevocationEvidence => Boolean(answer));
    return {
      vriKey: createHash('sha1').update(signature.contents).digest('hex').toUpperCase(),
      certificates: [...chain.values()].map(certificateDer),
      ocspResponses: answers.filter((answer) => answer.kind === 'ocsp').map((answer) => answer.der),
      crls: answers.filter((answer) => answer.kind === 'crl').map((answer) => answer.der),
    };
  });

  const withValidationData = addDocumentSecurityStore(pdf, material);
  const { pdf: archival, timestamp } = await addDocumentTimestamp(withValidationData, services.timestamps);
  return {
    pdf: archival,
    revocation,
    documentTimestamp: { genTime: timestamp.genTime, policy: timestamp.policy, tsaUrl: timestamp.tsaUrl },
  };
}

/**
 * How every process signs: the field is signed and its signature timestamped
 * at once (B-T), before any later signature covers it. The plan's last field
 * (the seal, or a decision's only signature) finishes the document, so it
 * also gets the DSS and the document timestamp (B-LTA). A TSA or OCSP
 * outage throws, and the activity retries: never a weaker PDF in silence.
 */
export async function signFieldForTheLongTerm(
  pdf: Buffer,
  plan: SignaturePlan,
  fieldName: string,
  stamp: SignatureStamp,
  credentials: SigningCredentials,
  services: LongTermValidityServices,
): Promise<Buffer> {
  const signed = signField(pdf, plan, fieldName, stamp, credentials);
  const timestamped = (await timestampNewestSignature(signed, services.timestamps)).pdf;
  const final = plan.fields[plan.fields.length - 1]?.name === fieldName;
  return final ? (await addArchivalTimestamp(timestamped, services)).pdf : timestamped;
}
