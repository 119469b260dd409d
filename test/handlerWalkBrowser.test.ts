import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type Browser, type Page } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import { listenOnOwnAddress } from './support/listeningApp';
import { signInThroughProvider } from './support/staffSignIn';
import { letterApi, registerPerson, stopEventPoller } from './support/officialMailHarness';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';
import { DEVICES, WALKS } from './support/walkDevices';
import { freshBusinessId } from './support/businessIds';

/**
 * The handler's main path in real Chromium, on a desktop and on a phone, in
 * Finnish and in Swedish (chosen from the page's menu in an English-language
 * browser, and remembered): an application arrives, the handler signs in at
 * the identity provider, picks its round and case from lists (no id typed),
 * sees it in the form's own labels with its attachment and only the actions
 * its step allows, drafts the decision, signs it when the step asks for it,
 * and sees the signed decision and the letter's delivery without a reload.
 */

let stack: TestStack;
let browser: Browser;
let server: http.Server;
let baseUrl: string;
const started: string[] = [];

beforeAll(async () => {
  stack = await openTestStack('handler-walk');
  ({ server, baseUrl } = await listenOnOwnAddress((publicUrl) => letterApi(stack, { ...stack.config, publicUrl })));
  browser = await launchChromium();
});
afterAll(async () => {
  for (const id of started.flatMap((a) => [a, `${a}-decision-letter`]))
    await stack.client.workflow
      .getHandle(id)
      .terminate('test finished')
      .catch(() => undefined);
  await stopEventPoller(stack);
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

async function arrive(roundId: string): Promise<string> {
  const values = {
    associationName: `Esimerkkilän Soittajat ${randomUUID().slice(0, 4)} ry`,
    businessId: freshBusinessId(),
    street: 'Soittotie 1',
    postalCode: '33100',
    city: 'Tampere',
    contactName: 'Viulu Virtanen',
    email: `band-${randomUUID().slice(0, 8)}@example.fi`,
    purpose: 'Uudet nuottitelineet.',
    amountApplied: '800,00',
    budgetTotal: '2000',
    iban: 'FI21 1234 5600 0007 85',
  };
  await registerPerson(stack.config, { id: values.businessId, name: values.associationName, mailbox: true, electronicOutcome: 'read' });
  const budget = (await samplePdf(1, 'Talousarvio')).toString('base64');
  const submitted = await request(baseUrl)
    .post('/api/forms/avustushakemus/applications')
    .send({
      roundId,
      language: 'fi',
      values,
      attachments: [{ field: 'budget', fileName: 'talousarvio.pdf', contentType: 'application/pdf', contentBase64: budget }],
    });
  expect(submitted.status).toBe(201);
  started.push(submitted.body.applicationId);
  return submitted.body.applicationId as string;
}

const WORDS = {
  fi: {
    label: 'Yhdistyksen nimi',
    draft: 'Lähetä allekirjoitettavaksi',
    reasoning: 'Perustelut',
    amount: 'Myönnettävä summa (€)',
    sign: 'Allekirjoita päätös',
    signed: 'Allekirjoitettu päätös (PDF)',
    letter: 'Suomi.fi-viestit',
    periodEnds: 'Oikaisuvaatimusaika päättyy',
    letterRead: /Kirjeen tila\s*luettu/,
    waiting: 'odottaa päätöstä',
  },
  sv: {
    label: 'Föreningens namn',
    draft: 'Skicka för underskrift',
    reasoning: 'Motivering',
    amount: 'Belopp som beviljas (€)',
    sign: 'Underteckna beslutet',
    signed: 'Undertecknat beslut (PDF)',
    letter: 'Suomi.fi-meddelanden',
    periodEnds: 'Tiden för omprövningsbegäran slutar',
    letterRead: /Brevets läge\s*läst/,
    waiting: 'väntar på beslut',
  },
};

/** The action forms on the case page, by their id: the step decides which are there. */
async function actionsShown(page: Page): Promise<string[]> {
  return page.locator('form.action').evaluateAll((forms) => forms.map((f) => f.id));
}

async function fitsThePhone(page: Page, device: 'desktop' | 'phone'): Promise<void> {
  if (device === 'phone') expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
}

describe.each(WALKS)('the handler on a %s in %s', (device, language) => {
  it('takes an application from arrival to a signed decision without typing an id; axe-clean', async () => {
    const words = WORDS[language];
    const roundId = `kierros-${randomUUID().slice(0, 6)}`;
    await arrive(roundId);
    await stack.withWorker(async () => {
      // An English-language browser: the page's language is Finnish or the one chosen from its menu.
      const context = await browser.newContext({ ...DEVICES[device], locale: 'en-US' });
      const page = await context.newPage();
      await signInThroughProvider(page, baseUrl, 'kalle.kasittelija', '/kasittely');
      if (language === 'sv') await page.getByRole('link', { name: 'Svenska' }).click();
      await page.getByRole('link', { name: roundId }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
      // The case number comes once the case is registered, and the state moves on to awaiting a decision a moment later.
      const caseLink = page.getByRole('link', { name: /^\d+\/02\.05\.01\/\d{4}$/ });
      const row = page.getByRole('row', { name: /Soittajat/ });
      const awaitingDecision = async () => (await caseLink.count()) > 0 && ((await row.textContent()) ?? '').includes(words.waiting);
      for (let tries = 0; tries < 30 && !(await awaitingDecision()); tries++) {
        await new Promise((r) => setTimeout(r, 500));
        await page.reload();
      }
      expect(await row.textContent()).toContain(words.waiting);
      await fitsThePhone(page, device);
      expect(await axeViolations(page)).toEqual([]);
      await caseLink.click();

      // The application in the form's own labels, its attachment linked; only the actions this step allows.
      await page.getByRole('heading', { name: new RegExp(words.waiting) }).waitFor();
      expect(await page.locator('#application-values').textContent()).toContain(words.label);
      expect(await page.getByRole('link', { name: 'talousarvio.pdf' }).getAttribute('href')).toMatch(/^\/api\/versions\/.+\/content$/);
      expect(await actionsShown(page)).toEqual(['supplement-form', 'decision-form']);
      await fitsThePhone(page, device);
      expect(await axeViolations(page)).toEqual([]);

      // Everything from here on happens on this one document: a reload would lose the mark.
      await page.evaluate(() => document.documentElement.setAttribute('data-walk', 'not reloaded'));
      await page.getByLabel(words.amount).fill('800');
      await page.getByLabel(words.reasoning).fill('Toiminta vastaa avustusperiaatteita.');
      await page.getByRole('button', { name: words.draft }).click();
      // The signing step appears by itself once the decision is drafted, and the drafting form goes.
      await page.getByRole('button', { name: words.sign }).waitFor({ timeout: 30_000 });
      expect(await actionsShown(page)).toEqual(['sign-form']);
      await fitsThePhone(page, device);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: words.sign }).click();

      // The signed decision and its letter's delivery, without a reload; no action left for this step.
      await page.getByText(words.letter).waitFor({ timeout: 60_000 });
      expect(await page.locator('html').getAttribute('data-walk')).toBe('not reloaded');
      expect(await actionsShown(page)).toEqual([]);
      // The letter's own state follows it to the recipient's reading, still without a reload.
      await page.locator('#letter').filter({ hasText: words.letterRead }).waitFor({ timeout: 60_000 });
      expect(await page.locator('html').getAttribute('data-walk')).toBe('not reloaded');
      const letter = (await page.locator('#letter').innerText()) ?? '';
      expect(letter).toContain(words.periodEnds);
      expect(letter).toMatch(/\d{1,2}\.\d{1,2}\.\d{4}/);
      const pdfHref = await page.getByRole('link', { name: words.signed }).getAttribute('href');
      const pdf = await page.request.get(`${baseUrl}${pdfHref}`);
      expect(pdf.status()).toBe(200);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decision-')), 'decision.pdf');
      fs.writeFileSync(file, await pdf.body());
      // The decision's date as Finland writes it.
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toMatch(/\b\d{1,2}\.\d{1,2}\.20\d\d\b/);
      expect(text).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
      await fitsThePhone(page, device);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }, 180_000);
});
