import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../examples/webhook-receiver/receiver';
import { loadPayloadCodec } from '../common/payloadKeys';
import { deliveryWorkflowId, startWebhookDispatcher } from '../integrations/webhooks/dispatcher';
import { recordHistoryIfAsked } from './support/recordHistory';
import { randomUUID } from 'node:crypto';
import { DEFAULT_STUCK_CRITERIA, findStuckProcesses } from '../admin/stuckProcesses';
import { watchStuckProcessesOnce } from '../admin/stuckProcessWatch';
import { AuditLog } from '../audit/auditLog';
import { ProcessType, WaitingUntil } from '../workflows/searchAttributes';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { WebhookSubscriptions } from '../store/webhookSubscriptions';
import type { EmploymentContractState } from '../workflows/employmentContract';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  openSigningPage,
  signThroughPage,
  sleep,
  uniqueEmail,
} from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/**
 * Webhooks end to end on the real stack: audit events become outbox rows,
 * the dispatcher hands them to delivery workflows on the webhooks queue,
 * and the example receiver (examples/webhook-receiver) verifies and
 * deduplicates them. The retry schedule is shrunk to seconds.
 */

const CONTRACT_EVENTS = [
  'contract.created',
  'contract.sent',
  'contract.viewed',
  'contract.signer_signed',
  'contract.declined',
  'contract.expired',
  'contract.cancelled',
  'contract.completed',
];

type Mode = 'up' | 'down' | 'error';

/** The example receiver behind a switch: up, down (connections dropped unanswered), or answering 500. */
async function startReceiver(
  secret: () => string,
): Promise<{ url: string; mode: Mode; receiver: () => WebhookReceiver; close(): Promise<void> }> {
  let receiver: WebhookReceiver | undefined;
  const state = {
    url: '',
    mode: 'up' as Mode,
    receiver: () => (receiver ??= createWebhookReceiver({ secret: secret() })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    if (state.mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (state.mode === 'error') {
      res.statusCode = 500;
      res.end('receiver failing');
      return;
    }
    state.receiver().app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return state;
}

async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 1500)}`);
    await sleep(200);
  }
}

const forProcess = (receiver: WebhookReceiver, processId: string): ReceivedWebhook[] =>
  receiver.received.filter((e) => e.data.processId === processId);

let harness: ContractHarness;
let dispatcher: { stop(): Promise<void> };
const subscriptions: string[] = [];

beforeAll(async () => {
  harness = await openContractHarness('webhooks', {
    WEBHOOK_RETRY_INITIAL_MS: '200',
    WEBHOOK_RETRY_MAX_INTERVAL_MS: '800',
    WEBHOOK_GIVE_UP_AFTER_MS: '10000',
    WEBHOOK_OUTBOX_POLL_MS: '100',
    WEBHOOK_REQUEST_TIMEOUT_MS: '2000',
  });
  dispatcher = startWebhookDispatcher({
    config: harness.stack.config,
    temporal: harness.stack.client,
    subscriptions: new WebhookSubscriptions(loadPayloadCodec(harness.stack.config)),
  });
});

afterAll(async () => {
  // Subscriptions live in the shared test store: stop them so no later run delivers to a closed port.
  for (const id of subscriptions)
    await harness
      .api()
      .delete(`/api/admin/webhooks/subscriptions/${id}`)
      .set(await staffHeaders(harness.baseUrl, 'admin'));
  await dispatcher?.stop();
  await harness?.close();
});

async function subscribe(url: string, eventTypes = CONTRACT_EVENTS): Promise<{ subscriptionId: string; secret: string }> {
  const response = await harness
    .api()
    .post('/api/admin/webhooks/subscriptions')
    .set(await staffHeaders(harness.baseUrl, 'admin'))
    .send({ url, eventTypes });
  expect(response.status).toBe(201);
  expect(response.body.secret).toMatch(/^whsec_/);
  subscriptions.push(response.body.subscription.subscriptionId);
  return { subscriptionId: response.body.subscription.subscriptionId, secret: response.body.secret };
}

async function sendContract(who: { employee: string; employer: string; hr: string }): Promise<string> {
  const response = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send(contractRequest(who));
  expect(response.status).toBe(201);
  return response.body.contractId as string;
}

async function cancelContract(contractId: string): Promise<void> {
  const response = await harness
    .api()
    .post(`/api/contracts/${contractId}/cancel`)
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send({ reason: 'Test: no longer needed' });
  expect(response.status).toBe(200);
}

const people = () => ({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });

describe('webhooks on the real stack', () => {
  it("a contract's whole life arrives signed, once per event, in the order it happened, with ids and links only", async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      ({ secret } = await subscribe(receiver.url));
      await sleep(100);
      const who = people();
      await harness.stack.withWorker(async () => {
        const contractId = await sendContract(who);
        const employeeLink = await invitationLink(who.employee);
        expect(
          (await signThroughPage(harness, employeeLink, 'Maija Meikäläinen', (await openSigningPage(harness, employeeLink)).documentSha256))
            .status,
        ).toBe(303);
        const employerLink = await invitationLink(who.employer);
        expect((await signThroughPage(harness, employerLink, 'Erkki Esimies')).status).toBe(303);
        const result = (await harness.stack.client.workflow.getHandle(contractId).result()) as EmploymentContractState;
        expect(result.status).toBe('completed');

        const events = await waitFor(
          'contract.completed at the receiver',
          () => forProcess(receiver.receiver(), contractId),
          (e) => e.some((x) => x.type === 'contract.completed'),
        );
        expect(events.map((e) => [e.type, e.data.participantId ?? null])).toEqual([
          ['contract.created', null],
          ['contract.sent', 'signer-1'],
          ['contract.viewed', 'signer-1'],
          ['contract.signer_signed', 'signer-1'],
          ['contract.sent', 'signer-2'],
          ['contract.viewed', 'signer-2'],
          ['contract.signer_signed', 'signer-2'],
          ['contract.completed', null],
        ]);
        // In order of occurrence, each id once.
        const times = events.map((e) => Date.parse(e.timestamp));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(new Set(events.map((e) => e.webhookId)).size).toBe(events.length);
        expect(events[7].data.documentSha256).toBe(result.sealedSha256);
        expect(events[0].data.links.process).toBe(`${harness.baseUrl}/api/processes/${contractId}`);
        const text = JSON.stringify(events);
        for (const personal of ['Meikäläinen', 'Esimies', 'Hanna', who.employee, who.employer, who.hr, 'Kotikatu', 'staff:'])
          expect(text).not.toContain(personal);

        // The delivery log: every one delivered at the first attempt, with its latency.
        const log = await harness
          .api()
          .get('/api/admin/webhooks/deliveries')
          .query({ processId: contractId })
          .set(await staffHeaders(harness.baseUrl, 'admin'));
        expect(log.status).toBe(200);
        const mine = log.body.deliveries.filter(
          (d: { subscriptionId: string }) => d.subscriptionId === subscriptions[subscriptions.length - 1],
        );
        expect(mine).toHaveLength(8);
        for (const delivery of mine) expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204 });
        expect(mine.every((d: { lastLatencyMs: number }) => d.lastLatencyMs >= 0)).toBe(true);
      });
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that is down for a while gets every event after it returns, once per id, still in order', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      ({ secret } = await subscribe(receiver.url));
      await sleep(100);
      receiver.mode = 'down';
      await harness.stack.withWorker(async () => {
        const contractId = await sendContract(people());
        await waitFor(
          'the invitation',
          async () =>
            (
              await harness
                .api()
                .get(`/api/contracts/${contractId}`)
                .set(await staffHeaders(harness.baseUrl, 'hr'))
            ).body.history?.map((e: { action: string }) => e.action) ?? [],
          (actions: string[]) => actions.includes('contract.invited'),
        );
        await cancelContract(contractId);
        await sleep(500);
        expect(forProcess(receiver.receiver(), contractId)).toHaveLength(0);
        receiver.mode = 'up';
        const events = await waitFor(
          'the cancellation at the receiver',
          () => forProcess(receiver.receiver(), contractId),
          (e) => e.some((x) => x.type === 'contract.cancelled'),
        );
        expect(events.map((e) => e.type)).toEqual(['contract.created', 'contract.sent', 'contract.cancelled']);
        expect(new Set(events.map((e) => e.webhookId)).size).toBe(3);
        const log = await harness
          .api()
          .get('/api/admin/webhooks/deliveries')
          .query({ processId: contractId, subscriptionId: subscriptions[subscriptions.length - 1] })
          .set(await staffHeaders(harness.baseUrl, 'admin'));
        const created = log.body.deliveries.find((d: { event: { type: string } }) => d.event.type === 'contract.created');
        expect(created.status).toBe('delivered');
        expect(created.attempts).toBeGreaterThan(1);
      });
    } finally {
      await receiver.close();
    }
  });

  it("a receiver answering 500 forever ends in the dead letters, and the admin's redelivery arrives under the same webhook-id", async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      const subscription = await subscribe(receiver.url, ['contract.created', 'contract.cancelled']);
      secret = subscription.secret;
      await sleep(100);
      receiver.mode = 'error';
      await harness.stack.withWorker(async () => {
        const contractId = await sendContract(people());
        await cancelContract(contractId);
        const admin = async () =>
          harness
            .api()
            .get('/api/admin/webhooks/dead-letters')
            .query({ subscriptionId: subscription.subscriptionId })
            .set(await staffHeaders(harness.baseUrl, 'admin'));
        // Each gives up after 10 s; the wait is long because once in a full run the second took over 45 s (cause not found).
        const dead = await waitFor(
          'both events dead-lettered',
          async () =>
            (await admin()).body.deadLetters as {
              webhookId: string;
              attempts: number;
              lastStatusCode: number;
              event: { type: string; processId: string };
            }[],
          (letters) => letters.filter((d) => d.event.processId === contractId).length === 2,
          120_000,
        );
        const mine = dead.filter((d) => d.event.processId === contractId).sort((a, b) => a.event.type.localeCompare(b.event.type));
        expect(mine.map((d) => d.event.type)).toEqual(['contract.cancelled', 'contract.created']);
        for (const d of mine) expect(d.attempts).toBeGreaterThan(2);
        expect(mine[0].lastStatusCode).toBe(500);
        expect(forProcess(receiver.receiver(), contractId)).toHaveLength(0);

        // Only a dead letter can be redelivered; an unknown one is a 404.
        expect(
          (
            await harness
              .api()
              .post('/api/admin/webhooks/dead-letters/msg_nope/redeliver')
              .set(await staffHeaders(harness.baseUrl, 'admin'))
          ).status,
        ).toBe(404);
        receiver.mode = 'up';
        for (const d of mine) {
          const redeliver = await harness
            .api()
            .post(`/api/admin/webhooks/dead-letters/${d.webhookId}/redeliver`)
            .set(await staffHeaders(harness.baseUrl, 'admin'));
          expect(redeliver.status).toBe(202);
        }
        const events = await waitFor(
          'both redelivered',
          () => forProcess(receiver.receiver(), contractId),
          (e) => e.length === 2,
        );
        expect(events.map((e) => e.webhookId).sort()).toEqual(mine.map((d) => d.webhookId).sort());
        expect(
          (await admin()).body.deadLetters.filter((d: { event: { processId: string } }) => d.event.processId === contractId),
        ).toHaveLength(0);
        const again = await harness
          .api()
          .post(`/api/admin/webhooks/dead-letters/${mine[0].webhookId}/redeliver`)
          .set(await staffHeaders(harness.baseUrl, 'admin'));
        expect(again.status).toBe(409);
        // Retries, dead letters and redeliveries in one history, for the replay test.
        recordHistoryIfAsked(harness.stack, deliveryWorkflowId(subscription.subscriptionId, contractId), 'webhookLaneWorkflow');
      });
    } finally {
      await receiver.close();
    }
  }, 180_000);

  it('subscriptions: admins only, a clear 400 for an unknown event type, and the event schemas in /openapi.json', async () => {
    expect(
      (
        await harness
          .api()
          .post('/api/admin/webhooks/subscriptions')
          .set(await staffHeaders(harness.baseUrl, 'hr'))
          .send({ url: 'http://127.0.0.1:1/webhooks', eventTypes: ['contract.created'] })
      ).status,
    ).toBe(403);
    const bad = await harness
      .api()
      .post('/api/admin/webhooks/subscriptions')
      .set(await staffHeaders(harness.baseUrl, 'admin'))
      .send({ url: 'ftp://example.org', eventTypes: ['contract.exploded'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('url');
    expect(bad.body.message).toContain('eventTypes');
    const list = await harness
      .api()
      .get('/api/admin/webhooks/subscriptions')
      .set(await staffHeaders(harness.baseUrl, 'admin'));
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const openapi = await harness.api().get('/openapi.json');
    expect(openapi.body.webhooks['contract.signer_signed'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/WebhookEvent_contract_signer_signed',
    );
    expect(openapi.body.components.schemas.WebhookEventData.properties).not.toHaveProperty('name');
    expect(openapi.body.paths['/api/admin/webhooks/dead-letters/{webhookId}/redeliver'].post['x-roles']).toEqual(['admin']);
    expect(openapi.body.webhooks['process.stuck'].post.summary).toMatch(/stuck list/);
  });

  it('a process that gets stuck sends process.stuck once, and process.recovered once when it leaves the stuck list', async () => {
    let secret = '';
    const receiver = await startReceiver(() => secret);
    // A seal whose deadline passed before it started: on the stuck list at once, no worker needed.
    const processId = `stuck-webhook-${randomUUID()}`;
    try {
      secret = (await subscribe(receiver.url, ['process.stuck', 'process.recovered'])).secret;
      await sleep(2_100); // the audit hook's view of subscribed types is up to 2 s old
      await harness.stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: `${harness.stack.config.temporal.taskQueue}-nobody-polls`,
        workflowId: processId,
        args: [{ versionId: randomUUID(), organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Stuck' }],
        typedSearchAttributes: [
          { key: ProcessType, value: 'organisationSeal' },
          { key: WaitingUntil, value: new Date(Date.now() - 3600_000) },
        ],
      });
      // The real stuck list from Temporal visibility, narrowed to this test's process so the shared stack's others are left alone.
      const watch = {
        findStuck: async () =>
          (await findStuckProcesses(harness.stack.client, { ...DEFAULT_STUCK_CRITERIA, describeLimit: 0, now: new Date() })).filter(
            (p) => p.processId === processId,
          ),
        audit: new AuditLog(),
      };
      await waitFor(
        'the process on the stuck list',
        async () => (await watchStuckProcessesOnce(watch)).stuck,
        (stuck) => stuck.includes(processId),
      );
      await watchStuckProcessesOnce(watch);
      await harness.stack.client.workflow.getHandle(processId).terminate('test: unstuck');
      await waitFor(
        'the process off the stuck list',
        async () => (await watchStuckProcessesOnce(watch)).recovered,
        (recovered) => recovered.includes(processId),
      );
      await watchStuckProcessesOnce(watch);
      const events = await harness.stack.withWorker(async () => {
        const arrived = await waitFor(
          'stuck and recovered at the receiver',
          () => forProcess(receiver.receiver(), processId),
          (e) => e.length >= 2,
        );
        await sleep(1_000);
        return arrived;
      });
      expect(forProcess(receiver.receiver(), processId).map((e) => e.type)).toEqual(['process.stuck', 'process.recovered']);
      expect(events[0].data).toMatchObject({ processType: 'process', eventId: `${processId}/process.stuck/1` });
      expect(receiver.receiver().duplicates).toBe(0);
    } finally {
      await harness.stack.client.workflow
        .getHandle(processId)
        .terminate('test over')
        .catch(() => undefined);
      await receiver.close();
    }
  });
});

describe('the example receiver', () => {
  const secret = `whsec_${Buffer.from('a test secret of thirty-two bytes').toString('base64')}`;
  const body = JSON.stringify({
    type: 'contract.created',
    timestamp: new Date().toISOString(),
    data: { eventId: 'e1', processId: 'p1', processType: 'employmentContract', links: { process: 'http://x/api/processes/p1' } },
  });
  const signed = (key: string, id: string, at: Date, payload = body) => ({
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(key).sign(id, at, payload),
  });

  it('accepts a good signature once per id and refuses a bad signature, a changed body or a stale timestamp', async () => {
    const receiver = createWebhookReceiver({ secret });
    const post = (headers: Record<string, string>, payload = body) => request(receiver.app).post('/webhooks').set(headers).send(payload);
    expect((await post(signed(secret, 'msg_1', new Date()))).status).toBe(204);
    expect((await post(signed(secret, 'msg_1', new Date()))).status).toBe(200);
    const otherSecret = `whsec_${Buffer.from('another secret, not the right one').toString('base64')}`;
    expect((await post(signed(otherSecret, 'msg_2', new Date()))).status).toBe(401);
    expect((await post(signed(secret, 'msg_3', new Date()), body.replace('p1', 'p2'))).status).toBe(401);
    expect((await post(signed(secret, 'msg_4', new Date(Date.now() - 10 * 60_000)))).status).toBe(401);
    expect((await post({ 'content-type': 'application/json' })).status).toBe(401);
    expect(receiver.received.map((e) => e.webhookId)).toEqual(['msg_1']);
    expect(receiver).toMatchObject({ duplicates: 1, rejected: 4 });
  });
});
