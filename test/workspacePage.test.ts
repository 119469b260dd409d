import { randomUUID } from 'node:crypto';
import { type Server } from 'node:http';
import { type Browser } from 'playwright-core';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { CaseNumber, Organization, ProcessStatus, ProcessType, WaitingFor, WaitingUntil } from '../workflows/searchAttributes';
import { axeViolations, launchChromium } from './support/browser';
import { listenOnOwnAddress } from './support/listeningApp';
import { signInThroughProvider } from './support/staffSignIn';
import { openTestStack, type TestStack } from './support/testStack';

/** The staff home page lists what waits for the signed-in role, from visibility, with filters; in Finnish and Swedish, axe-clean. */

let stack: TestStack;
let server: Server;
let deps: ReturnType<typeof createApiDeps>;
let browser: Browser;
let baseUrl: string;
const idleQueue = `nobody-polls-${randomUUID()}`;
const ids = { handler: `ws-handler-${randomUUID()}`, other: `ws-other-${randomUUID()}`, registry: `ws-registry-${randomUUID()}` };
const caseNumber = `${Math.floor(Math.random() * 90_000) + 10_000}/02.05.01/2026`;

beforeAll(async () => {
  stack = await openTestStack('workspace');
  ({ server, baseUrl } = await listenOnOwnAddress((publicUrl) =>
    createApp((deps = createApiDeps({ ...stack.config, publicUrl }, stack.client))),
  ));
  // Nobody polls the queue: each keeps the search attributes it starts with, as a process at that step would show them.
  const start = (workflowId: string, waitingFor: string, status: string, number: string, until?: Date) =>
    stack.client.workflow.start(organisationSealWorkflow, {
      taskQueue: idleQueue,
      workflowId,
      args: [{ versionId: 'v', organization: 'Esimerkkilä', requestedBy: 'staff:test', title: 'T' }],
      typedSearchAttributes: [
        { key: ProcessType, value: 'formToDecision' },
        { key: ProcessStatus, value: status },
        { key: WaitingFor, value: waitingFor },
        { key: CaseNumber, value: number },
        { key: Organization, value: 'Esimerkkilä' },
        ...(until ? [{ key: WaitingUntil, value: until }] : []),
      ],
    });
  await start(ids.handler, 'handler', 'awaiting_decision', caseNumber);
  await start(ids.other, 'decision-maker', 'awaiting_signature', `1${caseNumber}`);
  await start(ids.registry, 'registry', 'notification_failed', `2${caseNumber}`, new Date(Date.now() + 86_400_000));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const id of Object.values(ids))
    await stack.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await browser?.close();
  server?.close();
  deps?.close();
  await stack?.close();
});

it("a handler's home lists what waits for a handler, filtered by case number; Swedish remembered; axe-clean", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/tyotila`);
  expect(await axeViolations(page)).toEqual([]);
  await signInThroughProvider(page, baseUrl, 'kalle.kasittelija', '/tyotila');
  await page.getByRole('heading', { name: 'Odottaa sinua (käsittelijä)' }).waitFor();
  const row = page.locator('tr', { has: page.getByRole('link', { name: `Avaa – ${caseNumber}`, exact: true }) });
  for (let tries = 0; tries < 20 && (await row.count()) === 0; tries++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
  expect(await row.textContent()).toMatch(/hakemus ja päätös/);
  expect(await row.textContent()).toMatch(/odottaa päätöstä/);
  expect(await page.getByRole('link', { name: `Avaa – ${caseNumber}`, exact: true }).getAttribute('href')).toBe(
    `/kasittely/hakemukset/${ids.handler}`,
  );
  // The decision waiting for signature is the handler's too (the handler signs); the registry's letter is not.
  expect(await page.getByRole('link', { name: `Avaa – 1${caseNumber}`, exact: true }).count()).toBe(1);
  expect(await page.getByRole('link', { name: `Avaa – 2${caseNumber}`, exact: true }).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Diaarinumero').fill(caseNumber);
  await page.getByRole('button', { name: 'Näytä' }).click();
  await page.waitForURL(/caseNumber=/);
  expect(await page.locator('tbody tr').count()).toBe(1);

  // The process's own page: its state, who is awaited, its steps as a timeline.
  await page.getByRole('link', { name: `Vaiheet – ${caseNumber}`, exact: true }).click();
  await page.getByRole('heading', { name: `Prosessi: hakemus ja päätös ${caseNumber}` }).waitFor();
  expect(await page.locator('dl').textContent()).toMatch(/Tila nytodottaa päätöstäOdottaakäsittelijä/);
  expect(await page.getByText('Ei kirjattuja tapahtumia vielä.').count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
  await page.goBack();

  await page.getByRole('link', { name: 'Svenska' }).click();
  await page.goto(`${baseUrl}/tyotila`);
  expect(await page.locator('html').getAttribute('lang')).toBe('sv');
  await page.getByRole('heading', { name: 'Väntar på dig (handläggare)' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
}, 90_000);
