import { type Browser } from 'playwright-core';
import { waitForMail } from './support/mailbox';
import { axeViolations, launchChromium } from './support/browser';
import { signInThroughProvider } from './support/staffSignIn';
import { type ContractHarness, openContractHarness, uniqueEmail } from './support/contractHarness';

/** HR's page in real Chromium: sign in, send a contract from the form, find it in the list; axe (WCAG 2.1 AA) on every page. */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('hr-page');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe("HR's contract page", () => {
  it('signs in with a token, creates a contract from the template form, sees it in the list, and passes axe', async () => {
    const employee = uniqueEmail('employee');
    const title = `Sijaisuus ${employee.slice(9, 17)}`;
    await harness.stack.withWorker(async () => {
      const context = await browser.newContext({ locale: 'fi-FI' });
      const page = await context.newPage();
      await page.goto(`${harness.baseUrl}/hr`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kirjaudu sisään');
      expect(await axeViolations(page)).toEqual([]);

      // The development token form (development mode only) refuses a wrong token with the error at the field;
      // HR then signs in through the identity provider, as staff do.
      await page.getByLabel('Henkilöstötunnus (token)').fill('not-a-valid-token');
      await page.getByRole('button', { name: 'Kirjaudu' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('Tunnus ei kelpaa');
      expect(await axeViolations(page)).toEqual([]);
      await signInThroughProvider(page, harness.baseUrl, 'hanna.hr', '/hr?lang=fi');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sopimukset');
      expect(await axeViolations(page)).toEqual([]);

      // The form: a first try without the terms comes back with the errors named and linked.
      await page.getByRole('link', { name: 'Uusi sopimus' }).first().click();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Otsikko').fill(title);
      await page.locator('#employeeName').fill('Maija Meikäläinen');
      await page.locator('#employeeSignerName').fill('Maija Meikäläinen');
      await page.locator('#employeeSignerEmail').fill(employee);
      await page.locator('#employerSignerName').fill('Erkki Esimies');
      await page.locator('#employerSignerEmail').fill(uniqueEmail('employer'));
      await page.locator('#hrEmail').fill(uniqueEmail('hr'));
      await page.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
      expect(await page.getByRole('heading', { name: 'Korjaa nämä kohdat' }).isVisible()).toBe(true);
      expect(await page.locator('#startDate').getAttribute('aria-invalid')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);

      const terms: Record<string, string> = {
        employerName: 'Esimerkkilän kunta',
        employerAddress: 'Kunnantie 1, 99999 Esimerkkilä',
        employerBusinessId: '0116297-6',
        employeeAddress: 'Kotikatu 2, 99999 Esimerkkilä',
        startDate: '2027-01-04',
        endDate: '2027-01-29',
        fixedTermReason: 'Sijaisuus',
        placeOfWork: 'Esimerkkilän koulu',
        duties: 'Luokanopettajan sijaisuus',
        payBasis: 'OVTES',
        payPeriod: 'Kuukausi',
        workingHours: '24 oppituntia viikossa',
        annualLeave: 'Vuosilomalain mukaan',
        noticePeriod: 'Ei irtisanomisaikaa',
        collectiveAgreement: 'OVTES',
      };
      for (const [field, value] of Object.entries(terms)) await page.locator(`#${field}`).fill(value);
      await page.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
      await page.waitForURL(/\/hr\/contracts\/contract-[^?]+\?lang=fi&done=created$/);
      expect(await page.getByRole('status').textContent()).toContain('Sopimus lähetettiin');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      expect(await axeViolations(page)).toEqual([]);

      // The employee really is invited, and the list shows the contract as awaiting them with the time left.
      expect(await waitForMail(employee, 1)).toHaveLength(1);
      await page.getByRole('link', { name: 'Takaisin listaan' }).click();
      const row = page.getByRole('row').filter({ hasText: title });
      await expect(row.count()).resolves.toBe(1);
      expect(await row.textContent()).toMatch(/odottaa allekirjoituksia|valmistellaan/);
      expect(await row.textContent()).toMatch(/\d+ pv \d+ h/);
      await page.goto(`${page.url().split('?')[0]}?lang=sv`);
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      expect(await axeViolations(page)).toEqual([]);

      // Cancel with a reason from the contract's page, in English.
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('link', { name: 'English' }).click();
      await page.getByLabel('Reason (the signers are told)').fill('Created by the page test');
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      expect(await page.getByRole('status').textContent()).toContain('The contract was cancelled.');
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }, 150_000);
});
