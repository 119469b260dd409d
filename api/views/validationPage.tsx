import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import type { SignatureValidation } from '../../signing/validation/validatePdf';
import type { SinettiProvenance } from '../../signing/validation/sinettiProvenance';
import { participantPage } from './kit/participantPage';

/**
 * The public page "Tarkista allekirjoitettu asiakirja": a form that posts
 * the PDF (and an optional "as of" date) and, once posted, the report in
 * words. The same form's other buttons return the report as JSON or PDF,
 * so nothing is stored between requests and the page needs no script.
 */

export interface ValidationPageReport {
  documentSha256: string;
  validatedAt: string;
  signatures: SignatureValidation[];
  provenance?: SinettiProvenance;
}

export function validationPage(p: {
  language: Language;
  organization: string;
  report?: ValidationPageReport;
  asOf?: string;
  problem?: string;
}): string {
  const t = textsFor(p.language).validationPage;
  return participantPage({
    language: p.language,
    title: t.title,
    organization: p.organization,
    languageLink: (language) => `/validate?lang=${language}`,
    children: (
      <>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <form method="post" action={`/validate?lang=${p.language}`} enctype="multipart/form-data">
          <label for="pdf">{t.file}</label>
          <input type="file" id="pdf" name="pdf" accept="application/pdf" required aria-describedby={p.problem ? 'problem' : undefined} />
          <label for="at">{t.asOf}</label>
          <p class="hint" id="at-hint">
            {t.asOfHint}
          </p>
          <input type="date" id="at" name="at" value={p.asOf ?? ''} aria-describedby="at-hint" />
          {p.problem ? (
            <p class="error" id="problem" role="alert">
              {p.problem}
            </p>
          ) : null}
          <button type="submit" class="primary" name="format" value="html">
            {t.check}
          </button>
          <button type="submit" class="secondary" name="format" value="json">
            {t.downloadJson}
          </button>
          <button type="submit" class="secondary" name="format" value="pdf">
            {t.downloadPdf}
          </button>
        </form>
        {p.report ? <Report report={p.report} language={p.language} /> : null}
      </>
    ),
  });
}

function Report({ report, language }: { report: ValidationPageReport; language: Language }) {
  const t = textsFor(language).validationPage;
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t.report}</h2>
      <dl>
        <dt>{t.validatedAsOf}</dt>
        <dd>{report.validatedAt.slice(0, 10)}</dd>
        <dt>{t.documentHash}</dt>
        <dd class="hash">{report.documentSha256}</dd>
      </dl>
      {report.provenance ? (
        <>
          <h3>{t.provenance}</h3>
          <dl>
            <dt>{t.processId}</dt>
            <dd>{report.provenance.processId}</dd>
            {report.provenance.auditChainHead ? (
              <>
                <dt>{t.auditChain}</dt>
                <dd class="hash">
                  {report.provenance.auditChainHead.seq} · SHA-256 {report.provenance.auditChainHead.sha256}
                </dd>
              </>
            ) : null}
          </dl>
          <p>{report.provenance.coveredBySignature === undefined ? t.notCovered : t.coveredBy(report.provenance.coveredBySignature + 1)}</p>
        </>
      ) : null}
      {report.signatures.length === 0 ? <p>{t.noSignatures}</p> : null}
      {report.signatures.map((signature) => (
        <SignatureItem signature={signature} language={language} />
      ))}
    </section>
  );
}

/** One signature as a list of label–value pairs; the same words the PDF report uses. */
export function signatureRows(signature: SignatureValidation, language: Language): { heading: string; rows: [string, string][] } {
  const t = textsFor(language).validationPage;
  const isTimestamp = signature.kind === 'document-timestamp';
  const rows: [string, string][] = [[t.result, t.indication[signature.indication]]];
  if (signature.signer) {
    rows.push([
      isTimestamp ? t.timestampAuthority : t.signer,
      `${signature.signer.subject} (${signature.signer.trusted ? t.trusted : t.notTrusted})`,
    ]);
    rows.push([t.issuer, signature.signer.issuer]);
  }
  if (!isTimestamp) rows.push([t.claimedTime, signature.claimedTime ?? t.none]);
  rows.push([t.timestampedTime, signature.timestampedTime ?? t.none]);
  rows.push([t.covers, signature.covers.wholeDocument ? t.wholeDocument : t.revision(signature.covers.bytes)]);
  rows.push([t.laterChangesLabel, t.laterChanges[signature.covers.laterChanges]]);
  rows.push([
    t.revocation,
    `${t.revocationStatus[signature.revocation.status]}${signature.revocation.revokedAt ? ` (${signature.revocation.revokedAt})` : ''}`,
  ]);
  if (signature.level) rows.push([t.level, signature.level]);
  // The reasons in the reader's language; the English technical detail stays in the JSON report.
  if (signature.findings.length)
    rows.push([t.reasons, signature.findings.map((finding) => t.findings[finding.code](finding.date)).join(' ')]);
  return { heading: `${signature.index + 1}. ${isTimestamp ? t.documentTimestamp : t.signature}`, rows };
}

function SignatureItem({ signature, language }: { signature: SignatureValidation; language: Language }) {
  const { heading, rows } = signatureRows(signature, language);
  return (
    <article aria-labelledby={`signature-${signature.index}`}>
      <h3 id={`signature-${signature.index}`}>{heading}</h3>
      <dl>
        {rows.map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
    </article>
  );
}
