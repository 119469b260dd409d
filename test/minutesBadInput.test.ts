import { WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewUpdate } from '../workflows/checkingRound';
import { type ContractHarness, openContractHarness, sleep } from './support/contractHarness';
import { mailTo, waitForMail } from './support/mailbox';
import {
  approve,
  asSecretary,
  mailedLink,
  minutesPdf,
  minutesPeople,
  minutesRequest,
  openPage,
  reviewState,
  SECTIONS,
  startReview,
  uploadPdf,
} from './support/minutesHarness';
import { samplePdf } from './support/samplePdf';
import { staffHeaders } from './support/staffSession';

/** Every bad request gets a clear 4xx naming what to fix, and nothing already done is lost. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('minutes-bad-input');
});
afterAll(async () => {
  await harness?.close();
});

const fieldsOf = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);

describe('starting a review with bad input', () => {
  it.each([
    ['a deadline before the meeting', { checkingDeadline: '2026-01-11T12:00:00+02:00' }, 'checkingDeadline'],
    ['no checkers', { checkers: [] }, 'checkers'],
    [
      'four checkers',
      { checkers: ['a', 'b', 'c', 'd'].map((x) => ({ name: `Checker ${x}`, email: `${x}-four@example.test`, language: 'fi' as const })) },
      'checkers',
    ],
    ['a section listed twice', { sections: [SECTIONS[0], { ...SECTIONS[1], number: '1' }] }, 'sections.1.number'],
    ['sections out of page order', { sections: [SECTIONS[4], SECTIONS[0]] }, 'sections.1.firstPage'],
    [
      'the same person twice',
      {
        chair: { name: 'Paula', email: 'same@example.test', language: 'fi' as const },
        secretary: { name: 'Sanna', email: 'SAME@example.test', language: 'fi' as const },
      },
      'secretary.email',
    ],
  ])('%s → 400 naming the field', async (_what, overrides, field) => {
    const versionId = await uploadPdf(harness, await minutesPdf());
    const response = await (await asSecretary(harness)).post('/api/minutes').send(minutesRequest(minutesPeople(), versionId, overrides));
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toContain(field);
  });

  it('a section list that does not match the PDF → 400 sections_mismatch; an unknown document → 400; a non-PDF upload → 422; HR → 403', async () => {
    const twoPages = await uploadPdf(harness, await samplePdf(2));
    const mismatch = await (await asSecretary(harness)).post('/api/minutes').send(minutesRequest(minutesPeople(), twoPages));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe('sections_mismatch');
    expect(mismatch.body.message).toContain('§ 4 ends on page 3, but the PDF has 2 pages');
    const unknown = await (await asSecretary(harness)).post('/api/minutes').send(minutesRequest(minutesPeople(), 'no-such-version'));
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['documentVersionId']);
    const notPdf = await (
      await asSecretary(harness)
    )
      .post('/api/documents')
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('not a pdf at all'));
    expect(notPdf.status).toBe(422);
    const hr = await harness
      .api()
      .post('/api/minutes')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send(minutesRequest(minutesPeople(), twoPages));
    expect(hr.status).toBe(403);
  });
});

describe('acting on a running review with bad input', () => {
  it('refuses non-checkers, second decisions, old versions, non-PDF, identical and mismatching versions, and loses nothing', async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const secretary = await asSecretary(harness);
      const linkA = await mailedLink(who.checkerA);
      const linkB = await mailedLink(who.checkerB);
      const v1 = (await openPage(harness, linkA)).documentSha256!;
      expect((await approve(harness, linkA, v1)).status).toBe(303);

      // A checker acting twice: 409 with the current version.
      const twice = await harness
        .api()
        .post(`${linkA.path.split('?')[0]}/review`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ documentSha256: v1, decision: 'corrections', 'comment-1': 'Muutin mieleni.' });
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ error: 'already_reviewed', details: { currentVersion: { versionNumber: 1, sha256: v1 } } });
      const twicePage = await harness
        .api()
        .post(`${linkA.path.split('?')[0]}/review`)
        .type('form')
        .send({ documentSha256: v1, decision: 'approve', consent: 'yes' });
      expect(twicePage.status).toBe(409);
      expect(twicePage.text).toContain('Olet jo tehnyt päätöksesi tästä versiosta');

      // Someone who is not a checker: the workflow refuses the chair's review; an unknown link is a 404 page.
      const chair = harness.stack.client.workflow
        .getHandle(reviewId)
        .executeUpdate(reviewUpdate, { args: [{ participantId: 'chair', decision: 'approve', documentSha256: v1, feedbackId: 'x' }] });
      await expect(chair).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(chair).rejects.toMatchObject({ cause: { type: 'not_a_checker' } });
      expect((await harness.api().get('/m/not-a-real-token-0000000000000000000000')).status).toBe(404);

      // A form without consent or without comments is sent back with the fields named.
      const noConsent = await harness
        .api()
        .post(`${linkB.path.split('?')[0]}/review`)
        .type('form')
        .send({ documentSha256: v1, decision: 'approve' });
      expect(noConsent.status).toBe(400);
      expect(noConsent.text).toContain('aria-invalid="true"');
      const noComment = await harness
        .api()
        .post(`${linkB.path.split('?')[0]}/review`)
        .type('form')
        .send({ documentSha256: v1, decision: 'corrections' });
      expect(noComment.status).toBe(400);

      // The secretary's uploads: not a PDF, identical to version 1, a section list that does not match.
      const notPdf = await secretary
        .post(`/api/minutes/${reviewId}/versions`)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('hello'));
      expect(notPdf.status).toBe(422);
      const identical = await secretary
        .post(`/api/minutes/${reviewId}/versions`)
        .set('Content-Type', 'application/pdf')
        .send(await minutesPdf());
      expect(identical.status).toBe(409);
      expect(identical.body).toMatchObject({ error: 'identical_version', details: { currentVersion: { versionNumber: 1, sha256: v1 } } });
      const sameBytes = await harness
        .api()
        .get(`${linkB.path.split('?')[0]}/document.pdf`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      const identicalBytes = await secretary
        .post(`/api/minutes/${reviewId}/versions`)
        .set('Content-Type', 'application/pdf')
        .send(sameBytes.body as Buffer);
      expect(identicalBytes.status).toBe(409);
      expect(identicalBytes.body.error).toBe('identical_version');
      const shorter = await secretary
        .post(`/api/minutes/${reviewId}/versions`)
        .set('Content-Type', 'application/pdf')
        .send(await samplePdf(3));
      expect(shorter.status).toBe(400);
      expect(shorter.body.error).toBe('sections_mismatch');
      const renamed = await secretary.post(`/api/minutes/${reviewId}/versions`).send({
        documentVersionId: await uploadPdf(harness, await minutesPdf('Toinen teksti.')),
        sections: SECTIONS.map((s) => (s.number === '5' ? { ...s, title: 'Muu otsikko' } : s)),
      });
      expect(renamed.status).toBe(400);
      expect(renamed.body.error).toBe('sections_mismatch');
      const badExtend = await secretary.post(`/api/minutes/${reviewId}/extend`).send({ deadline: '2020-01-01T00:00:00Z' });
      expect(badExtend.status).toBe(400);

      // Nothing was lost: still round 1, Tapio's approval stands, Greta still reviewing; nobody got an extra mail.
      const state = await reviewState(harness, reviewId);
      expect(state.status).toBe('in_review');
      expect(state.rounds).toHaveLength(1);
      expect(state.rounds[0].checkers.map((c) => c.status)).toEqual(['approved', 'reviewing']);
      await sleep(300);
      expect(await mailTo(who.checkerA)).toHaveLength(1);
      expect(await mailTo(who.secretary)).toHaveLength(0);

      // The process still works: an admin-style cancel ends it and tells everyone.
      const cancelled = await secretary.post(`/api/minutes/${reviewId}/cancel`).send({ reason: 'Kokous uusitaan' });
      expect(cancelled.status).toBe(200);
      const result = await harness.stack.client.workflow.getHandle(reviewId).result();
      expect(result.status).toBe('cancelled');
      expect((await waitForMail(who.checkerB, 2))[1].subject).toBe('Avslutat: Pöytäkirja 5/2026');
      expect((await openPage(harness, linkB)).status).toBe(410);
    });
  }, 120_000);
});
