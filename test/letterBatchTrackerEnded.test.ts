import request from 'supertest';
import { deliveryTrackerId, letterBatchPageId } from '../rules/officialMail';
import type { LetterBatchState } from '../workflows/letterBatch';
import { asRegistry, injectFault, letterApi, registerPerson, stopEventPoller, storedPdf } from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';

/**
 * The chaos run's failed batch: a page signalled its delivery tracker after
 * the tracker had ended (its tracking period over while kills held the page
 * up), the failed signal failed the page and so the batch. Here the tracking
 * period is a second and the service holds the page's sending up for three.
 */

const TRACKING_SECONDS = 1;
let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter-batch-tracker-ended', {
    LETTER_BATCH_PAGE_SIZE: '10',
    LETTER_BATCH_RATE_PER_SECOND: '50',
    LETTER_TRACKING_DAYS: String(TRACKING_SECONDS / 86_400),
  });
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

it('finishes a page whose delivery tracker has already ended, and the batch with it', async () => {
  const config = stack.config;
  const [slow, ...others] = await Promise.all(Array.from({ length: 3 }, () => registerPerson(config, { mailbox: true })));
  // The service answers this recipient only after the client gave up once: the page's sending outlasts its tracker.
  await injectFault(config, { endpoint: 'messages', recipientId: slow.id, kind: 'timeout', delayMs: 3000, times: 1 });
  const started = await request(letterApi(stack))
    .post(`/api/letter-batches?documentVersionId=${await storedPdf()}&title=Tiedote`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(['recipientId', slow.id, ...others.map((p) => p.id)].join('\n'));
  expect(started.status).toBe(202);
  const { batchId } = started.body;

  const state = await stack.withWorker(async () => {
    const batch = (await stack.client.workflow.getHandle(batchId).result()) as LetterBatchState;
    // The tracker had ended before the page was done: what the page told it came too late.
    const tracker = await stack.client.workflow.getHandle(deliveryTrackerId(letterBatchPageId(batchId, 1))).describe();
    const page = await stack.client.workflow.getHandle(letterBatchPageId(batchId, 1)).describe();
    expect(tracker.status.name).toBe('COMPLETED');
    expect(tracker.closeTime!.getTime()).toBeLessThan(page.closeTime!.getTime());
    return batch;
  });
  expect(state).toMatchObject({ status: 'completed', pagesDone: 1, totals: expect.objectContaining({ dispatched: 3, failed: 0 }) });
}, 120_000);
