import { randomUUID } from 'node:crypto';
import { type Browser, type Page } from 'playwright-core';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { axeViolations, launchChromium } from './support/browser';
import { signInThroughProvider } from './support/staffSignIn';
import { type ContractHarness, contractRequest, openContractHarness, uniqueEmail } from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/**
 * The admin's stuck list in a real browser: a contract in its deadline wait
 * reads "waiting until …" in Helsinki time, a process whose step keeps
 * failing reads as stuck, in Finnish and (remembered) in Swedish, on a
 * desktop and on a phone, axe-clean.
 */

let harness: ContractHarness;
let browser: Browser;
const failingId = `failing-seal-${randomUUID()}`;

beforeAll(async () => {
  harness = await openContractHarness('adminpage');
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await harness.stack.client.workflow
    .getHandle(failingId)
    .terminate('test over')
    .catch(() => undefined);
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

describe('admin page in Chromium', () => {
  it('shows a contract in its deadline wait as waiting and a failing step as stuck, in Finnish and Swedish, axe-clean', async () => {
    await harness.stack.withWorker(async () => {
      const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send(contractRequest(who));
      expect(created.status).toBe(201);
      const contractId = created.body.contractId as string;
      // A seal of a version that does not exist fails its first step again and again.
      await harness.stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: harness.stack.config.temporal.taskQueue,
        workflowId: failingId,
        args: [{ versionId: randomUUID(), organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Stuck' }],
      });
      await new Promise((r) => setTimeout(r, 4500)); // attempts 1, 2 and 3 (1 s, 2 s backoff)

      const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await desktop.newPage();
      await page.goto(`${harness.baseUrl}/admin`);
      expect(await page.locator('html').getAttribute('lang')).toBe('fi');
      expect(await axeViolations(page)).toEqual([]);

      // Someone without the admin role is told so, in words (a browser of their own: the provider remembers who signed in).
      const hrBrowser = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const hrPage = await hrBrowser.newPage();
      await signInThroughProvider(hrPage, harness.baseUrl, 'hanna.hr', '/admin');
      await hrPage.getByText('vaatii pääkäyttäjän roolin').waitFor();
      await hrBrowser.close();

      await signInThroughProvider(page, harness.baseUrl, 'aki.admin', '/admin');
      await page.getByRole('heading', { name: 'Jumissa' }).waitFor();
      await page.goto(`${harness.baseUrl}/admin?attemptThreshold=1`);

      const waiting = await rowOf(page, contractId);
      const waitingText = (await waiting.textContent()) ?? '';
      expect(waitingText).toMatch(/työsopimus/);
      expect(waitingText).toMatch(/odottaa allekirjoituksia/);
      expect(waitingText).toMatch(/odottaa \d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2} asti/);
      expect(waitingText).toMatch(/työntekijä|työnantaja/);
      expect(
        await page
          .locator('#stuck')
          .getByRole('row', { name: new RegExp(contractId) })
          .count(),
      ).toBe(0);

      const stuck = await rowOf(page, failingId);
      expect(await stuck.textContent()).toMatch(/Vaihe ”prepareSignatureFields” on epäonnistunut \d+ kertaa/);
      expect(await page.locator('#stuck-count').textContent()).toMatch(/jumissa/);
      // The count asks for attention: not in the green of a good outcome.
      expect(await page.locator('#stuck-count').evaluate((e) => getComputedStyle(e).color)).not.toBe('rgb(11, 90, 30)');
      expect(await page.locator('#reason-counts').textContent()).toMatch(/toistuvan virheen vuoksi/);
      expect(await axeViolations(page)).toEqual([]);

      // Swedish, chosen once and remembered; the row's own action fills in the form.
      await page.getByRole('link', { name: 'Svenska' }).click();
      await page.goto(`${harness.baseUrl}/admin?attemptThreshold=1`);
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      expect(await (await rowOf(page, contractId)).textContent()).toMatch(/väntar till \d{1,2}\.\d{1,2}\.\d{4} kl\. \d{1,2}\.\d{2}/);
      await page.getByRole('link', { name: `Försök igen – ${failingId}` }).click();
      expect(await page.getByLabel('Processens id').inputValue()).toBe(failingId);
      expect(await page.getByLabel('Åtgärd', { exact: true }).inputValue()).toBe('retry');
      await page.getByLabel('Orsak (förs in i loggen)').fill('lagringen är återställd');
      await page.getByRole('button', { name: 'Utför' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Klart: Försök igen, ${failingId}.` })
        .waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // On a phone, in the remembered Swedish.
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      await phone.addCookies(await desktop.cookies());
      const small = await phone.newPage();
      await small.goto(`${harness.baseUrl}/admin?attemptThreshold=1`);
      expect(await small.locator('html').getAttribute('lang')).toBe('sv');
      expect(await (await rowOf(small, failingId)).textContent()).toMatch(/Steget ”prepareSignatureFields” har misslyckats/);
      expect(await axeViolations(small)).toEqual([]);
      await phone.close();
      await desktop.close();
    });
  }, 120_000);
});
