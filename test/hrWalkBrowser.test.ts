import { type Browser } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness, uniqueEmail } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { samplePdf } from './support/samplePdf';
import { signInThroughProvider } from './support/staffSignIn';
import { DEVICES, WALKS } from './support/walkDevices';

/**
 * HR's main path in real Chromium, on a desktop and on a phone, in Finnish
 * and in Swedish: sign in at the identity provider, (choose Swedish from the
 * language menu), open a new contract from a ready PDF, send it with one
 * e-mail missing and one mistyped, read the errors in the page's language
 * naming each field, find everything typed still there and the file asked for
 * again, fix it and send; the employee's invitation arrives.
 */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('hr-walk');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const WORDS = {
  fi: {
    newContract: 'Uusi sopimus',
    fromPdf: 'Lataa valmis PDF',
    send: 'Lähetä allekirjoitettavaksi',
    errorsHeading: 'Korjaa nämä kohdat',
    errors: [
      'Työntekijä: Sähköposti: anna sähköpostiosoite muodossa nimi@esimerkki.fi.',
      'Työnantajan edustaja: Sähköposti: täytä tämä kenttä.',
    ],
    chooseAgain: 'Valitse tiedosto uudelleen',
    created: 'Sopimus lähetettiin allekirjoitettavaksi.',
  },
  sv: {
    newContract: 'Nytt avtal',
    fromPdf: 'Ladda upp en färdig PDF',
    send: 'Skicka för underskrift',
    errorsHeading: 'Rätta följande',
    errors: [
      'Arbetstagare: E-post: ange e-postadressen i formen namn@exempel.fi.',
      'Arbetsgivarens företrädare: E-post: fyll i detta fält.',
    ],
    chooseAgain: 'Välj filen på nytt',
    created: 'Avtalet skickades för underskrift.',
  },
};

describe.each(WALKS)('HR on a %s in %s', (device, language) => {
  it('fixes a contract form after an error without losing anything typed, then sends it; axe-clean', async () => {
    const words = WORDS[language];
    const employee = uniqueEmail('employee');
    const pdf = { name: 'sopimus.pdf', mimeType: 'application/pdf', buffer: await samplePdf(1, 'Valmis sopimus') };
    await harness.stack.withWorker(async () => {
      const context = await browser.newContext({ ...DEVICES[device], locale: 'en-GB' });
      const page = await context.newPage();
      await signInThroughProvider(page, harness.baseUrl, 'hanna.hr', '/hr');
      expect(await page.locator('html').getAttribute('lang')).toBe('fi');
      if (language === 'sv') {
        await page.getByRole('link', { name: 'Svenska' }).click();
        expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      }
      if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: words.newContract }).first().click();
      // The remembered choice carries to the next page, which was opened without ?lang=.
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
      await page.getByLabel(words.fromPdf).check();
      await page.locator('#pdf').setInputFiles(pdf);
      await page.locator('#title').fill('Kesäsijaisuus');
      await page.locator('#employeeSignerName').fill('Maija Meikäläinen');
      await page.locator('#employeeSignerEmail').fill('maija.example.test');
      await page.locator('#employerSignerName').fill('Erkki Esimies');
      await page.locator('#hrEmail').fill(uniqueEmail('hr'));
      await page.getByRole('button', { name: words.send }).click();

      const summary = page.getByRole('alert');
      expect(await summary.getByRole('heading').textContent()).toBe(words.errorsHeading);
      expect(await summary.getByRole('listitem').allTextContents()).toEqual(words.errors);
      expect(await page.locator('#employerSignerEmail').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#employerSignerEmail-error').textContent()).toBe(words.errors[1]);
      expect(await page.locator('#title').inputValue()).toBe('Kesäsijaisuus');
      expect(await page.locator('#employeeSignerName').inputValue()).toBe('Maija Meikäläinen');
      expect(await page.locator('#employeeSignerEmail').inputValue()).toBe('maija.example.test');
      expect(await page.locator('#employerSignerName').inputValue()).toBe('Erkki Esimies');
      expect(await page.getByLabel(words.fromPdf).isChecked()).toBe(true);
      expect(await page.locator('#pdf-hint').textContent()).toContain(words.chooseAgain);
      if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      expect(await axeViolations(page)).toEqual([]);

      await page.locator('#employeeSignerEmail').fill(employee);
      await page.locator('#employerSignerEmail').fill(uniqueEmail('employer'));
      await page.locator('#pdf').setInputFiles(pdf);
      await page.getByRole('button', { name: words.send }).click();
      await page.waitForURL(new RegExp(`/hr/contracts/contract-[^?]+\\?lang=${language}&done=created$`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kesäsijaisuus');
      expect(await page.getByText(words.created).isVisible()).toBe(true);
      if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      expect(await axeViolations(page)).toEqual([]);
      expect(await waitForMail(employee, 1)).toHaveLength(1);
      await context.close();
    });
  }, 120_000);
});
