import request from 'supertest';
import { killHard, startWorkerProcess } from './support/workerProcess';
import type { LetterBatchState } from '../workflows/letterBatch';
import {
  counters,
  freshIdentityCode,
  letterApi,
  asRegistry,
  simulator,
  stopEventPoller,
  storedPdf,
  waitUntil,
} from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter-batch-restart', { LETTER_BATCH_PAGE_SIZE: '10', LETTER_BATCH_RATE_PER_SECOND: '8' });
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

it('kills the worker mid-batch, starts another, and every letter is sent exactly once', async () => {
  const rows = 40;
  const people = Array.from({ length: rows }, (_, i) => ({ id: freshIdentityCode(), mailbox: i % 3 !== 0 }));
  await simulator(stack.config, 'POST', '/sim/recipients', people);
  const versionId = await storedPdf();
  const csv = ['recipientId,title', ...people.map((p) => `${p.id},Päätös ${p.id.slice(0, 2)}`)].join('\n');

  let worker = await startWorkerProcess(stack.config);
  const started = await request(letterApi(stack))
    .post(`/api/letter-batches?documentVersionId=${versionId}`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(csv);
  expect(started.status).toBe(202);
  const { batchId } = started.body;
  try {
    // Kill without warning once some, but not all, letters are at the service.
    const before = await waitUntil(
      'a part of the batch sent',
      async () => {
        const c = await counters(stack.config, `${batchId}-`);
        return c.accepted >= 8 && c;
      },
      60_000,
    );
    await killHard(worker);
    const atKill = await counters(stack.config, `${batchId}-`);
    expect(atKill.accepted).toBeLessThan(rows);
    expect(before.accepted).toBeGreaterThan(0);

    worker = await startWorkerProcess(stack.config);
    const state = (await stack.client.workflow.getHandle(batchId).result()) as LetterBatchState;
    expect(state.totals.dispatched).toBe(rows);
    const sent = await counters(stack.config, `${batchId}-`);
    // Exactly once: one accepted message per row, under one externalId per row; any repeat was refused with 409.
    expect(sent.accepted).toBe(rows);
    expect(sent.distinctExternalIds).toBe(rows);
    expect(sent.posts).toBe(rows + sent.conflicts);
    // The progress counts every row once, also those whose page the killed worker left half written.
    const progress = await request(letterApi(stack))
      .get(`/api/letter-batches/${batchId}`)
      .set(await asRegistry(stack));
    expect(progress.body).toMatchObject({ total: rows, processed: rows, percent: 100 });
    expect(Object.values(progress.body.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(rows);
  } finally {
    await killHard(worker);
  }
}, 180_000);
