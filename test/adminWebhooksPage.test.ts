import { randomUUID } from 'node:crypto';
import { type Server } from 'node:http';
import { type Browser } from 'playwright-core';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { axeViolations, launchChromium } from './support/browser';
import { listenOnOwnAddress } from './support/listeningApp';
import { signInThroughProvider } from './support/staffSignIn';
import { deliveryWorkflowId } from '../integrations/webhooks/dispatcher';
import { webhookMessageId } from '../integrations/webhooks/webhookPayload';
import { WebhookDeliveries } from '../store/webhookDeliveries';
import { openTestStack, type TestStack } from './support/testStack';

/** The admin page's webhooks section in a real browser: subscribe, redeliver a dead letter, read the log, delete. */

let stack: TestStack;
let server: Server;
let deps: ReturnType<typeof createApiDeps>;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  stack = await openTestStack('adminwebhooks');
  ({ server, baseUrl } = await listenOnOwnAddress((publicUrl) =>
    createApp((deps = createApiDeps({ ...stack.config, publicUrl }, stack.client))),
  ));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  deps?.close();
  await stack?.close();
});

describe('admin page webhooks in Chromium', () => {
  it('subscribes a receiver (the secret shown once), redelivers a dead letter with one click, lists the log, deletes the subscription', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    // A dead letter of an earlier subscription, as the delivery workflow leaves one when its retries run out.
    const processId = `page-dead-${randomUUID()}`;
    const deadSubscription = `whsub_page_${randomUUID()}`;
    const deliveries = new WebhookDeliveries();
    const event = { eventId: `${processId}/e1`, type: 'contract.created' as const, processId, at: new Date() };
    await deliveries.openMany([{ subscriptionId: deadSubscription, event }]);
    const webhookId = webhookMessageId(deadSubscription, event.eventId);
    await deliveries.markDead(webhookId);

    await signInThroughProvider(page, baseUrl, 'aki.admin', '/admin?lang=en');
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#feed-alerts li').first().textContent()).toMatch(/event feed/i);

    const url = `http://127.0.0.1:9/receiver-${randomUUID()}`;
    await page.getByLabel('Receiver URL').fill(url);
    await page.getByRole('checkbox', { name: 'contract.completed' }).check();
    await page.getByRole('checkbox', { name: 'process.stuck' }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('#new-secret:not([hidden])').waitFor();
    expect(await page.locator('#new-secret-value').textContent()).toMatch(/^whsec_/);
    const subscriptionRow = page.getByRole('row', { name: new RegExp(url) });
    await subscriptionRow.waitFor();
    expect(await subscriptionRow.textContent()).toContain('contract.completed, process.stuck');
    expect(await page.content()).not.toMatch(/whsec_[^<]*<\/td>/);

    const deadRow = page.locator('#dead-letters tr', { hasText: processId });
    await deadRow.waitFor();
    await deadRow.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByText('Redelivery queued under the same webhook-id.').waitFor();
    expect((await deliveries.get(webhookId)).status).toBe('pending');
    await page.locator('#dead-letters tr', { hasText: processId }).waitFor({ state: 'detached' });
    expect(await page.locator('#deliveries tr', { hasText: processId }).textContent()).toMatch(/contract\.created.*pending/);
    expect(await axeViolations(page)).toEqual([]);

    await subscriptionRow.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Subscription deleted.').waitFor();
    await page.locator('#subscriptions tr', { hasText: url }).filter({ hasText: 'stopped' }).waitFor();
    await context.close();
    // The redelivery was handed to a delivery workflow that no worker polls here: stop it.
    await stack.client.workflow
      .getHandle(deliveryWorkflowId(deadSubscription, processId))
      .terminate('test over')
      .catch(() => undefined);
  });
});
