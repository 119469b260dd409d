import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApiDeps } from '../../api/apiDeps';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/apiDeps';
import type { CreateContractRequest } from '../../application/contractRequests';
import { listenOnOwnAddress } from './listeningApp';
import { type ReceivedMail, waitForMail } from './mailbox';
import { staffHeaders } from './staffSession';
import { openTestStack, type TestStack } from './testStack';

/**
 * The employment contract tests' world: the real stack, the real API on a
 * real port (so links in the real mail open in a real browser), and the
 * helpers a person would use: read the link from the mail, open it, sign.
 */

export interface ContractHarness {
  stack: TestStack;
  api: () => request.Agent;
  baseUrl: string;
  close(): Promise<void>;
}

export async function openContractHarness(
  suite: string,
  overrides: Record<string, string> = {},
  extraDeps: Partial<ApiDeps> = {},
): Promise<ContractHarness> {
  let stack!: TestStack;
  let deps!: ReturnType<typeof createApiDeps>;
  let app!: ReturnType<typeof createApp>;
  const { server, baseUrl } = await listenOnOwnAddress(async (publicUrl) => {
    stack = await openTestStack(suite, { SINETTI_PUBLIC_URL: publicUrl, ...overrides });
    deps = createApiDeps(stack.config, stack.client);
    app = createApp({ ...deps, ...extraDeps });
    return app;
  });
  return {
    stack,
    baseUrl,
    api: () => request.agent(app),
    async close() {
      deps.close();
      await new Promise((resolve) => server.close(resolve));
      await stack.close();
    },
  };
}

/** HR sends the contract through the API, signed in through the local identity provider; the new contract's id. */
export async function sendContractAsHr(harness: ContractHarness, body: CreateContractRequest): Promise<string> {
  const created = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send(body);
  if (created.status !== 201) throw new Error(`creating the contract answered ${created.status}: ${created.text}`);
  return created.body.contractId as string;
}

export function uniqueEmail(who: string): string {
  return `${who}-${randomUUID().slice(0, 8)}@example.test`;
}

export function contractRequest(
  people: { employee: string; employer: string; hr: string },
  overrides: Partial<CreateContractRequest> = {},
): CreateContractRequest {
  return {
    language: 'fi',
    terms: {
      employer: { name: 'Esimerkkilän kunta', address: 'Kunnantie 1, 99999 Esimerkkilä', businessId: '0116297-6' },
      employee: { name: 'Maija Meikäläinen', address: 'Kotikatu 2 A 3, 99999 Esimerkkilä' },
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      fixedTermReason: 'Sijaisuus (vakituisen työntekijän vuosiloma)',
      trialPeriod: '2 viikkoa',
      placeOfWork: 'Esimerkkilän koulu',
      duties: 'Luokanopettajan sijaisuus',
      payBasis: 'OVTES, tuntipalkka 32,50 €',
      payPeriod: 'Kuukausi, palkanmaksu kuun 15. päivä',
      workingHours: '24 oppituntia viikossa',
      annualLeave: 'Vuosilomalain mukaan',
      noticePeriod: 'Määräaikainen: ei irtisanomisaikaa, koeaikana purku',
      collectiveAgreement: 'Opetusalan virka- ja työehtosopimus (OVTES)',
    },
    signers: [
      { role: 'employee', name: 'Maija Meikäläinen', email: people.employee, language: 'fi' },
      { role: 'employer', name: 'Erkki Esimies', email: people.employer, language: 'sv' },
    ],
    hr: { name: 'Hanna HR', email: people.hr, language: 'fi' },
    ...overrides,
  };
}

export interface MailedLink {
  url: string;
  path: string;
  token: string;
  language: string;
}

export function linkIn(mail: ReceivedMail): MailedLink {
  const match = /(https?:\/\/[^\s"]+)(\/s\/([A-Za-z0-9_-]+)\?lang=(fi|sv|en))/.exec(mail.text);
  if (!match) throw new Error(`No signing link in mail "${mail.subject}"`);
  return { url: match[1] + match[2], path: match[2], token: match[3], language: match[4] };
}

export async function invitationLink(address: string, count = 1): Promise<MailedLink> {
  const mails = await waitForMail(address, count);
  if (mails.length < count) throw new Error(`${address} got ${mails.length} mails, expected ${count}`);
  return linkIn(mails[count - 1]);
}

/** Opens the page and reads the document hash the page shows, as a browser would. */
export async function openSigningPage(
  harness: ContractHarness,
  link: MailedLink,
): Promise<{ status: number; html: string; documentSha256?: string }> {
  const response = await harness.api().get(link.path);
  const hash = /name="documentSha256" value="([0-9a-f]{64})"/.exec(response.text)?.[1];
  return { status: response.status, html: response.text, documentSha256: hash };
}

export async function signThroughPage(
  harness: ContractHarness,
  link: MailedLink,
  typedName: string,
  documentSha256?: string,
): Promise<request.Response> {
  const sha = documentSha256 ?? (await openSigningPage(harness, link)).documentSha256;
  return harness
    .api()
    .post(`${link.path.split('?')[0]}/sign`)
    .type('form')
    .send({ documentSha256: sha ?? '', consent: 'yes', typedName });
}

export async function declineThroughPage(harness: ContractHarness, link: MailedLink, reason: string): Promise<request.Response> {
  const { documentSha256 } = await openSigningPage(harness, link);
  return harness
    .api()
    .post(`${link.path.split('?')[0]}/decline`)
    .type('form')
    .send({ documentSha256: documentSha256 ?? '', reason });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
