import request from 'supertest';
import { deliveryTrackerId, letterBatchPageId } from '../rules/officialMail';
import type { LetterBatchState } from '../workflows/letterBatch';
import { LetterModel } from '../store/letters';
import { asRegistry, counters, injectFault, letterApi, registerPerson, stopEventPoller, storedPdf } from './support/officialMailHarness';
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

async function startBatch(recipientIds: string[]): Promise<string> {
  const started = await request(letterApi(stack))
    .post(`/api/letter-batches?documentVersionId=${await storedPdf()}&title=Tiedote`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(['recipientId', ...recipientIds].join('\n'));
  expect(started.status).toBe(202);
  return started.body.batchId;
}

it('finishes a page whose delivery tracker has already ended, and the batch with it', async () => {
  const config = stack.config;
  const [slow, ...others] = await Promise.all(Array.from({ length: 3 }, () => registerPerson(config, { mailbox: true })));
  // The service answers this recipient only after the client gave up once: the page's sending outlasts its tracker.
  await injectFault(config, { endpoint: 'messages', recipientId: slow.id, kind: 'timeout', delayMs: 3000, times: 1 });
  const batchId = await startBatch([slow.id, ...others.map((p) => p.id)]);

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

it('still sends the letters of a page whose first sending attempt failed until after its tracker had ended', async () => {
  const config = stack.config;
  const people = await Promise.all(Array.from({ length: 3 }, () => registerPerson(config, { mailbox: true })));
  // The mailbox lookup fails three times: the page's first attempt fails after 2.5 s and Temporal retries it, by
  // when the tracker's second is up and it has closed its letters. In the chaos run 148 letters were never sent so.
  await injectFault(config, { endpoint: 'mailboxes', recipientId: people[0].id, kind: 'error', status: 503, times: 3 });
  const batchId = await startBatch(people.map((p) => p.id));

  const state = (await stack.withWorker(() => stack.client.workflow.getHandle(batchId).result())) as LetterBatchState;
  expect(state.status).toBe('completed');
  expect(await counters(config, `${batchId}-`)).toMatchObject({ accepted: 3, distinctExternalIds: 3 });
  const letters = await LetterModel.find({ batchId }).lean();
  expect(letters.map((letter) => ({ channel: letter.channel, sent: Boolean(letter.messageId) }))).toEqual(
    Array.from({ length: 3 }, () => ({ channel: 'electronic', sent: true })),
  );
}, 120_000);
