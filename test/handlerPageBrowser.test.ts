import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import request from 'supertest';
import { type Browser, type BrowserContextOptions } from 'playwright-core';
import { businessIdCheckDigit } from '../rules/identifiers';
import { axeViolations, launchChromium } from './support/browser';
import { listenOnOwnAddress } from './support/listeningApp';
import { signInThroughProvider } from './support/staffSignIn';
import { letterApi, registerPerson, stopEventPoller } from './support/officialMailHarness';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';

/**
 * The handler's case page in real Chromium: an application arrives, the
 * handler picks its round and case from lists (no id typed), sees it in the
 * form's own labels with its attachment, drafts the decision, signs it when
 * the step asks for it, and sees the signed decision and the letter's
 * delivery without reloading: on a desktop in Finnish, on a phone in Swedish.
 */

let stack: TestStack;
let browser: Browser;
let server: http.Server;
let baseUrl: string;
const started: string[] = [];

beforeAll(async () => {
  stack = await openTestStack('handler-browser');
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

function freshBusinessId(): string {
  for (;;) {
    const digits = String(randomInt(1_000_000, 9_999_999));
    const check = businessIdCheckDigit(digits);
    if (check !== null) return `${digits}-${check}`;
  }
}

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

const TEXTS = {
  fi: {
    token: 'Käsittelijän tunniste',
    signIn: 'Kirjaudu',
    label: 'Yhdistyksen nimi',
    draft: 'Lähetä allekirjoitettavaksi',
    reasoning: 'Perustelut',
    amount: 'Myönnettävä summa (€)',
    sign: 'Allekirjoita päätös',
    signed: 'Allekirjoitettu päätös (PDF)',
    letter: 'Suomi.fi-viestit',
    periodEnds: 'Oikaisuvaatimusaika päättyy',
    waiting: 'odottaa päätöstä',
  },
  sv: {
    token: 'Handläggarens kod',
    signIn: 'Logga in',
    label: 'Föreningens namn',
    draft: 'Skicka för underskrift',
    reasoning: 'Motivering',
    amount: 'Belopp som beviljas (€)',
    sign: 'Underteckna beslutet',
    signed: 'Undertecknat beslut (PDF)',
    letter: 'Suomi.fi-meddelanden',
    periodEnds: 'Tiden för omprövningsbegäran slutar',
    waiting: 'väntar på beslut',
  },
};

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

it.each([
  ['fi', 'desktop', DESKTOP],
  ['sv', 'phone', PHONE],
] as const)(
  'in %s on a %s: from arrival to a signed decision without typing an id, axe-clean',
  async (language, _device, options) => {
    const t = TEXTS[language];
    const roundId = `kierros-${randomUUID().slice(0, 6)}`;
    const applicationId = await arrive(roundId);
    await stack.withWorker(async () => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await signInThroughProvider(page, baseUrl, 'kalle.kasittelija', `/kasittely?lang=${language}`);
      await page.getByRole('link', { name: roundId }).click();
      // The case number comes once the case is registered, and the state moves on to awaiting a decision a moment later.
      const caseLink = page.getByRole('link', { name: /^\d+\/02\.05\.01\/\d{4}$/ });
      const row = page.getByRole('row', { name: /Soittajat/ });
      const awaitingDecision = async () => (await caseLink.count()) > 0 && ((await row.textContent()) ?? '').includes(t.waiting);
      for (let tries = 0; tries < 30 && !(await awaitingDecision()); tries++) {
        await new Promise((r) => setTimeout(r, 500));
        await page.reload();
      }
      expect(await row.textContent()).toContain(t.waiting);
      expect(await axeViolations(page)).toEqual([]);
      await caseLink.click();

      // The application in the form's own labels, its attachment linked; only the actions this step allows.
      await page.getByRole('heading', { name: new RegExp(t.waiting) }).waitFor();
      expect(await page.locator('#application-values').textContent()).toContain(t.label);
      expect(await page.getByRole('link', { name: 'talousarvio.pdf' }).getAttribute('href')).toMatch(/^\/api\/versions\/.+\/content$/);
      expect(await page.getByRole('button', { name: t.sign }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      if (options === PHONE) expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

      await page.getByLabel(t.amount).fill('800');
      await page.getByLabel(t.reasoning).fill('Toiminta vastaa avustusperiaatteita.');
      await page.getByRole('button', { name: t.draft }).click();
      // The signing step appears by itself once the decision is drafted.
      await page.getByRole('button', { name: t.sign }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('button', { name: t.draft }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: t.sign }).click();

      // The signed decision and its letter, without a reload.
      await page.getByText(t.letter).waitFor({ timeout: 60_000 });
      expect(await page.locator('#letter').textContent()).toContain(t.periodEnds);
      expect(await page.locator('#letter').textContent()).toMatch(/\d{1,2}\.\d{1,2}\.\d{4}/);
      const pdfHref = await page.getByRole('link', { name: t.signed }).getAttribute('href');
      const pdf = await page.request.get(`${baseUrl}${pdfHref}`);
      expect(pdf.status()).toBe(200);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decision-')), 'decision.pdf');
      fs.writeFileSync(file, await pdf.body());
      // The decision's date as Finland writes it.
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toMatch(/\b\d{1,2}\.\d{1,2}\.20\d\d\b/);
      expect(text).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
    expect(applicationId).toBeTruthy();
  },
  180_000,
);
