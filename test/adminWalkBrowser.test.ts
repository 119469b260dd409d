import { randomUUID } from 'node:crypto';
import { type Browser, type Page } from 'playwright-core';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { axeViolations, launchChromium } from './support/browser';
import { signInThroughProvider } from './support/staffSignIn';
import { type ContractHarness, contractRequest, openContractHarness, uniqueEmail } from './support/contractHarness';
import { staffHeaders } from './support/staffSession';
import { DEVICES, WALKS } from './support/walkDevices';

/**
 * The admin's main path in real Chromium, on a desktop and on a phone, in
 * Finnish and in Swedish (chosen from the page's menu in an English-language
 * browser, and remembered): signed in at the identity provider, the admin
 * sees a contract in its deadline wait as "waiting until …" in Helsinki
 * time, a process whose step keeps failing as stuck, the counts by reason in
 * words, the actions that fit beside each row, and carries one of them out.
 * Every part of the page, the API keys and archived documents included, is
 * in the page's language.
 */

let harness: ContractHarness;
let browser: Browser;
/** One worker for the whole file, stopped in afterAll. */
let stopWorker: () => void = () => undefined;
let workerRun: Promise<void> = Promise.resolve();
let contractId: string;
/** Each walk's own failing seal: a walk's retry resets its seal's attempts, and the reset attempt waits out the backoff it was in. */
const failingIds: string[] = [];

/** A seal of a version that does not exist fails its first step again and again. */
async function startFailingSeal(): Promise<string> {
  const failingId = `failing-seal-${randomUUID()}`;
  failingIds.push(failingId);
  await harness.stack.client.workflow.start(organisationSealWorkflow, {
    taskQueue: harness.stack.config.temporal.taskQueue,
    workflowId: failingId,
    args: [{ versionId: randomUUID(), organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Stuck' }],
  });
  await new Promise((r) => setTimeout(r, 4500)); // attempts 1, 2 and 3 (1 s, 2 s backoff)
  return failingId;
}

beforeAll(async () => {
  harness = await openContractHarness('admin-walk');
  browser = await launchChromium();
  const stopped = new Promise<void>((resolve) => (stopWorker = resolve));
  workerRun = harness.stack.withWorker(() => stopped);
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const created = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send(contractRequest(who));
  expect(created.status).toBe(201);
  contractId = created.body.contractId as string;
}, 120_000);

afterAll(async () => {
  for (const failingId of failingIds)
    await harness?.stack.client.workflow
      .getHandle(failingId)
      .terminate('test over')
      .catch(() => undefined);
  stopWorker();
  await workerRun;
  await browser?.close();
  await harness?.close();
});

/** Visibility is eventually consistent: show the page again until the row is there. */
async function rowOf(page: Page, id: string) {
  const row = page.getByRole('row', { name: new RegExp(id) });
  for (let tries = 0; tries < 20 && (await row.count()) === 0; tries++) {
    await new Promise((r) => setTimeout(r, 1000));
    await page.reload();
  }
  return row;
}

/** The links in a row's actions cell, without the process id each carries for a screen reader. */
async function actionsOf(row: ReturnType<Page['getByRole']>, processId: string): Promise<string[]> {
  const names = await row.locator('.row-actions a').allTextContents();
  return names.map((name) => name.replace(` – ${processId}`, ''));
}

const WORDS = {
  fi: {
    heading: 'Jumissa',
    contract: /työsopimus/,
    awaitingSignatures: /odottaa allekirjoituksia/,
    waitingUntil: /odottaa \d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2} asti/,
    who: /työntekijä|työnantaja/,
    failing: /Vaihe ”prepareSignatureFields” on epäonnistunut \d+ kertaa/,
    stuckCount: /jumissa/,
    reasonCount: /toistuvan virheen vuoksi/,
    waitingActions: ['Muistuta', 'Jatka määräaikaa', 'Vaihda henkilö', 'Peru'],
    stuckActions: ['Peru', 'Yritä uudelleen'],
    retry: 'Yritä uudelleen',
    processId: 'Prosessin tunniste',
    action: 'Toimi',
    reason: 'Syy (kirjataan lokiin)',
    doIt: 'Tee',
    done: (id: string) => `Tehty: Yritä uudelleen, ${id}.`,
    keys: 'API-avaimet',
    archived: /^Arkistoidut asiakirjat/,
  },
  sv: {
    heading: 'Har fastnat',
    contract: /arbetsavtal/,
    awaitingSignatures: /väntar på underskrifter/,
    waitingUntil: /väntar till \d{1,2}\.\d{1,2}\.\d{4} kl\. \d{1,2}\.\d{2}/,
    who: /arbetstagare|arbetsgivare/,
    failing: /Steget ”prepareSignatureFields” har misslyckats \d+ gånger/,
    stuckCount: /fastnat/,
    reasonCount: /misslyckas gång på gång/,
    waitingActions: ['Påminn', 'Förläng tidsfristen', 'Byt person', 'Avbryt'],
    stuckActions: ['Avbryt', 'Försök igen'],
    retry: 'Försök igen',
    processId: 'Processens id',
    action: 'Åtgärd',
    reason: 'Orsak (förs in i loggen)',
    doIt: 'Utför',
    done: (id: string) => `Klart: Försök igen, ${id}.`,
    keys: 'API-nycklar',
    archived: /^Arkiverade handlingar/,
  },
};

describe.each(WALKS)('the admin on a %s in %s', (device, language) => {
  it('sees a contract in its deadline wait as waiting until …, a failing step as stuck, and acts on it; axe-clean', async () => {
    const words = WORDS[language];
    const failingId = await startFailingSeal();
    const context = await browser.newContext({ ...DEVICES[device], locale: 'en-US' });
    const page = await context.newPage();
    await signInThroughProvider(page, harness.baseUrl, 'aki.admin', '/admin?attemptThreshold=1');
    if (language === 'sv') {
      await page.getByRole('link', { name: 'Svenska' }).click();
      await page.goto(`${harness.baseUrl}/admin?attemptThreshold=1`);
    }
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    await page.getByRole('heading', { name: words.heading, exact: true }).waitFor();

    // Waiting by design: the contract's deadline is ahead, so it is not in the stuck table; its actions fit a wait for a person.
    const waiting = await rowOf(page, contractId);
    const waitingText = (await waiting.textContent()) ?? '';
    expect(waitingText).toMatch(words.contract);
    expect(waitingText).toMatch(words.awaitingSignatures);
    expect(waitingText).toMatch(words.waitingUntil);
    expect(waitingText).toMatch(words.who);
    expect(await actionsOf(waiting, contractId)).toEqual(words.waitingActions);
    expect(
      await page
        .locator('#stuck')
        .getByRole('row', { name: new RegExp(contractId) })
        .count(),
    ).toBe(0);

    // Stuck: a failing step, counted by reason in words; the count is not in the green of a good outcome.
    const stuck = await rowOf(page, failingId);
    expect(await stuck.textContent()).toMatch(words.failing);
    expect(await actionsOf(stuck, failingId)).toEqual(words.stuckActions);
    expect(await page.locator('#stuck-count').textContent()).toMatch(words.stuckCount);
    expect(await page.locator('#stuck-count').evaluate((e) => getComputedStyle(e).color)).not.toBe('rgb(11, 90, 30)');
    expect(await page.locator('#reason-counts').textContent()).toMatch(words.reasonCount);

    // The rest of the page speaks the same language (the webhooks' part is shown once its script has loaded it).
    await page.locator('#webhooks-section').waitFor();
    expect(await page.locator('#keys-title').textContent()).toBe(words.keys);
    expect(await page.locator('#archived-caption').textContent()).toMatch(words.archived);
    if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);

    // The row's own action fills in the form; carried out, it is confirmed in words.
    await stuck.getByRole('link', { name: `${words.retry} – ${failingId}` }).click();
    expect(await page.getByLabel(words.processId).inputValue()).toBe(failingId);
    expect(await page.getByLabel(words.action, { exact: true }).inputValue()).toBe('retry');
    await page.getByLabel(words.reason).fill(language === 'sv' ? 'lagringen är återställd' : 'tallennus on palautettu');
    await page.getByRole('button', { name: words.doIt, exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: words.done(failingId) })
      .waitFor();
    if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 240_000);
});

it('tells someone without the admin role so, in words', async () => {
  const context = await browser.newContext(DEVICES.desktop);
  const page = await context.newPage();
  await signInThroughProvider(page, harness.baseUrl, 'hanna.hr', '/admin');
  await page.getByText('vaatii pääkäyttäjän roolin').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
