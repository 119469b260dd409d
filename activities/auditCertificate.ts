import { rgb } from 'pdf-lib';
import type { AuditEvent } from '../audit/auditLog';
import { chainHead } from '../audit/auditChain';
import { PdfTextFlow } from './pdfTextFlow';
import { helsinkiTime } from '../common/helsinkiTime';
import { type Catalog, textsFor } from '../texts/catalog';
import { LANGUAGES } from '../texts/language';
import { markAuditCertificatePages } from '../signing/validation/sinettiProvenance';

/**
 * The audit certificate: one rendering of the audit log, appended to the
 * signed document before the organisation seals it, so the evidence (who,
 * when, from where, with which browser, on which document hash) is covered
 * by the seal. Headings are in all three languages because every party gets
 * the same file; each language's texts are in its catalog (texts/*.ts).
 */

export interface CertificateInput {
  organization: string;
  title: string;
  processId: string;
  events: AuditEvent[];
  /** Turns an audit actor ("participant:signer-1") into "Name (role)". */
  describeActor: (actor: string) => string;
}

/** One text in all three languages, each once: "Tarkastusloki / Granskningslogg / Audit trail", "Organisaatio / Organisation". */
function inAllLanguages(text: (texts: Catalog['auditCertificate']) => string): string {
  return [...new Set(LANGUAGES.map((language) => text(textsFor(language).auditCertificate)))].join(' / ');
}

function actionName(action: string): string {
  const names = LANGUAGES.map((language) => {
    const actions: Record<string, string> = textsFor(language).auditCertificate.actions;
    return Object.hasOwn(actions, action) ? actions[action] : undefined;
  });
  return names.every((name) => name !== undefined) ? [...new Set(names)].join(' / ') : action;
}

function timestamp(at: Date): string {
  const local = helsinkiTime(at, 'fi', 'short', 'medium');
  return `${local} (${new Date(at).toISOString()})`;
}

/** The evidence of how a signer was identified, as the audit log's `verification` detail holds it. */
interface IdentificationDetail {
  method?: string;
  identification?: { provider: string; levelOfAssurance: string; transactionId: string; identifiedAt: string | Date };
}

/** How the signer was identified, in all three languages: strongly (provider, level, transaction, time) or by the e-mailed link. */
export function identificationText(verification: unknown): string {
  const detail = (verification ?? {}) as IdentificationDetail;
  const strong = detail.identification;
  if (strong)
    return inAllLanguages((t) =>
      t.identifiedStrongly(strong.provider, strong.levelOfAssurance, strong.transactionId, timestamp(new Date(strong.identifiedAt))),
    );
  return inAllLanguages((t) => t.identifiedByLink(detail.method === 'emailCode' || detail.method === 'smsCode'));
}

/** The same on the signature stamp, short enough for its box. */
export function stampIdentification(verification: unknown): string {
  const strong = (verification as IdentificationDetail | undefined)?.identification;
  return strong
    ? `Tunnistettu / Identified: ${strong.provider.replace(/ \(.*\)$/, '')}, LoA ${strong.levelOfAssurance}`
    : 'Tunnistettu / Identified: e-mailed link';
}

export async function renderAuditCertificate(input: CertificateInput): Promise<Buffer> {
  const heading = inAllLanguages((t) => t.heading);
  const flow = await PdfTextFlow.create({
    title: `${heading}: ${input.title}`,
    language: 'fi-FI',
    footer: `${input.organization} · ${input.processId} · ${heading}`,
  });
  flow.heading(heading, 18);
  flow.row(
    inAllLanguages((t) => t.document),
    input.title,
  );
  flow.row(
    inAllLanguages((t) => t.organization),
    input.organization,
  );
  flow.row(
    inAllLanguages((t) => t.process),
    input.processId,
  );
  // The chain's head under the seal: a trail rewritten later no longer ends here (audit/auditChain.ts).
  const head = chainHead(input.events);
  if (head)
    flow.row(
      inAllLanguages((t) => t.chain),
      `${head.seq} · SHA-256 ${head.hash}`,
    );
  flow.paragraph(
    inAllLanguages((t) => t.intro),
    8.5,
    rgb(0.3, 0.3, 0.3),
  );
  flow.rule();
  for (const event of input.events) {
    flow.heading(actionName(event.action), 10.5);
    flow.row(
      inAllLanguages((t) => t.time),
      timestamp(event.at),
      9,
    );
    flow.row(
      inAllLanguages((t) => t.actor),
      input.describeActor(event.actor),
      9,
    );
    if (event.ip)
      flow.row(
        inAllLanguages((t) => t.ip),
        event.ip,
        9,
      );
    if (event.userAgent)
      flow.row(
        inAllLanguages((t) => t.browser),
        event.userAgent,
        9,
      );
    if (event.documentSha256) flow.row('SHA-256', event.documentSha256, 9);
    if (event.action === 'contract.signed')
      flow.row(
        inAllLanguages((t) => t.identification),
        identificationText(event.details?.verification),
        9,
      );
    flow.rule();
  }
  markAuditCertificatePages(flow.document, { processId: input.processId, chainHead: head });
  return flow.save();
}
