import { type Browser, type Page } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import type { EmploymentContractState } from '../workflows/employmentContract';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  signThroughPage,
  uniqueEmail,
} from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/** The signer's side in real Chromium on a phone-sized screen, from the link in the real e-mail. */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('contract-browser');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

describe('signing on a phone in a real browser', () => {
  it('opens the link from the e-mail, signs with consent and typed name, shows the receipt, and passes axe (WCAG 2.1 AA)', async () => {
    const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send(contractRequest(who));
      expect(created.status).toBe(201);
      const link = await invitationLink(who.employee);
      expect(link.url.startsWith(harness.baseUrl)).toBe(true);

      const context = await browser.newContext({
        viewport: { width: 375, height: 667 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'fi-FI',
      });
      const page = await context.newPage();
      await page.goto(link.url);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Allekirjoita asiakirja');
      expect(await page.locator('main img').count()).toBeGreaterThanOrEqual(2);
      // Nothing wider than the phone: no sideways scrolling.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await expectNoAccessibilityViolations(page);

      // The page in Swedish, from its language menu.
      await page.getByRole('link', { name: 'Svenska' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      await expectNoAccessibilityViolations(page);

      await page.getByLabel('Jag har läst dokumentet').check();
      await page.getByLabel('Skriv ditt namn').fill('Maija Meikäläinen');
      await page.getByRole('button', { name: 'Underteckna', exact: true }).click();
      await page.waitForURL(/\/s\/[^/]+\?lang=sv$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tack, du har undertecknat dokumentet');
      await expectNoAccessibilityViolations(page);

      // Once the employer has signed, the same page offers the sealed document.
      const employerLink = await invitationLink(who.employer);
      expect((await signThroughPage(harness, employerLink, 'Erkki Esimies')).status).toBe(303);
      const result = (await harness.stack.client.workflow.getHandle(created.body.contractId).result()) as EmploymentContractState;
      expect(result.status).toBe('completed');
      await page.reload();
      const download = page.getByRole('link', { name: 'Ladda ner det undertecknade dokumentet' });
      const href = await download.getAttribute('href');
      const pdf = await page.request.get(new URL(href!, page.url()).toString());
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect(pdf.headers()['x-content-sha256']).toBe(result.sealedSha256);
      await expectNoAccessibilityViolations(page);

      // An unknown link gets a plain explanation page, accessible too.
      await page.goto(`${harness.baseUrl}/s/not-a-real-token-000000000000000000000?lang=en`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link is not valid');
      await expectNoAccessibilityViolations(page);
      await context.close();
    });
  });
});
