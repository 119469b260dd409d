import { type ChildProcess } from 'node:child_process';
import type { MinutesReviewState } from '../workflows/minutesReview';
import { type ContractHarness, openContractHarness, sleep } from './support/contractHarness';
import { mailTo } from './support/mailbox';
import { approve, mailedLink, minutesPeople, signMinutes, startReview, waitForState } from './support/minutesHarness';
import { pdfsig, summarisePdfsig } from './support/pdfTools';
import { killHard, startWorkerProcess } from './support/workerProcess';
import { staffHeaders } from './support/staffSession';

/**
 * The worker process is killed without warning in the middle of a round
 * of checking and started again: the review carries on from where it was,
 * and nobody gets a mail twice.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('minutes-restart');
});
afterAll(async () => {
  await harness?.close();
});

describe('worker killed in the middle of a minutes review', () => {
  it('resumes after a restart: one review link per checker, one signing link each to the chair and the secretary, five valid signatures', async () => {
    const who = minutesPeople();
    const first = await startWorkerProcess(harness.stack.config);
    let second: ChildProcess | undefined;
    try {
      const reviewId = await startReview(harness, who, { publish: false });
      const linkA = await mailedLink(who.checkerA);
      const linkB = await mailedLink(who.checkerB);
      expect((await approve(harness, linkA)).status).toBe(303);

      await killHard(first);
      second = await startWorkerProcess(harness.stack.config);
      expect((await approve(harness, linkB)).status).toBe(303);
      await waitForState(harness, reviewId, (s) => s.status === 'awaiting_signatures' && (s.signing?.awaited.length ?? 0) === 2);
      expect((await signMinutes(harness, await mailedLink(who.chair), 'Paula Puheenjohtaja')).status).toBe(303);
      expect((await signMinutes(harness, await mailedLink(who.secretary), 'Sanna Sihteeri')).status).toBe(303);

      const result = (await harness.stack.client.workflow.getHandle(reviewId).result()) as MinutesReviewState;
      expect(result.status).toBe('final');
      expect(result.publication).toBeUndefined();
      const sealed = await harness
        .api()
        .get(`/api/minutes/${reviewId}/signed.pdf`)
        .set(await staffHeaders(harness.baseUrl, 'secretary'))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(summarisePdfsig(await pdfsig(sealed.body as Buffer))).toEqual({ signatures: 5, valid: 5, lastCoversWholeDocument: true });

      await sleep(1000);
      const subjects = async (address: string) => (await mailTo(address)).map((m) => m.subject);
      expect(await subjects(who.checkerA)).toEqual(['Pöytäkirjan tarkastus: Pöytäkirja 5/2026']);
      expect(await subjects(who.checkerB)).toEqual(['Justering av protokoll: Pöytäkirja 5/2026']);
      expect(await subjects(who.chair)).toEqual(['Allekirjoituspyyntö: Pöytäkirja 5/2026']);
      expect(await subjects(who.secretary)).toEqual(['Allekirjoituspyyntö: Pöytäkirja 5/2026']);
    } finally {
      await killHard(first);
      if (second) await killHard(second);
    }
  }, 150_000);
});
