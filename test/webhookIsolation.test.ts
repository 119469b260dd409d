import http from 'node:http';
import net from 'node:net';
import { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createWebhookReceiver, type WebhookReceiver } from '../examples/webhook-receiver/receiver';
import { loadPayloadCodec } from '../common/payloadKeys';
import { startWebhookDispatcher } from '../integrations/webhooks/dispatcher';
import { ChunkedDocumentStore } from '../store/documentStore';
import { WebhookSubscriptions } from '../store/webhookSubscriptions';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { type ContractHarness, contractRequest, openContractHarness, sleep, uniqueEmail } from './support/contractHarness';
import { samplePdf } from './support/samplePdf';
import { staffHeaders } from './support/staffSession';

/**
 * documenso#2814: a failing SMTP server blocked webhook delivery. Here the
 * SMTP server accepts connections and never answers, so every invitation
 * mail hangs in its activity; a document sealed meanwhile (a signature of
 * the organisation) must still be made at once and its webhook arrive at
 * once, and the contracts' own "created" events too.
 */

let harness: ContractHarness;
let dispatcher: { stop(): Promise<void> };
let silentSmtp: net.Server;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  silentSmtp = net.createServer((socket) => {
    sockets.add(socket); // accepted, never greeted
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silentSmtp.listen(0, '127.0.0.1', resolve));
  harness = await openContractHarness('webhookisolation', {
    SMTP_URL: `smtp://127.0.0.1:${(silentSmtp.address() as AddressInfo).port}`,
    WEBHOOK_OUTBOX_POLL_MS: '100',
  });
  dispatcher = startWebhookDispatcher({
    config: harness.stack.config,
    temporal: harness.stack.client,
    subscriptions: new WebhookSubscriptions(loadPayloadCodec(harness.stack.config)),
  });
});

afterAll(async () => {
  await dispatcher?.stop();
  await harness?.close();
  for (const socket of sockets) socket.destroy();
  silentSmtp?.close();
});

it('an SMTP server that never answers delays neither a seal nor anyone’s webhooks', async () => {
  let receiver: WebhookReceiver | undefined;
  let secret = '';
  const server = http.createServer((req, res) => (receiver ??= createWebhookReceiver({ secret })).app(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const created = await harness
    .api()
    .post('/api/admin/webhooks/subscriptions')
    .set(await staffHeaders(harness.baseUrl, 'admin'))
    .send({ url, eventTypes: ['contract.created', 'contract.sent', 'document.sealed'] });
  expect(created.status).toBe(201);
  secret = created.body.secret as string;
  const subscriptionId = created.body.subscription.subscriptionId as string;
  await sleep(2_100); // the audit hook's view of subscribed types is up to 2 s old
  const contractIds: string[] = [];
  try {
    await harness.stack.withWorker(async () => {
      for (let i = 0; i < 5; i++) {
        const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
        const response = await harness
          .api()
          .post('/api/contracts')
          .set(await staffHeaders(harness.baseUrl, 'hr'))
          .send(contractRequest(who));
        expect(response.status).toBe(201);
        contractIds.push(response.body.contractId as string);
      }
      // The invitations are under way: their mail is waiting on the silent SMTP server.
      const until = Date.now() + 30_000;
      while (sockets.size === 0 && Date.now() < until) await sleep(200);
      expect(sockets.size).toBeGreaterThan(0);

      const store = new ChunkedDocumentStore(harness.stack.config.maxDocumentBytes);
      const upload = await store.saveVersion({ key: randomUUID(), bytes: await samplePdf(1), fileName: 'a.pdf', kind: 'upload' });
      const sealId = `isolation-seal-${randomUUID()}`;
      const started = Date.now();
      const seal = await harness.stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: harness.stack.config.temporal.taskQueue,
        workflowId: sealId,
        args: [{ versionId: upload.versionId, organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Isolation' }],
      });
      await seal.result();
      const sealedIn = Date.now() - started;
      for (;;) {
        if (receiver?.received.some((e) => e.data.processId === sealId && e.type === 'document.sealed')) break;
        if (Date.now() - started > 20_000) throw new Error('document.sealed did not arrive within 20 s while SMTP hangs');
        await sleep(100);
      }
      const arrivedIn = Date.now() - started;
      // The seal and its webhook are not held up (nodemailer waits 30 s for a greeting that never comes).
      expect(sealedIn).toBeLessThan(15_000);
      expect(arrivedIn).toBeLessThan(20_000);
      const received = receiver.received;
      for (const contractId of contractIds)
        expect(received.some((e) => e.data.processId === contractId && e.type === 'contract.created')).toBe(true);
      // No invitation went out, so none was reported sent.
      expect(received.filter((e) => contractIds.includes(e.data.processId) && e.type === 'contract.sent')).toHaveLength(0);
      console.log(`SMTP silent: seal made in ${sealedIn} ms, its webhook at the receiver after ${arrivedIn} ms`);
      for (const contractId of contractIds)
        await harness.stack.client.workflow
          .getHandle(contractId)
          .terminate('test over')
          .catch(() => undefined);
    });
  } finally {
    await harness
      .api()
      .delete(`/api/admin/webhooks/subscriptions/${subscriptionId}`)
      .set(await staffHeaders(harness.baseUrl, 'admin'));
    server.closeAllConnections();
    server.close();
  }
}, 120_000);
