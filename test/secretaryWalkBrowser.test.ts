import { type Browser } from 'playwright-core';
import { DEVELOPMENT_USERS } from '../integrations/identityProvider/developmentUsers';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { askCorrections, mailedLink, minutesPdf, minutesPeople, startReview, waitForState } from './support/minutesHarness';
import { fillProviderForm } from './support/staffSignIn';
import { DEVICES, WALKS } from './support/walkDevices';

/**
 * The meeting secretary's main path in real Chromium, on a desktop and on a
 * phone, in Finnish and in Swedish: a checker asks for corrections, the
 * secretary opens the link in that mail (read from MailDev), signs in at the
 * identity provider, lands on those minutes, reads the comment and uploads
 * the corrected version. Swedish is the person's own choice from the page's
 * language menu, remembered across the reload; the browser's English
 * Accept-Language is not what decides.
 */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('secretary-walk');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const SECRETARY = DEVELOPMENT_USERS.find((u) => u.username === 'sanna.sihteeri')!;

const WORDS = {
  fi: {
    state: 'Odottaa korjattua versiota',
    upload: 'Lähetä tarkastettavaksi',
    newRound: /Kierros 2: versio 2/,
    file: 'Korjattu pöytäkirja (PDF)',
  },
  sv: {
    state: 'Väntar på en rättad version',
    upload: 'Skicka för justering',
    newRound: /Omgång 2: version 2/,
    file: 'Rättat protokoll (PDF)',
  },
};

describe.each(WALKS)('the secretary on a %s in %s', (device, language) => {
  it('opens the link from the mail, signs in, lands on the minutes, reads the comment and uploads the corrected version; axe-clean', async () => {
    const who = minutesPeople();
    const words = WORDS[language];
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const checkerLink = await mailedLink(who.checkerA);
      expect((await askCorrections(harness, checkerLink, { 'comment-5': 'Loppusumma puuttuu päätöksestä.' })).status).toBe(303);
      await waitForState(harness, reviewId, (s) => s.status === 'awaiting_correction');

      // The link in the secretary's own mail, as MailDev received it.
      const [mail] = await waitForMail(who.secretary, 1);
      const link = new RegExp(`${harness.baseUrl}/minutes/[A-Za-z0-9_-]+`).exec(mail.text)?.[0];
      expect(link).toBe(`${harness.baseUrl}/minutes/${reviewId}`);

      const context = await browser.newContext({ ...DEVICES[device], locale: 'en-GB' });
      const page = await context.newPage();
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      await page.goto(link!);
      // Not signed in: the provider's form, then straight back to the minutes.
      await fillProviderForm(page, SECRETARY.username, SECRETARY.password);
      await page.waitForURL(link!);
      expect(await page.locator('html').getAttribute('lang')).toBe('fi');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kunnanhallitus: Pöytäkirja 5/2026');
      if (language === 'sv') {
        await page.getByRole('link', { name: 'Svenska' }).click();
        await page.waitForURL(`${link}?lang=sv`);
        // The choice is remembered: the bare link answers in Swedish from now on.
        await page.goto(link!);
        expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      }
      expect(await page.getByText(words.state).isVisible()).toBe(true);
      expect(await page.getByText('§ 5: Loppusumma puuttuu päätöksestä.').isVisible()).toBe(true);
      if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      expect(await axeViolations(page)).toEqual([]);

      await page.getByLabel(words.file).setInputFiles({
        name: 'korjattu.pdf',
        mimeType: 'application/pdf',
        buffer: await minutesPdf('Talousarvio hyväksyttiin: menot 12,4 milj. euroa.'),
      });
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: words.upload }).click()]);
      await waitForState(harness, reviewId, (s) => s.status === 'in_review' && s.rounds.length === 2);
      await page.reload();
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
      expect(await page.getByRole('heading', { name: words.newRound }).isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      expect(failures).toEqual([]);
      await context.close();
    });
  }, 120_000);
});
