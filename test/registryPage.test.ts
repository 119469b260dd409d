import { type Server } from 'node:http';
import { type Browser } from 'playwright-core';
import request from 'supertest';
import { helsinkiTime } from '../common/helsinkiTime';
import { axeViolations, launchChromium } from './support/browser';
import { listenOnOwnAddress } from './support/listeningApp';
import { signInThroughProvider } from './support/staffSignIn';
import { letterApi, registerPerson, asRegistry, stopEventPoller, storedPdf } from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';

/** The registry watches a batch go out on its page: a progress bar per batch, then the report. */

let stack: TestStack;
let server: Server;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  stack = await openTestStack('registry-page', { LETTER_BATCH_PAGE_SIZE: '2', LETTER_BATCH_RATE_PER_SECOND: '5' });
  ({ server, baseUrl } = await listenOnOwnAddress((publicUrl) => letterApi(stack, { ...stack.config, publicUrl })));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await stopEventPoller(stack);
  await stack?.close();
});

describe('registry page in Chromium', () => {
  it('shows each batch with a progress bar that reaches the total, then links the report; axe-clean', async () => {
    const people = await Promise.all([true, false, true].map((mailbox) => registerPerson(stack.config, { mailbox })));
    const versionId = await storedPdf();
    const csv = ['recipientId;title', ...people.map((p) => `${p.id};Tiedote`)].join('\n') + '\n';
    const started = await request(letterApi(stack))
      .post(`/api/letter-batches?documentVersionId=${versionId}`)
      .set(await asRegistry(stack))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(started.status).toBe(202);
    const { batchId } = started.body;

    // A browser in another time zone still shows the batch in Helsinki time, as the server-rendered pages do (issue 15, C10).
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, timezoneId: 'America/New_York', locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/registry`);
    expect(await axeViolations(page)).toEqual([]);
    await signInThroughProvider(page, baseUrl, 'kirsi.kirjaamo', '/registry');

    const bar = page.locator(`#progress-${batchId}`);
    await bar.waitFor();
    expect(await bar.getAttribute('max')).toBe('3');
    expect(await bar.getAttribute('value')).toBe('0');
    const listed = await request(letterApi(stack))
      .get('/api/letter-batches')
      .set(await asRegistry(stack));
    const createdAt = (listed.body.batches as { batchId: string; createdAt: string }[]).find((b) => b.batchId === batchId)!.createdAt;
    expect(await page.locator(`#title-${batchId}`).textContent()).toContain(helsinkiTime(createdAt, 'fi', 'medium', 'short'));

    await stack.withWorker(async () => {
      await page.locator(`a[href$="${batchId}/report.csv"]`).waitFor({ timeout: 60_000 });
    });
    expect(await bar.getAttribute('value')).toBe('3');
    expect(await page.locator(`label[for="progress-${batchId}"]`).textContent()).toContain('3 / 3 (100 %)');
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);
});
