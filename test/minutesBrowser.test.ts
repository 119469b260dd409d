import { type Browser, type Page } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { asSecretary, mailedLink, minutesPdf, minutesPeople, reviewState, startReview, waitForState } from './support/minutesHarness';

/** A checker on a phone in real Chromium, from the link in the real e-mail: comments on a section, then approves the corrected version. */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('minutes-browser');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

describe('checking minutes on a phone in a real browser', () => {
  it('comments on a section and asks for corrections, then approves the corrected version; every page passes axe (WCAG 2.1 AA)', async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const link = await mailedLink(who.checkerA);
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
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tarkasta pöytäkirja: Pöytäkirja 5/2026');
      expect(await page.locator('main img').count()).toBe(4);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await expectNoAccessibilityViolations(page);

      // In English, from the language menu; a comment in the box of § 5.
      await page.getByRole('link', { name: 'English' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await expectNoAccessibilityViolations(page);
      await page.getByLabel('§ 5 Talousarvio 2027 (p. 4)').fill('The total is missing from the decision.');
      // Approving without the consent box is sent back with the error tied to it.
      await page.getByRole('button', { name: 'Approve the minutes' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('Confirm your approval by ticking the box.');
      expect(await page.getByLabel('§ 5 Talousarvio 2027 (p. 4)').inputValue()).toBe('The total is missing from the decision.');
      await expectNoAccessibilityViolations(page);
      await page.getByRole('button', { name: 'Ask for corrections' }).click();
      await page.waitForURL(/\/m\/[^/]+\?lang=en$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you, your request for corrections was sent');
      await expectNoAccessibilityViolations(page);
      const toSecretary = await waitForMail(who.secretary, 1);
      expect(toSecretary[0].text).toContain('§ 5');
      const state = await reviewState(harness, reviewId);
      expect(state.status).toBe('awaiting_correction');

      // The secretary uploads the corrected version; the new link shows what changed.
      const uploaded = await (
        await asSecretary(harness)
      )
        .post(`/api/minutes/${reviewId}/versions`)
        .set('Content-Type', 'application/pdf')
        .send(await minutesPdf('Talousarvio hyväksyttiin: menot 12,4 milj. euroa.'));
      expect(uploaded.status).toBe(200);
      const second = await mailedLink(who.checkerA, 2);
      await page.goto(second.url.replace('lang=fi', 'lang=sv'));
      expect(await page.getByRole('heading', { name: 'Ändringar jämfört med föregående version' }).isVisible()).toBe(true);
      expect(await page.locator('ins').first().textContent()).toContain('menot 12,4 milj. euroa');
      await expectNoAccessibilityViolations(page);
      await page.getByLabel('Jag har justerat protokollet').check();
      await page.getByRole('button', { name: 'Godkänn protokollet' }).click();
      await page.waitForURL(/\?lang=sv$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tack, du godkände protokollet');
      await expectNoAccessibilityViolations(page);
      await waitForState(harness, reviewId, (s) => s.rounds[1]?.checkers[0]?.status === 'approved');

      // The public page, in all three languages.
      for (const lang of ['fi', 'sv', 'en']) {
        await page.goto(`${harness.baseUrl}/public/minutes?lang=${lang}`);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await expectNoAccessibilityViolations(page);
      }
      await context.close();
    });
  }, 120_000);
});
