import { type ChildProcess } from 'node:child_process';
import request from 'supertest';
import { testClusterLayout } from '../../scripts/cluster/clusterLayout';
import { startPostgres, stopPostgres } from '../../scripts/cluster/postgres';
import { startTemporalService, stopTemporalService, waitForTemporalService } from '../../scripts/cluster/temporalServer';
import type { LetterBatchState } from '../../workflows/letterBatch';
import {
  counters,
  freshIdentityCode,
  letterApi,
  asRegistry,
  simulator,
  stopEventPoller,
  storedPdf,
  waitUntil,
} from '../support/officialMailHarness';
import { openTestStack, type TestStack } from '../support/testStack';
import { killHard, startWorkerProcess } from '../support/workerProcess';

/**
 * The server's side failing under a running batch: Temporal's history
 * service killed without warning (kill -9) and started again, and
 * PostgreSQL restarted. The workers ride it out; every letter is sent
 * exactly once.
 */

const layout = testClusterLayout();
let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('cluster-server-faults', { LETTER_BATCH_PAGE_SIZE: '10', LETTER_BATCH_RATE_PER_SECOND: '8' });
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

async function sendBatchThrough(fault: () => Promise<void>): Promise<void> {
  const rows = 40;
  const people = Array.from({ length: rows }, (_, i) => ({ id: freshIdentityCode(), mailbox: i % 3 !== 0 }));
  await simulator(stack.config, 'POST', '/sim/recipients', people);
  const versionId = await storedPdf();
  const csv = ['recipientId,title', ...people.map((p) => `${p.id},Päätös ${p.id.slice(0, 2)}`)].join('\n');
  const workers: ChildProcess[] = await Promise.all([startWorkerProcess(stack.config), startWorkerProcess(stack.config)]);
  try {
    const started = await request(letterApi(stack))
      .post(`/api/letter-batches?documentVersionId=${versionId}`)
      .set(await asRegistry(stack))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(started.status).toBe(202);
    const { batchId } = started.body;
    await waitUntil('a part of the batch sent', async () => (await counters(stack.config, `${batchId}-`)).accepted >= 8, 90_000);
    await fault();

    const state = (await stack.client.workflow.getHandle(batchId).result()) as LetterBatchState;
    expect(state.totals.dispatched).toBe(rows);
    const sent = await counters(stack.config, `${batchId}-`);
    expect(sent.accepted).toBe(rows);
    expect(sent.distinctExternalIds).toBe(rows);
    expect(sent.posts).toBe(rows + sent.conflicts);
  } finally {
    for (const worker of workers) await killHard(worker);
  }
}

it('the history service killed with -9 mid-batch and started again: every letter once', async () => {
  await sendBatchThrough(async () => {
    await stopTemporalService(layout, 'history', 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    startTemporalService(layout, 'history');
    await waitForTemporalService(layout, 'history');
  });
}, 400_000);

it('PostgreSQL restarted mid-batch: every letter once', async () => {
  await sendBatchThrough(async () => {
    await stopPostgres(layout);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await startPostgres(layout);
  });
}, 400_000);
