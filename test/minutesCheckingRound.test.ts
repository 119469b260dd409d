import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { mailTo, waitForMail } from './support/mailbox';
import {
  approve,
  askCorrections,
  asSecretary,
  mailedLink,
  minutesPdf,
  minutesPeople,
  reviewState,
  startReview,
  waitForState,
} from './support/minutesHarness';
import { staffHeaders } from './support/staffSession';

/**
 * The checking round's own behaviour on the real stack: a correction
 * request opens a new round, reminders follow the signing round's rule
 * (an interval after the latest reminder, whoever sent it), and the admin's
 * remind, extend and cancel reach the minutes through the shared Updates —
 * the checking round first, then the signing round, under the same names.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('minutes-checking');
  // Signed in before the timers in seconds start.
  await asSecretary(harness);
  await staffHeaders(harness.baseUrl, 'admin');
});
afterAll(async () => {
  await harness?.close();
});

const ADMIN = () => staffHeaders(harness.baseUrl, 'admin');
const act = async (reviewId: string, body: object) =>
  harness
    .api()
    .post(`/api/admin/processes/${reviewId}/actions`)
    .set(await ADMIN())
    .send(body);

describe('the checking round', () => {
  it('a correction request tells the secretary at once; the new version opens round 2 for every checker', async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const a1 = await mailedLink(who.checkerA);
      expect((await askCorrections(harness, a1, { 'comment-5': 'Summa puuttuu.' })).status).toBe(303);
      expect(await waitForMail(who.secretary, 1)).toHaveLength(1);
      let state = await waitForState(harness, reviewId, (s) => s.status === 'awaiting_correction');
      expect(state.rounds[0].checkers.map((c) => c.status)).toEqual(['corrections', 'reviewing']);

      const uploaded = await (
        await asSecretary(harness)
      )
        .post(`/api/minutes/${reviewId}/versions`)
        .set('Content-Type', 'application/pdf')
        .send(await minutesPdf('Talousarvio hyväksyttiin: menot 12,4 milj. euroa.'));
      expect(uploaded.status).toBe(200);
      // The Update answers once the main loop has opened the new round.
      expect(uploaded.body.state.rounds).toHaveLength(2);
      state = await reviewState(harness, reviewId);
      expect(state.status).toBe('in_review');
      expect(state.rounds.map((r) => r.outcome)).toEqual(['superseded', undefined]);
      expect(state.rounds[1].checkers.map((c) => c.status)).toEqual(['reviewing', 'reviewing']);
      const [, newVersionMail] = await waitForMail(who.checkerB, 2);
      expect(newVersionMail.subject).toBe('Rättad version att justera: Pöytäkirja 5/2026');
      expect(await waitForMail(who.checkerA, 2)).toHaveLength(2);
      await harness.stack.client.workflow.getHandle(reviewId).terminate('test done');
    });
  }, 90_000);

  it("reminders: after an admin's reminder the next automatic one is an interval later, and no more than the maximum", async () => {
    const who = minutesPeople();
    const intervalMs = 4000;
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who, { reminderIntervalHours: intervalMs / 3600_000, maxReminders: 2 });
      await mailedLink(who.checkerA);
      const reminded = await act(reviewId, { action: 'remind', reason: 'meeting next week' });
      expect(reminded.status).toBe(200);
      expect(reminded.body.result).toMatchObject({ round: 'checking', status: 'open', awaited: ['checker-1', 'checker-2'] });
      const byAdmin = Date.parse(reminded.body.result.participants[0].lastRemindedAt);

      const state = await waitForState(harness, reviewId, (s) => s.rounds[0].checkers.every((c) => c.remindersSent === 2), 20_000);
      const automatic = Date.parse(state.rounds[0].checkers[0].lastRemindedAt!);
      // The fixed schedule would have sent it one interval after the invitation, which was earlier.
      expect(automatic - byAdmin).toBeGreaterThanOrEqual(intervalMs);
      await new Promise((r) => setTimeout(r, intervalMs + 1000));
      expect((await reviewState(harness, reviewId)).rounds[0].checkers.map((c) => c.remindersSent)).toEqual([2, 2]);
      expect(await mailTo(who.checkerA)).toHaveLength(3);
      await harness.stack.client.workflow.getHandle(reviewId).terminate('test done');
    });
  }, 90_000);

  it("the admin's extend and cancel reach the checking round, then the signing round, through the same Updates", async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      const checking = await startReview(harness, who);
      await mailedLink(who.checkerA);
      const later = new Date(Date.now() + 48 * 3600_000).toISOString();
      const extended = await act(checking, { action: 'extend', reason: 'the chair is away', deadlineAt: later });
      expect(extended.status).toBe(200);
      expect(extended.body.result).toMatchObject({ round: 'checking', deadlineAt: later });
      expect((await reviewState(harness, checking)).checkingDeadlineAt).toBe(later);
      expect((await act(checking, { action: 'extend', reason: 'typo', deadlineAt: '2020-01-01T00:00:00Z' })).status).toBe(409);

      const cancelled = await act(checking, { action: 'cancel', reason: 'the meeting is held again' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.result).toMatchObject({ round: 'checking', status: 'ended' });
      expect((await harness.stack.client.workflow.getHandle(checking).result()).status).toBe('cancelled');
      expect((await act(checking, { action: 'remind', reason: 'too late' })).status).toBe(409);

      // Once both checkers approve, the same Update names reach the chair's and the secretary's signing round.
      const other = minutesPeople();
      const signing = await startReview(harness, other);
      expect((await approve(harness, await mailedLink(other.checkerA))).status).toBe(303);
      expect((await approve(harness, await mailedLink(other.checkerB))).status).toBe(303);
      await waitForState(harness, signing, (s) => s.status === 'awaiting_signatures' && s.signing?.awaited.length === 2);
      const signingLater = new Date(Date.now() + 72 * 3600_000).toISOString();
      const extendedSigning = await act(signing, { action: 'extend', reason: 'holidays', deadlineAt: signingLater });
      expect(extendedSigning.status).toBe(200);
      expect(extendedSigning.body.result).toMatchObject({ round: 'signing', deadlineAt: signingLater, awaited: ['chair', 'secretary'] });
      expect((await act(signing, { action: 'cancel', reason: 'test over' })).status).toBe(200);
      expect((await harness.stack.client.workflow.getHandle(signing).result()).status).toBe('cancelled');
    });
  }, 120_000);
});
