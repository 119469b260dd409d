import { type ContractHarness, openContractHarness, uniqueEmail } from './support/contractHarness';
import { mailTo, waitForMail } from './support/mailbox';
import { approve, mailedLink, minutesPeople, openPage, reviewState, startReview, waitForState } from './support/minutesHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { staffHeaders } from './support/staffSession';

/** The admin's levers on a minutes review: a reminder now, and a checker on holiday replaced. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('minutes-admin');
});
afterAll(async () => {
  await harness?.close();
});

const ADMIN = () => staffHeaders(harness.baseUrl, 'admin');

describe('admin actions on a minutes review', () => {
  it('reminds the checkers now and reassigns a checker: the old link stops, the new checker can approve', async () => {
    const who = minutesPeople();
    const substitute = uniqueEmail('substitute-checker');
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const oldLink = await mailedLink(who.checkerB);

      const remind = await harness
        .api()
        .post(`/api/admin/processes/${reviewId}/actions`)
        .set(await ADMIN())
        .send({ action: 'remind', reason: 'meeting next week' });
      expect(remind.status).toBe(200);
      expect(await waitForMail(who.checkerA, 2)).toHaveLength(2);

      const participantId = (await reviewState(harness, reviewId)).rounds[0].checkers[1].participantId;
      const reassign = await harness
        .api()
        .post(`/api/admin/processes/${reviewId}/actions`)
        .set(await ADMIN())
        .send({ action: 'reassign', reason: 'Greta is on holiday', participantId, email: substitute, name: 'Sara Sijainen' });
      expect(reassign.status).toBe(200);
      expect((await openPage(harness, oldLink)).status).toBe(410);

      const newLink = await mailedLink(substitute);
      expect((await approve(harness, newLink)).status).toBe(303);
      // The reminder carried a fresh link; the checker uses the newest one.
      expect((await approve(harness, await mailedLink(who.checkerA, 2))).status).toBe(303);
      const state = await waitForState(harness, reviewId, (s) => s.status !== 'in_review');
      expect(state.rounds[0].checkers.map((c) => c.status)).toEqual(['approved', 'approved']);

      const audit = await harness
        .api()
        .get(`/api/processes/${reviewId}/audit`)
        .set(await staffHeaders(harness.baseUrl, 'secretary'));
      expect(
        audit.body.events
          .filter((e: { action: string }) => e.action.startsWith('admin.'))
          .map((e: { action: string; details: { reason: string } }) => [e.action, e.details.reason]),
      ).toEqual([
        ['admin.remind', 'meeting next week'],
        ['admin.reassign', 'Greta is on holiday'],
      ]);
      expect(await mailTo(substitute)).toHaveLength(1);
      await harness.stack.client.workflow.getHandle(reviewId).terminate('test done');
      // The checking round's admin paths (remind now, a replaced checker invited on the main loop) for the replay test.
      recordHistoryIfAsked(harness.stack, reviewId, 'minutesReviewWorkflow-v2-admin-actions');
    });
  }, 90_000);
});
