import { type Browser } from 'playwright-core';
import { helsinkiTime } from '../common/helsinkiTime';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { registerPerson, stopEventPoller, storedPdf } from './support/officialMailHarness';
import { staffHeaders } from './support/staffSession';
import { signInThroughProvider } from './support/staffSignIn';
import { DEVICES, WALKS } from './support/walkDevices';

/**
 * The registry clerk's main path in real Chromium, on a desktop and on a
 * phone, in Finnish and in Swedish: a batch of letters is sent from a CSV,
 * the clerk signs in at the identity provider and watches it on /registry
 * until its report is there. The browser sits in New York with an English
 * locale; the card still says the batch's time in Helsinki time, in the
 * language chosen from the page's menu (Swedish remembered on reload).
 */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('registry-walk', { LETTER_BATCH_PAGE_SIZE: '2', LETTER_BATCH_RATE_PER_SECOND: '5' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (harness) await stopEventPoller(harness.stack);
  await harness?.close();
});

const WORDS = {
  fi: { heading: 'Kirjaamo: kirjeerät', letters: '2 kirjettä', sent: 'Lähetetty: 2 / 2 (100 %)', report: 'Raportti (CSV)' },
  sv: { heading: 'Registratur: brevsatser', letters: '2 brev', sent: 'Skickat: 2 / 2 (100 %)', report: 'Rapport (CSV)' },
};

describe.each(WALKS)('the registry on a %s in %s', (device, language) => {
  it('follows a letter batch to its report, in Helsinki time and the chosen language; axe-clean', async () => {
    const words = WORDS[language];
    const people = await Promise.all([true, false].map((mailbox) => registerPerson(harness.stack.config, { mailbox })));
    const csv = ['recipientId;title', ...people.map((p) => `${p.id};Tiedote`)].join('\n') + '\n';
    const started = await harness
      .api()
      .post(`/api/letter-batches?documentVersionId=${await storedPdf()}`)
      .set(await staffHeaders(harness.baseUrl, 'registry'))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(started.status).toBe(202);
    const batchId = started.body.batchId as string;

    const context = await browser.newContext({ ...DEVICES[device], timezoneId: 'America/New_York', locale: 'en-US' });
    const page = await context.newPage();
    await signInThroughProvider(page, harness.baseUrl, 'kirsi.kirjaamo', '/registry');
    if (language === 'sv') {
      await page.getByRole('link', { name: 'Svenska' }).click();
      await page.goto(`${harness.baseUrl}/registry`);
    }
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(words.heading);
    const title = page.locator(`#title-${batchId}`);
    await title.waitFor();
    const listed = await harness
      .api()
      .get('/api/letter-batches')
      .set(await staffHeaders(harness.baseUrl, 'registry'));
    const createdAt = (listed.body.batches as { batchId: string; createdAt: string }[]).find((b) => b.batchId === batchId)!.createdAt;
    expect(await title.textContent()).toBe(`${helsinkiTime(createdAt, language, 'medium', 'short')} – ${words.letters}`);
    expect(await axeViolations(page)).toEqual([]);

    await harness.stack.withWorker(async () => {
      // Other suites' batches share the list: this batch's own card.
      await page
        .locator(`article[aria-labelledby="title-${batchId}"]`)
        .getByRole('link', { name: words.report })
        .waitFor({ timeout: 60_000 });
    });
    expect(await page.locator(`label[for="progress-${batchId}"]`).textContent()).toBe(words.sent);
    if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
