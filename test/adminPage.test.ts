import { randomUUID } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import { type Browser } from 'playwright-core';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { DeadlineAt } from '../workflows/searchAttributes';
import { axeViolations, launchChromium } from './support/browser';
import { openTestStack, type TestStack } from './support/testStack';

let stack: TestStack;
let server: Server;
let deps: ReturnType<typeof createApiDeps>;
let browser: Browser;
let baseUrl: string;
const stuckId = `stuck-page-${randomUUID()}`;

beforeAll(async () => {
  stack = await openTestStack('adminpage');
  const app = createApp((deps = createApiDeps(stack.config, stack.client)));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // No worker polls this queue: the process waits, past its deadline, at its first step.
  await stack.client.workflow.start(organisationSealWorkflow, {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: stuckId,
    args: [{ versionId: 'v', organization: 'K', requestedBy: 'staff:registry:test', title: 'T' }],
    typedSearchAttributes: [{ key: DeadlineAt, value: new Date(Date.now() - 60_000) }],
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await stack.client.workflow
    .getHandle(stuckId)
    .terminate('test over')
    .catch(() => undefined);
  await browser?.close();
  server?.close();
  deps?.close();
  await stack?.close();
});

describe('admin page in Chromium', () => {
  it('signs in with the admin token, lists the stuck process with its reason, and is axe-clean', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin`);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Admin token').fill('dev-hr-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction("/role/.test(document.querySelector('[role=alert]')?.textContent ?? '')");
    expect(await page.getByRole('alert').textContent()).toMatch(/needs the role admin/);

    await page.getByLabel('Admin token').fill('dev-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.getByRole('row', { name: new RegExp(stuckId) });
    await row.waitFor({ timeout: 20_000 }).catch(async () => {
      // Visibility is eventually consistent: ask again once.
      await page.getByRole('button', { name: 'Refresh' }).click();
      await row.waitFor({ timeout: 10_000 });
    });
    expect(await row.textContent()).toMatch(/past the deadline/);
    expect(await axeViolations(page)).toEqual([]);
  });
});
