import { rgb } from 'pdf-lib';
import type { AuditEvent } from '../audit/auditLog';
import { chainHead } from '../audit/auditChain';
import { PdfTextFlow } from './pdfTextFlow';
import { helsinkiTime } from '../common/helsinkiTime';

/**
 * The audit certificate: one rendering of the audit log, appended to the
 * signed document before the organisation seals it, so the evidence (who,
 * when, from where, with which browser, on which document hash) is covered
 * by the seal. Headings are in all three languages because every party gets
 * the same file.
 */

export interface CertificateInput {
  organization: string;
  title: string;
  processId: string;
  events: AuditEvent[];
  /** Turns an audit actor ("participant:signer-1") into "Name (role)". */
  describeActor: (actor: string) => string;
}

const ACTIONS: Record<string, string> = {
  'contract.created': 'Luotu / Skapat / Created',
  'contract.prepared': 'Allekirjoituskentät lisätty / Underskriftsfält tillagda / Signature fields added',
  'contract.invited': 'Kutsu lähetetty / Inbjudan skickad / Invitation sent',
  'contract.reminded': 'Muistutus lähetetty / Påminnelse skickad / Reminder sent',
  'contract.viewed': 'Avattu / Öppnat / Opened',
  'contract.signed': 'Allekirjoitettu / Undertecknat / Signed',
  'contract.deadline_extended': 'Määräaikaa jatkettu / Tidsfristen förlängd / Deadline extended',
  'contract.all_signed': 'Kaikki allekirjoittaneet / Alla har undertecknat / All signed',
};

function timestamp(at: Date): string {
  const local = helsinkiTime(at, 'fi', 'short', 'medium');
  return `${local} (${new Date(at).toISOString()})`;
}

export async function renderAuditCertificate(input: CertificateInput): Promise<Buffer> {
  const flow = await PdfTextFlow.create({
    title: `Tarkastusloki / Granskningslogg / Audit trail: ${input.title}`,
    language: 'fi-FI',
    footer: `${input.organization} · ${input.processId} · Tarkastusloki / Granskningslogg / Audit trail`,
  });
  flow.heading('Tarkastusloki / Granskningslogg / Audit trail', 18);
  flow.row('Asiakirja / Dokument / Document', input.title);
  flow.row('Organisaatio / Organisation', input.organization);
  flow.row('Prosessi / Process', input.processId);
  // The chain's head under the seal: a trail rewritten later no longer ends here (audit/auditChain.ts).
  const head = chainHead(input.events);
  if (head) flow.row('Tarkastusketju / Granskningskedja / Audit chain', `${head.seq} · SHA-256 ${head.hash}`);
  flow.paragraph(
    'Alla on jokainen tapahtuma aikajärjestyksessä. Organisaation sinetti kattaa koko asiakirjan tämän sivun kanssa. '
    + '/ Nedan finns varje händelse i tidsordning. Organisationens sigill täcker hela dokumentet med denna sida. '
    + '/ Every event is listed below in time order. The organisation seal covers the whole document including this page.',
    8.5, rgb(0.3, 0.3, 0.3),
  );
  flow.rule();
  for (const event of input.events) {
    flow.heading(ACTIONS[event.action] ?? event.action, 10.5);
    flow.row('Aika / Tid / Time', timestamp(event.at), 9);
    flow.row('Tekijä / Aktör / Actor', input.describeActor(event.actor), 9);
    if (event.ip) flow.row('IP-osoite / IP-adress / IP', event.ip, 9);
    if (event.userAgent) flow.row('Selain / Webbläsare / Browser', event.userAgent, 9);
    if (event.documentSha256) flow.row('SHA-256', event.documentSha256, 9);
    flow.rule();
  }
  return flow.save();
}
