import { PDFDocument, StandardFonts } from 'pdf-lib';
import type request from 'supertest';
import type { CreateMinutesRequest } from '../../application/minutesRequests';
import type { MinutesReviewState } from '../../workflows/minutesReview';
import { type ContractHarness, uniqueEmail } from './contractHarness';
import { type ReceivedMail, waitForMail } from './mailbox';
import { staffHeaders } from './staffSession';

/**
 * The minutes tests' world: draft minutes made on the spot (a section per
 * page, one with personal data, one confidential), the secretary's API
 * calls, and the links the checkers, the chair and the secretary get by
 * mail, used as they would use them.
 */

export const CONFIDENTIAL_TEXT = 'SALAINEN-KIINTEISTOKAUPPA-4711';
export const PERSONAL_TEXT = 'Matti Virtanen valittiin';

/** Four pages: § 1–2 public on page 1, § 3 personal data on page 2, § 4 confidential on page 3, § 5 public on page 4. */
export async function minutesPdf(budgetLine = 'Talousarvio hyväksyttiin esityksen mukaisesti.', extraPage?: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages: string[][] = [
    [
      'Kunnanhallitus, pöytäkirja 5/2026',
      '§ 1 Kokouksen avaus',
      'Puheenjohtaja avasi kokouksen.',
      '§ 2 Laillisuus ja päätösvaltaisuus',
      'Kokous todettiin lailliseksi.',
    ],
    ['§ 3 Hallintosihteerin valinta', `${PERSONAL_TEXT} hallintosihteerin virkaan.`],
    ['§ 4 Kiinteistökauppa', `Salassa pidettävä: ${CONFIDENTIAL_TEXT}`],
    ['§ 5 Talousarvio 2027', budgetLine],
    ...(extraPage ? [[extraPage]] : []),
  ];
  for (const lines of pages) {
    const page = pdf.addPage([595.28, 841.89]);
    lines.forEach((line, i) => page.drawText(line, { x: 56, y: 780 - i * 22, size: 12, font }));
  }
  return Buffer.from(await pdf.save());
}

export const SECTIONS = [
  { number: '1', title: 'Kokouksen avaus', publicity: 'public' as const, firstPage: 1, lastPage: 1 },
  { number: '2', title: 'Laillisuus ja päätösvaltaisuus', publicity: 'public' as const, firstPage: 1, lastPage: 1 },
  { number: '3', title: 'Hallintosihteerin valinta', publicity: 'personalData' as const, firstPage: 2, lastPage: 2 },
  { number: '4', title: 'Kiinteistökauppa', publicity: 'confidential' as const, firstPage: 3, lastPage: 3 },
  { number: '5', title: 'Talousarvio 2027', publicity: 'public' as const, firstPage: 4, lastPage: 4 },
];

export interface MinutesPeople {
  chair: string;
  secretary: string;
  checkerA: string;
  checkerB: string;
}

export function minutesPeople(): MinutesPeople {
  return {
    chair: uniqueEmail('chair'),
    secretary: uniqueEmail('secretary'),
    checkerA: uniqueEmail('checker-a'),
    checkerB: uniqueEmail('checker-b'),
  };
}

export function minutesRequest(
  who: MinutesPeople,
  documentVersionId: string,
  overrides: Partial<CreateMinutesRequest> = {},
): CreateMinutesRequest {
  return {
    body: { id: 'kunnanhallitus', name: 'Kunnanhallitus' },
    meeting: { date: '2026-01-12', number: '5/2026', place: 'Kunnantalo, valtuustosali' },
    language: 'fi',
    documentVersionId,
    sections: SECTIONS,
    chair: { name: 'Paula Puheenjohtaja', email: who.chair, language: 'fi' },
    secretary: { name: 'Sanna Sihteeri', email: who.secretary, language: 'fi' },
    checkers: [
      { name: 'Tapio Tarkastaja', email: who.checkerA, language: 'fi' },
      { name: 'Greta Granskare', email: who.checkerB, language: 'sv' },
    ],
    checkingDeadline: new Date(Date.now() + 3600_000).toISOString(),
    signingDays: 1,
    reminderIntervalHours: 24,
    maxReminders: 0,
    ...overrides,
  };
}

/** The secretary's requests, signed in through the development identity provider (staffSession.ts). */
export async function asSecretary(
  harness: ContractHarness,
): Promise<{ post: (path: string) => request.Test; get: (path: string) => request.Test }> {
  const secretary = await staffHeaders(harness.baseUrl, 'secretary');
  return {
    post: (path) => harness.api().post(path).set(secretary),
    get: (path) => harness.api().get(path).set(secretary),
  };
}

export async function uploadPdf(harness: ContractHarness, pdf: Buffer): Promise<string> {
  const response = await (await asSecretary(harness)).post('/api/documents').set('Content-Type', 'application/pdf').send(pdf);
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${response.text}`);
  return response.body.versionId as string;
}

export async function startReview(
  harness: ContractHarness,
  who: MinutesPeople,
  overrides: Partial<CreateMinutesRequest> = {},
): Promise<string> {
  const versionId = await uploadPdf(harness, await minutesPdf());
  const response = await (await asSecretary(harness)).post('/api/minutes').send(minutesRequest(who, versionId, overrides));
  if (response.status !== 201) throw new Error(`start answered ${response.status}: ${response.text}`);
  return response.body.reviewId as string;
}

export interface MinutesLink {
  url: string;
  path: string;
  token: string;
  language: string;
}

export function minutesLinkIn(mail: ReceivedMail): MinutesLink {
  const match = /(https?:\/\/[^\s"]+)(\/m\/([A-Za-z0-9_-]+)\?lang=(fi|sv|en))/.exec(mail.text);
  if (!match) throw new Error(`No minutes link in mail "${mail.subject}"`);
  return { url: match[1] + match[2], path: match[2], token: match[3], language: match[4] };
}

/** The link in the `count`th mail to the address. */
export async function mailedLink(address: string, count = 1): Promise<MinutesLink> {
  const mails = await waitForMail(address, count);
  if (mails.length < count) throw new Error(`${address} got ${mails.length} mails, expected ${count}`);
  return minutesLinkIn(mails[count - 1]);
}

export async function openPage(
  harness: ContractHarness,
  link: MinutesLink,
): Promise<{ status: number; html: string; documentSha256?: string }> {
  const response = await harness.api().get(link.path);
  return {
    status: response.status,
    html: response.text,
    documentSha256: /name="documentSha256" value="([0-9a-f]{64})"/.exec(response.text)?.[1],
  };
}

export async function approve(harness: ContractHarness, link: MinutesLink, documentSha256?: string): Promise<request.Response> {
  const sha = documentSha256 ?? (await openPage(harness, link)).documentSha256 ?? '';
  return harness
    .api()
    .post(`${link.path.split('?')[0]}/review`)
    .type('form')
    .send({ documentSha256: sha, decision: 'approve', consent: 'yes' });
}

export async function askCorrections(
  harness: ContractHarness,
  link: MinutesLink,
  comments: Record<string, string>,
  documentSha256?: string,
): Promise<request.Response> {
  const sha = documentSha256 ?? (await openPage(harness, link)).documentSha256 ?? '';
  return harness
    .api()
    .post(`${link.path.split('?')[0]}/review`)
    .type('form')
    .send({ documentSha256: sha, decision: 'corrections', ...comments });
}

export async function signMinutes(harness: ContractHarness, link: MinutesLink, typedName: string): Promise<request.Response> {
  const { documentSha256 } = await openPage(harness, link);
  return harness
    .api()
    .post(`${link.path.split('?')[0]}/sign`)
    .type('form')
    .send({ documentSha256: documentSha256 ?? '', consent: 'yes', typedName });
}

export async function reviewState(harness: ContractHarness, reviewId: string): Promise<MinutesReviewState> {
  return harness.stack.client.workflow.getHandle(reviewId).query<MinutesReviewState>('state');
}

/** Polls the state until `done` holds. */
export async function waitForState(
  harness: ContractHarness,
  reviewId: string,
  done: (state: MinutesReviewState) => boolean,
  timeoutMs = 30_000,
): Promise<MinutesReviewState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await reviewState(harness, reviewId);
    if (done(state)) return state;
    if (Date.now() > until) throw new Error(`state did not arrive; last: ${state.status} round ${state.rounds.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
