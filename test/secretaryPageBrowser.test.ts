import { type Browser } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { askCorrections, mailedLink, minutesPdf, minutesPeople, startReview, waitForState } from './support/minutesHarness';
import { signInThroughProvider } from './support/staffSignIn';

/**
 * The secretary's page in real Chromium under the app's CSP: its script is
 * the file /assets/minutesUpload.js (no inline script, no nonce), and it
 * uploads the corrected minutes, which opens a new round.
 */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('secretary-page');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

it('uploads a corrected version from the page, with the script from /assets allowed by the CSP, and is axe-clean', async () => {
  const who = minutesPeople();
  await harness.stack.withWorker(async () => {
    const reviewId = await startReview(harness, who);
    const link = await mailedLink(who.checkerA);
    expect((await askCorrections(harness, link, { 'comment-5': 'Summa puuttuu.' })).status).toBe(303);
    await waitForState(harness, reviewId, (s) => s.status === 'awaiting_correction');

    const context = await browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();
    await signInThroughProvider(page, harness.baseUrl, 'sanna.sihteeri', `/minutes/${reviewId}`);
    const blocked: string[] = [];
    // A CSP violation or a script error shows on the console; a missing asset as a failed response (the browser's own favicon aside).
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) blocked.push(message.text());
    });
    page.on('pageerror', (error) => blocked.push(error.message));
    page.on('response', (answer) => {
      if (answer.status() >= 400 && !answer.url().endsWith('/favicon.ico')) blocked.push(`${answer.status()} ${answer.url()}`);
    });
    const response = await page.goto(`${harness.baseUrl}/minutes/${reviewId}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.getByText('Summa puuttuu.').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('#pdf').setInputFiles({
      name: 'korjattu.pdf',
      mimeType: 'application/pdf',
      buffer: await minutesPdf('Talousarvio hyväksyttiin: menot 12,4 milj. euroa.'),
    });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Lähetä tarkastettavaksi' }).click()]);
    await waitForState(harness, reviewId, (s) => s.status === 'in_review' && s.rounds.length === 2);
    await page.reload();
    expect(await page.getByRole('heading', { name: /Kierros 2: versio 2/ }).isVisible()).toBe(true);
    expect(blocked).toEqual([]);
    await context.close();
  });
});
