import { type ContractHarness, openContractHarness, sleep } from './support/contractHarness';
import { mailTo, waitForMail } from './support/mailbox';
import { approve, asSecretary, mailedLink, minutesPeople, reviewState, startReview } from './support/minutesHarness';

/** Durable timers in seconds: reminders to the checkers who have not acted, then the secretary hears at the deadline. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('minutes-reminders');
  await asSecretary(harness); // signed in before the timers in seconds start
});
afterAll(async () => {
  await harness?.close();
});

describe('reminders and the checking deadline', () => {
  it('reminds only the checker who has not acted, escalates to the secretary at the deadline, and the admin view stays true; extending clears it', async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      // Tapio must approve before the first reminder (which would supersede his link) even on a busy machine: 4 s.
      const deadline = new Date(Date.now() + 9000);
      const reviewId = await startReview(harness, who, {
        checkingDeadline: deadline.toISOString(),
        reminderIntervalHours: 4 / 3600,
        maxReminders: 1,
      });
      const handle = harness.stack.client.workflow.getHandle(reviewId);
      expect((await approve(harness, await mailedLink(who.checkerA))).status).toBe(303);

      const reminded = await waitForMail(who.checkerB, 2, 10_000);
      expect(reminded[1].subject).toBe('Påminnelse: protokollet Pöytäkirja 5/2026 väntar på din justering');
      const escalation = await waitForMail(who.secretary, 1, 15_000);
      expect(escalation[0].subject).toBe('Tarkastus odottaa: Pöytäkirja 5/2026');
      expect(escalation[0].text).toContain('Greta Granskare');
      expect(escalation[0].text).not.toContain('Tapio Tarkastaja');
      const view = (await handle.describe()).searchAttributes;
      expect(view).toMatchObject({
        ProcessType: ['minutesReview'],
        ProcessStatus: ['in_review'],
        WaitingFor: ['checker'],
        Body: ['kunnanhallitus'],
      });
      expect(new Date((view.DeadlineAt as Date[])[0]).getTime()).toBe(deadline.getTime());
      expect((await reviewState(harness, reviewId)).escalatedAt).toBeDefined();

      const later = new Date(Date.now() + 3600_000).toISOString();
      expect((await (await asSecretary(harness)).post(`/api/minutes/${reviewId}/extend`).send({ deadline: later })).status).toBe(200);
      const state = await reviewState(harness, reviewId);
      expect(state.escalatedAt).toBeUndefined();
      expect(state.checkingDeadlineAt).toBe(later);
      await sleep(500);
      expect((await handle.describe()).searchAttributes.DeadlineAt).toEqual([new Date(later)]);
      expect(await mailTo(who.checkerA)).toHaveLength(1);
      expect(await mailTo(who.checkerB)).toHaveLength(2);
      expect(await mailTo(who.secretary)).toHaveLength(1);
      await handle.terminate('test done');
    });
  }, 60_000);
});
