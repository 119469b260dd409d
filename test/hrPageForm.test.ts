import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness, uniqueEmail } from './support/contractHarness';
import { samplePdf } from './support/samplePdf';
import { signInThroughProvider } from './support/staffSignIn';
import { staffHeaders } from './support/staffSession';

/**
 * Issue 15 (F3, C3): HR's form says what to fix in the page's language, naming each field, at the field and in
 * the summary; nothing typed is lost, an uploaded PDF included; the page is Finnish whatever the browser's
 * language until the clerk chooses another, and that choice is remembered. The API's 400 names fields in words.
 */

const TEMPLATE_REQUIRED = [
  'employerName',
  'employerAddress',
  'employeeName',
  'employeeAddress',
  'startDate',
  'placeOfWork',
  'duties',
  'payBasis',
  'payPeriod',
  'workingHours',
  'annualLeave',
  'noticePeriod',
  'collectiveAgreement',
];

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('hr-page-form');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe("HR's new-contract form", () => {
  it('is Finnish on an English browser, marks the 13 template fields, names every error in Finnish, keeps what was typed', async () => {
    const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
    const page = await context.newPage();
    await page.goto(`${harness.baseUrl}/hr`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kirjaudu sisään');
    await signInThroughProvider(page, harness.baseUrl, 'hanna.hr', '/hr/new');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Uusi sopimus');
    for (const field of TEMPLATE_REQUIRED) {
      expect(await page.locator(`label[for=${field}]`).textContent()).toContain('(pakollinen sopimuspohjassa)');
      expect(await page.locator(`#${field}`).getAttribute('aria-required')).toBe('true');
    }

    await page.locator('#title').fill('Kesätyö');
    await page.locator('#duties').fill('Puistotyöt');
    await page.locator('#employeeSignerEmail').fill('not-an-address');
    await page.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.getByRole('heading').textContent()).toBe('Korjaa nämä kohdat');
    const items = await summary.getByRole('listitem').allTextContents();
    expect(items.join('\n')).not.toMatch(/Too small|expected|Invalid/);
    expect(items).toContain('Työnantaja: Nimi: täytä tämä kenttä.');
    expect(items).toContain('Alkamispäivä: täytä tämä kenttä.');
    expect(items).toContain('Työntekijä: Sähköposti: anna sähköpostiosoite muodossa nimi@esimerkki.fi.');
    // Each required term that was left empty is named once, at its field and in the summary; the one filled in is not.
    for (const field of TEMPLATE_REQUIRED.filter((f) => f !== 'duties')) {
      expect(await page.locator(`#${field}`).getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`#${field}-error`).textContent()).toMatch(/: täytä tämä kenttä\.$/);
    }
    expect(await page.locator('#duties').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#title').inputValue()).toBe('Kesätyö');
    expect(await page.locator('#duties').inputValue()).toBe('Puistotyöt');
    expect(await page.locator('#employeeSignerEmail').inputValue()).toBe('not-an-address');
    expect(await axeViolations(page)).toEqual([]);

    // Choosing Swedish is remembered: the next page opened without ?lang= is Swedish, the browser still says English.
    await page.getByRole('link', { name: 'Svenska' }).click();
    await page.goto(`${harness.baseUrl}/hr`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await context.close();
  });

  it('asks for the PDF again after an error, having stored nothing from the form sent back (issue 13: no orphan versions)', async () => {
    const pdfPath = path.join(os.tmpdir(), `hr-form-${process.pid}.pdf`);
    await writeFile(pdfPath, await samplePdf(1, 'Valmis sopimus'));
    await harness.stack.withWorker(async () => {
      const context = await browser.newContext({ locale: 'fi-FI' });
      const page = await context.newPage();
      await page.goto(`${harness.baseUrl}/hr`);
      await signInThroughProvider(page, harness.baseUrl, 'hanna.hr', '/hr/new?lang=fi');
      await page.getByLabel('Lataa valmis PDF').check();
      await page.locator('#pdf').setInputFiles(pdfPath);
      await page.locator('#title').fill('Valmis sopimus');
      await page.locator('#employeeSignerName').fill('Maija Meikäläinen');
      await page.locator('#employeeSignerEmail').fill(uniqueEmail('employee'));
      await page.locator('#employerSignerName').fill('Erkki Esimies');
      await page.locator('#hrEmail').fill(uniqueEmail('hr'));
      await page.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
      expect(await page.getByRole('alert').getByRole('listitem').allTextContents()).toEqual([
        'Työnantajan edustaja: Sähköposti: täytä tämä kenttä.',
      ]);
      expect(await page.locator('#pdf-hint').textContent()).toContain('Valitse tiedosto uudelleen');
      expect(await page.getByLabel('Lataa valmis PDF').isChecked()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      await page.locator('#employerSignerEmail').fill(uniqueEmail('employer'));
      await page.locator('#pdf').setInputFiles(pdfPath);
      await page.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
      await page.waitForURL(/\/hr\/contracts\/contract-[^?]+\?lang=fi&done=created$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Valmis sopimus');
      await context.close();
    });
  });

  it("the API's 400 names each field in words, in the language asked for", async () => {
    const response = await harness
      .api()
      .post('/api/contracts?lang=fi')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send({ signers: [{ role: 'employee', name: '', email: 'x' }], hr: { email: 'hr@example.test' }, terms: {} });
    expect(response.status).toBe(400);
    const messages = (response.body.details as { field: string; message: string }[]).map((d) => d.message);
    expect(messages.join(' ')).not.toMatch(/Too small|expected/);
    expect(messages).toContain('signers.0.name: täytä tämä kenttä.');
    expect(messages).toContain('signers.0.email: anna sähköpostiosoite muodossa nimi@esimerkki.fi.');
    const english = await harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send({ signers: [], hr: { email: 'hr@example.test' } });
    expect(english.body.message).toContain('signers: name at least one signer.');
  });
});
