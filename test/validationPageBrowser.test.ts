import fs from 'node:fs';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { type Browser } from 'playwright-core';
import request from 'supertest';
import { renderAuditCertificate } from '../activities/auditCertificate';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { appendPagesIncrementally } from '../signing/appendPages';
import { signFieldForTheLongTerm } from '../signing/longTermValidity';
import { prepareSignatureFields } from '../signing/prepareSignatureFields';
import { axeViolations, launchChromium } from './support/browser';
import { openTestStack, type TestStack } from './support/testStack';
import { makeTextPdf } from './signing/signingFixtures';
import { trustServices } from './signing/ltvFixtures';

jest.setTimeout(120_000);

/**
 * The public page "Tarkista allekirjoitettu asiakirja" in Chromium on a
 * phone-sized screen: upload a sealed B-LTA document with an audit
 * certificate, read each signature in words with the process id, download
 * the report as JSON and as PDF; axe finds nothing before or after.
 */

let stack: TestStack;
let deps: ReturnType<typeof createApiDeps>;
let server: Server;
let browser: Browser;
let baseUrl: string;
let sealedPdf: Buffer;
const PROCESS_ID = 'contract-validation-page-1';

beforeAll(async () => {
  stack = await openTestStack('validation-page');
  deps = createApiDeps(stack.config, stack.client);
  server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();

  // As a contract ends: the audit certificate appended, then the seal (B-T, DSS, document timestamp).
  const trust = await trustServices();
  const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1, 'Työsopimus'), [
    { name: 'organisation-seal', label: 'Esimerkkilän kunta' },
  ]);
  const certificate = await renderAuditCertificate({
    organization: 'Esimerkkilän kunta',
    title: 'Työsopimus',
    processId: PROCESS_ID,
    events: [{ processId: PROCESS_ID, actor: 'system', action: 'contract.created', at: new Date(), seq: 1, hash: 'a'.repeat(64) } as never],
    describeActor: (actor) => actor,
  });
  const withCertificate = await appendPagesIncrementally(pdf, certificate);
  sealedPdf = await signFieldForTheLongTerm(
    withCertificate,
    plan,
    'organisation-seal',
    { signerName: trust.pki.seal.subjectName, role: 'Sinetti', signedAt: new Date() },
    trust.pki.seal,
    trust.services,
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  deps?.close();
  await stack?.close();
});

describe('the validation page', () => {
  it('shows each signature in words on a phone, with the process id, and gives the report as JSON and PDF; axe-clean', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/validate?lang=fi`);
    expect(await page.locator('h1').textContent()).toBe('Tarkista allekirjoitettu asiakirja');
    expect(await axeViolations(page)).toEqual([]);

    const choose = () =>
      page.getByLabel('PDF-tiedosto').setInputFiles({ name: 'sopimus.pdf', mimeType: 'application/pdf', buffer: sealedPdf });
    await choose();
    await page.getByRole('button', { name: 'Tarkista', exact: true }).click();
    await page.locator('#report-title').waitFor();
    const report = await page.locator('main').innerText();
    expect(report).toContain('1. Allekirjoitus');
    expect(report).toContain('2. Asiakirja-aikaleima');
    expect(report).toMatch(/Tulos\s+Pätevä/);
    expect(report).toContain('B-LTA');
    expect(report).toContain('luotettu');
    expect(report).toContain('ei suljettu');
    expect(report).toContain('Myöhemmin on lisätty vain allekirjoituksia, kelpoisuustietoja ja aikaleimoja.');
    expect(report).toContain(PROCESS_ID);
    expect(report).toContain('Tarkastusloki kuuluu allekirjoituksen 1 kattamaan osaan.');
    expect(await axeViolations(page)).toEqual([]);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await choose();
    await page.getByLabel(/Tarkista päivän mukaan/).fill('2031-01-01');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lataa raportti (JSON)' }).click()]);
    const downloaded = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
    expect(downloaded.validatedAt).toBe('2031-01-01T00:00:00.000Z');
    expect(downloaded.provenance).toMatchObject({
      processId: PROCESS_ID,
      auditChainHead: { seq: 1, sha256: 'a'.repeat(64) },
      coveredBySignature: 0,
    });
    expect(downloaded.signatures.map((s: { kind: string }) => s.kind)).toEqual(['signature', 'document-timestamp']);

    await choose();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lataa raportti (PDF)' }).click()]);
    expect(
      fs
        .readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await context.close();
  });

  it('answers in Swedish and English, and says what is wrong with a missing file or a bad date', async () => {
    const sv = await request(createApp(deps)).get('/validate?lang=sv');
    expect(sv.text).toContain('Kontrollera ett undertecknat dokument');
    const en = await request(createApp(deps)).get('/validate').set('Accept-Language', 'en-GB');
    expect(en.text).toContain('Check a signed document');

    const noFile = await request(createApp(deps)).post('/validate?lang=en').field('format', 'html');
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain('Choose a PDF file.');
    const badDate = await request(createApp(deps))
      .post('/validate?lang=en')
      .field('at', 'tomorrow')
      .attach('pdf', sealedPdf, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('Give the date as YYYY-MM-DD.');
  });
});
