import request from 'supertest';
import { LetterModel } from '../store/letters';
import type { LetterBatchState } from '../workflows/letterBatch';
import {
  counters,
  injectFault,
  letterApi,
  registerPerson,
  asRegistry,
  simulator,
  stopEventPoller,
  storedPdf,
} from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';

/**
 * A batch meeting a failing service: passing failures are retried on their
 * own without resending the other rows, a refusal is recorded with the
 * service's reason, and a lost answer is a 409 counted as sent.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter-batch-faults', { LETTER_BATCH_PAGE_SIZE: '10', LETTER_BATCH_RATE_PER_SECOND: '50' });
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

it('retries 500s and timeouts row by row, records a 400 as a rejection, counts a 409 as sent, and sends every other letter once', async () => {
  const config = stack.config;
  const [flaky, slow, refused, dropped, ...healthy] = await Promise.all(
    Array.from({ length: 8 }, (_, i) => registerPerson(config, { mailbox: i % 2 === 0 })),
  );
  // More 500s than one round's attempts: the row goes back to the workflow and is sent in a later round.
  await injectFault(config, { endpoint: 'messages', recipientId: flaky.id, kind: 'error', status: 503, times: 4 });
  await injectFault(config, { endpoint: 'messages', recipientId: slow.id, kind: 'timeout', delayMs: 2000, times: 1 });
  await injectFault(config, {
    endpoint: 'messages',
    recipientId: refused.id,
    kind: 'error',
    status: 400,
    reason: 'Recipient id is not accepted by this service',
    times: 5,
  });
  await injectFault(config, { endpoint: 'messages', recipientId: dropped.id, kind: 'drop_response', times: 1 });
  const people = [flaky, slow, refused, dropped, ...healthy];
  const started = await request(letterApi(stack))
    .post(`/api/letter-batches?documentVersionId=${await storedPdf()}&title=Tiedote`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(['recipientId', ...people.map((p) => p.id)].join('\n'));
  expect(started.status).toBe(202);
  const { batchId } = started.body;
  const startedAt = Date.now();
  const state = await stack.withWorker(() => stack.client.workflow.getHandle(batchId).result() as Promise<LetterBatchState>);

  expect(state.totals).toMatchObject({ dispatched: 7, rejected: 1, failed: 0, noChannel: 0 });
  // The flaky row waited for a second round (5 s) after three attempts in the first.
  expect(Date.now() - startedAt).toBeGreaterThan(5000);
  const message = (row: number) => simulator(config, 'GET', `/sim/messages/${batchId}-${row}`);
  expect(await message(1)).toMatchObject({ posts: 5 });
  expect(await message(2)).toMatchObject({ posts: 2 });
  expect(await message(4)).toMatchObject({ posts: 2 });
  for (const row of [5, 6, 7, 8]) expect(await message(row)).toMatchObject({ posts: 1 });
  expect(await counters(config, `${batchId}-`)).toMatchObject({ accepted: 7, distinctExternalIds: 8, conflicts: 1, rejected: 0 });
  const refusedRecord = await LetterModel.findById(`${batchId}-3`).lean();
  expect(refusedRecord).toMatchObject({
    status: 'rejected',
    failure: { code: 'SuomifiMessages.rejected', reason: 'Recipient id is not accepted by this service' },
  });
  const droppedRecord = await LetterModel.findById(`${batchId}-4`).lean();
  expect(droppedRecord).toMatchObject({ status: expect.stringMatching(/sent|read|delivered/), messageId: expect.any(String) });

  const report = await request(letterApi(stack))
    .get(`/api/letter-batches/${batchId}/report.csv`)
    .set(await asRegistry(stack));
  expect(report.text).toContain('summary,rejected,1');
  expect(report.text).toMatch(/\r\n3,[^,]+,rejected,,,,SuomifiMessages.rejected: Recipient id is not accepted by this service/);
}, 120_000);

it('gives up on a row the service keeps failing after every round, records it failed with the last reason, and sends the rest once', async () => {
  const config = stack.config;
  const [down, ...healthy] = await Promise.all(Array.from({ length: 3 }, () => registerPerson(config, { mailbox: true })));
  await injectFault(config, {
    endpoint: 'messages',
    recipientId: down.id,
    kind: 'error',
    status: 503,
    reason: 'Service unavailable for maintenance',
    times: 1000,
  });
  const started = await request(letterApi(stack))
    .post(`/api/letter-batches?documentVersionId=${await storedPdf()}&title=Tiedote`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(['recipientId', down.id, ...healthy.map((p) => p.id)].join('\n'));
  expect(started.status).toBe(202);
  const { batchId } = started.body;
  // Five rounds of three attempts each, with 5, 10, 20 and 40 s between the rounds.
  const state = await stack.withWorker(() => stack.client.workflow.getHandle(batchId).result() as Promise<LetterBatchState>);

  expect(state.totals).toMatchObject({ dispatched: 2, failed: 1, rejected: 0 });
  // Fifteen tries of the failing row (none accepted), one of each other.
  expect(await counters(config, `${batchId}-`)).toMatchObject({ accepted: 2, distinctExternalIds: 3, posts: 17 });
  expect(await LetterModel.findById(`${batchId}-1`).lean()).toMatchObject({
    status: 'failed',
    failure: { code: 'SuomifiMessages.unavailable', reason: expect.stringContaining('Service unavailable for maintenance') },
  });
  const progress = await request(letterApi(stack))
    .get(`/api/letter-batches/${batchId}`)
    .set(await asRegistry(stack));
  expect(progress.body).toMatchObject({
    total: 3,
    processed: 3,
    byStatus: expect.objectContaining({ failed: 1 }),
    byChannel: { electronic: 2 },
  });
  const report = await request(letterApi(stack))
    .get(`/api/letter-batches/${batchId}/report.csv`)
    .set(await asRegistry(stack));
  expect(report.text).toContain('summary,failed,1');
  expect(report.text).toMatch(/\r\n1,[^,]+,failed,,,,SuomifiMessages.unavailable: .*Service unavailable for maintenance/);
}, 180_000);
