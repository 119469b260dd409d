import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { type Browser } from 'playwright-core';
import { ParticipantLinks } from '../links/signerLinks';
import { Applications } from '../store/applications';
import { axeViolations, launchChromium } from './support/browser';
import { listenOnOwnAddress } from './support/listeningApp';
import { signInThroughProvider } from './support/staffSignIn';
import { letterApi } from './support/officialMailHarness';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';
import { freshBusinessId } from './support/businessIds';

/** A citizen fills in the grant form on a phone in real Chromium: errors they can act on, then a received application. */

let stack: TestStack;
let browser: Browser;
let server: http.Server;
let baseUrl: string;
beforeAll(async () => {
  stack = await openTestStack('form-browser');
  ({ server, baseUrl } = await listenOnOwnAddress((publicUrl) => letterApi(stack, { ...stack.config, publicUrl })));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

it('fills the grant form on a phone: axe-clean, a wrong IBAN is named at its field, the fixed form is received', async () => {
  const roundId = `browser-${randomUUID().slice(0, 8)}`;
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fi-FI',
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/forms/avustushakemus?round=${roundId}`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Avustushakemus yhdistyksille');
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  expect(await axeViolations(page)).toEqual([]);

  const fill = async (label: RegExp, value: string) => page.getByLabel(label).fill(value);
  await fill(/^Yhdistyksen nimi/, 'Esimerkkilän Kuoro ry');
  await fill(/^Y-tunnus/, freshBusinessId());
  await fill(/^Postiosoite/, 'Laulutie 2');
  await fill(/^Postinumero/, '33100');
  await fill(/^Postitoimipaikka/, 'Tampere');
  await fill(/^Yhteyshenkilö/, 'Sointu Solisti');
  await fill(/^Sähköposti/, `choir-${randomUUID().slice(0, 8)}@example.fi`);
  await fill(/^Mihin avustusta haetaan/, 'Konserttimatka.');
  await fill(/^Haettava summa/, '750,50');
  await fill(/^Toiminnan kokonaisbudjetti/, '3000');
  await fill(/^Tilinumero/, 'FI21 1234 5600 0007 86');
  await page
    .getByLabel(/^Talousarvio/)
    .setInputFiles({ name: 'talousarvio.pdf', mimeType: 'application/pdf', buffer: await samplePdf(1, 'Talousarvio') });
  await page.getByRole('button', { name: 'Lähetä hakemus' }).click();

  const summary = page.getByRole('alert');
  await summary.waitFor();
  expect(await summary.textContent()).toContain('Tilinumero (IBAN)');
  expect(await page.getByLabel(/^Tilinumero/).getAttribute('aria-invalid')).toBe('true');
  expect(await axeViolations(page)).toEqual([]);
  expect(await new Applications().inRound(roundId)).toHaveLength(0);

  await fill(/^Tilinumero/, 'FI21 1234 5600 0007 85');
  await page.getByRole('button', { name: 'Lähetä hakemus' }).click();
  await page.getByRole('status').waitFor();
  expect(await page.getByRole('status').textContent()).toContain('Hakemus on vastaanotettu');
  expect(await axeViolations(page)).toEqual([]);

  const [stored] = await new Applications().inRound(roundId);
  expect(stored).toMatchObject({
    formId: 'avustushakemus',
    values: { amountApplied: '750.50', iban: 'FI2112345600000785' },
    attachments: [{ field: 'budget', fileName: 'talousarvio.pdf' }],
  });
  await stack.client.workflow.getHandle(stored._id).terminate('browser test: the form only');

  // The pages behind the applicant's personal links: the part of the form asked for, and a rectification request.
  await new Applications().update(stored._id, {
    caseNumber: '7/02.05.01/2026',
    supplementation: {
      fields: ['purpose', 'annualReport'],
      message: 'Kertokaa tarkemmin, mihin avustus käytetään, ja liittäkää toimintakertomus.',
      deadlineAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  });
  const links = new ParticipantLinks();
  const supplementation = await links.issue({
    processId: stored._id,
    participantId: 'applicant',
    purpose: 'supplementation',
    expiresAt: new Date(Date.now() + 3600_000),
  });
  await page.goto(`${baseUrl}/hakemus/${supplementation}?lang=fi`);
  expect(await page.getByLabel(/^Mihin avustusta haetaan/).count()).toBe(1);
  expect(await page.getByLabel(/^Toimintakertomus/).count()).toBe(1);
  expect(await page.getByLabel(/^Tilinumero/).count()).toBe(0);
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  expect(await axeViolations(page)).toEqual([]);
  const rectification = await links.issue({
    processId: stored._id,
    participantId: 'applicant',
    purpose: 'rectification',
    expiresAt: new Date(Date.now() + 3600_000),
  });
  await page.goto(`${baseUrl}/hakemus/${rectification}?lang=sv`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Begäran om omprövning: 7/02.05.01/2026');
  expect(await axeViolations(page)).toEqual([]);
  await links.revokeAll({ processId: stored._id, reason: 'test finished' });
  const closed = await page.goto(`${baseUrl}/hakemus/${rectification}?lang=en`);
  expect(closed!.status()).toBe(410);
  expect(await axeViolations(page)).toEqual([]);

  // The page in Swedish and English.
  for (const [language, heading] of [
    ['sv', 'Ansökan om understöd för föreningar'],
    ['en', 'Grant application for associations'],
  ] as const) {
    await page.goto(`${baseUrl}/forms/avustushakemus?lang=${language}`);
    expect(await page.locator('html').getAttribute('lang')).toBe(language);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
    expect(await axeViolations(page)).toEqual([]);
  }
  await context.close();
});

it("the handler's page: signs in, picks the round from a list, states in words, opens an application, offers the round's tables; axe-clean", async () => {
  const roundId = `handler-${randomUUID().slice(0, 8)}`;
  await new Applications().create({
    _id: `application-${randomUUID()}`,
    formId: 'avustushakemus',
    roundId,
    language: 'fi',
    status: 'awaiting_decision',
    caseNumber: '12/02.05.01/2026',
    submittedAt: new Date(),
    values: {
      associationName: 'Esimerkkilän Shakkikerho ry',
      businessId: '0116297-6',
      amountApplied: '400.00',
      email: 'shakki@example.fi',
    },
    attachments: [],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fi-FI' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/kasittely`);
  expect(await axeViolations(page)).toEqual([]);
  await signInThroughProvider(page, baseUrl, 'kalle.kasittelija', '/kasittely');
  await page.getByRole('link', { name: roundId }).click();
  const row = page.getByRole('row', { name: /Shakkikerho/ });
  await row.waitFor();
  expect(await row.textContent()).toContain('odottaa päätöstä');
  expect(await page.getByRole('link', { name: 'Avustushakemus yhdistyksille (XLSX)' }).getAttribute('href')).toBe(
    `/api/rounds/${roundId}/export/avustushakemus.xlsx`,
  );
  await page.getByRole('link', { name: '12/02.05.01/2026' }).click();
  await page.getByRole('heading', { name: /12\/02.05.01\/2026/ }).waitFor();
  expect(await page.locator('#application-values').textContent()).toContain('Yhdistyksen nimi');
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
