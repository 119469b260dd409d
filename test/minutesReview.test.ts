import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { rectificationPeriod } from '../rules/rectificationPeriod';
import { Archive } from '../store/archive';
import type { MinutesReviewState } from '../workflows/minutesReview';
import { type ContractHarness, openContractHarness, sleep } from './support/contractHarness';
import { mailTo, waitForMail } from './support/mailbox';
import {
  approve,
  askCorrections,
  asSecretary,
  CONFIDENTIAL_TEXT,
  mailedLink,
  minutesPdf,
  minutesPeople,
  openPage,
  PERSONAL_TEXT,
  reviewState,
  SECTIONS,
  signMinutes,
  startReview,
  uploadPdf,
  waitForState,
} from './support/minutesHarness';
import { staffHeaders } from './support/staffSession';
import { pdfsig, qpdfCheck, summarisePdfsig } from './support/pdfTools';
import { expectArchivalPdf } from './signing/ltvFixtures';

const run = promisify(execFile);

async function pdfText(pdf: Buffer): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-minutes-')), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** GET a PDF as bytes (public, or as the secretary). */
async function getPdf(path: string, staff = false): Promise<{ status: number; body: Buffer }> {
  const req = harness.api().get(path);
  if (staff) req.set(await staffHeaders(harness.baseUrl, 'secretary'));
  const response = await req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  return { status: response.status, body: response.body as Buffer };
}

let harness: ContractHarness;
// The rectification period (three weeks) passes in about five seconds here (worker/testTimers.ts); the dates are still computed and shown.
process.env.SINETTI_TEST_SHORT_PERIODS = '1';
beforeAll(async () => {
  harness = await openContractHarness('minutes');
});
afterAll(async () => {
  await harness?.close();
});

describe('minutes review, end to end on the real stack', () => {
  it('two correction rounds, then approval, signatures (pdfsig valid), publication without confidential sections, the period and personal data removed', async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const secretary = await asSecretary(harness);

      // Round 1: Tapio asks for a correction to § 5; the secretary hears at once. Greta approves version 1.
      const a1 = await mailedLink(who.checkerA);
      const b1 = await mailedLink(who.checkerB);
      expect(b1.language).toBe('sv');
      const first = await openPage(harness, a1);
      expect(first.status).toBe(200);
      expect(first.html).toContain('§ 5 Talousarvio 2027');
      expect(first.html).not.toContain('Muutokset edelliseen versioon');
      expect((await askCorrections(harness, a1, { 'comment-5': 'Summa puuttuu päätöksestä.' }, first.documentSha256)).status).toBe(303);
      const toSecretary = await waitForMail(who.secretary, 1);
      expect(toSecretary[0].subject).toBe('Korjauspyyntö: Pöytäkirja 5/2026');
      expect(toSecretary[0].text).toContain('§ 5');
      expect(toSecretary[0].text).toContain(`/minutes/${reviewId}`);
      expect((await approve(harness, b1)).status).toBe(303);
      await waitForState(
        harness,
        reviewId,
        (s) => s.status === 'awaiting_correction' && s.rounds[0].checkers.every((c) => c.status !== 'reviewing'),
      );
      expect((await harness.stack.client.workflow.getHandle(reviewId).describe()).searchAttributes.WaitingFor).toEqual(['secretary']);

      // Round 2: a corrected version as the PDF itself. Greta's approval of version 1 no longer counts.
      const v2 = await minutesPdf('Talousarvio hyväksyttiin: menot 12,4 milj. euroa.');
      const uploaded = await secretary.post(`/api/minutes/${reviewId}/versions`).set('Content-Type', 'application/pdf').send(v2);
      expect(uploaded.status).toBe(200);
      await mailedLink(who.checkerA, 2);
      const b2 = await mailedLink(who.checkerB, 2);
      expect((await waitForMail(who.checkerB, 2))[1].subject).toBe('Rättad version att justera: Pöytäkirja 5/2026');
      let state = await reviewState(harness, reviewId);
      expect(state.rounds).toHaveLength(2);
      expect(state.rounds[0].outcome).toBe('superseded');
      expect(state.rounds[1].checkers.map((c) => c.status)).toEqual(['reviewing', 'reviewing']);
      expect((await openPage(harness, a1)).status).toBe(410);
      const second = await openPage(harness, b2);
      expect(second.html).toContain('Ändringar jämfört med föregående version');
      expect(second.html).toContain('Sida 4');
      expect(second.html).toContain('menot 12,4 milj. euroa');
      expect(second.html).not.toContain('Sida 1<');
      // Acting on the old version: 409 with the current version.
      const stale = await harness
        .api()
        .post(`${b2.path.split('?')[0]}/review`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ documentSha256: first.documentSha256, decision: 'approve', consent: 'yes' });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        error: 'stale_version',
        details: { currentVersion: { versionNumber: 2, sha256: second.documentSha256 } },
      });
      expect(
        (
          await askCorrections(harness, b2, {
            'comment-1': 'Avausaika puuttuu.',
            'comment-general': 'Sivunumerot puuttuvat.',
            'page-general': '2',
          })
        ).status,
      ).toBe(303);
      await waitForMail(who.secretary, 2);

      // Round 3: the corrected version by id, with its section list (unchanged pages).
      const v3Id = await uploadPdf(harness, await minutesPdf('Talousarvio hyväksyttiin: menot 12,4 milj. euroa. Avattiin klo 18.00.'));
      expect((await secretary.post(`/api/minutes/${reviewId}/versions`).send({ documentVersionId: v3Id, sections: SECTIONS })).status).toBe(
        200,
      );
      const a3 = await mailedLink(who.checkerA, 3);
      const b3 = await mailedLink(who.checkerB, 3);
      expect((await approve(harness, a3)).status).toBe(303);
      const twice = await harness
        .api()
        .post(`${a3.path.split('?')[0]}/review`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ documentSha256: (await reviewState(harness, reviewId)).rounds[2].version.sha256, decision: 'approve', consent: 'yes' });
      expect(twice.status).toBe(409);
      expect(twice.body.error).toBe('already_reviewed');
      expect((await approve(harness, b3)).status).toBe(303);

      // The chair and the secretary sign; the checkers' approvals become their "checked" signatures; the seal.
      const chairLink = await mailedLink(who.chair);
      const secretaryLink = await mailedLink(who.secretary, 3);
      expect((await signMinutes(harness, chairLink, 'Paula Puheenjohtaja')).status).toBe(303);
      expect((await signMinutes(harness, secretaryLink, 'sanna  sihteeri')).status).toBe(303);
      state = await waitForState(harness, reviewId, (s) => s.status === 'rectification_period');
      // The last signer's receipt says what has happened (issue 15, C5): published, not "will be published".
      const receipt = (await openPage(harness, secretaryLink)).html;
      expect(receipt).toContain('Kaikki ovat allekirjoittaneet. Pöytäkirja on sinetöity ja julkaistu');
      expect(receipt).not.toContain('Kun kaikki ovat allekirjoittaneet');

      const signed = await getPdf(`/api/minutes/${reviewId}/signed.pdf`, true);
      expect(signed.status).toBe(200);
      const sealedPdf = signed.body;
      expect(summarisePdfsig(await pdfsig(sealedPdf))).toEqual({ signatures: 5, valid: 5, lastCoversWholeDocument: true });
      expect((await qpdfCheck(sealedPdf)).ok).toBe(true);
      const report = await pdfsig(sealedPdf);
      expect([...report.matchAll(/Signature Field Name: (\S+)/g)].map((m) => m[1])).toEqual([
        'chair',
        'secretary',
        'checker-1',
        'checker-2',
        'organisation-seal',
        'document-timestamp-1',
      ]);
      expect(sealedPdf.toString('latin1')).toMatch(
        /\(Tarkastettu \/ Justerat \/ Checked \d+\.\d+\.\d{4} \d+\.\d+\.\d+ \\\(UTC\+0[23]:00\\\)\)/,
      );
      // Signing times rise in the PDF's order: the checkers' signatures, applied after the chair's and the secretary's,
      // are dated when applied (issue 15, C11).
      const times = [...report.matchAll(/Signing Time: (.+)/g)].map((m) => Date.parse(m[1].trim()));
      expect(times.length).toBeGreaterThanOrEqual(5);
      expect(times.every((t) => !Number.isNaN(t))).toBe(true);
      expect(times.slice(0, 5)).toEqual([...times.slice(0, 5)].sort((a, b) => a - b));
      expect(await pdfText(sealedPdf)).toContain('Avattiin klo 18.00');

      // Published: the dates follow the rule, the confidential section is only a note, personal data is still there.
      expect(state.publication).toBeDefined();
      const period = rectificationPeriod(new Date(state.publication!.publishedAt));
      expect(state.publication).toMatchObject({
        publishedOn: period.publishedOn,
        notifiedOn: period.notifiedOn,
        lastDay: period.lastDay,
        endsAt: period.endsAt.toISOString(),
      });
      const publicPage = await harness.api().get('/public/minutes');
      expect(publicPage.status).toBe(200);
      expect(publicPage.text).toContain('Kunnanhallitus');
      const day = (iso: string) => iso.split('-').map(Number).reverse().join('.');
      expect(publicPage.text).toContain(day(period.notifiedOn));
      expect(publicPage.text).toContain(day(period.lastDay));
      expect(publicPage.text).not.toContain('Kiinteistökauppa');
      expect(publicPage.text).toContain('§ 4 Salassa pidettävä asia – käsitelty, ei julkaista');
      const during = await getPdf(`/public/minutes/${reviewId}.pdf`);
      expect(during.status).toBe(200);
      const duringText = await pdfText(during.body);
      expect(duringText).not.toContain(CONFIDENTIAL_TEXT);
      expect(duringText).not.toContain('Kiinteistökauppa');
      expect(duringText).toContain(PERSONAL_TEXT);
      expect(duringText).toContain('Oikaisuvaatimusohje');
      expect(duringText).toContain(day(period.lastDay));
      expect(duringText).toContain('menot 12,4 milj. euroa');

      // When the period ends: final, personal data off the public page and its PDF, archived with TOS metadata.
      const result = (await harness.stack.client.workflow.getHandle(reviewId).result()) as MinutesReviewState;
      expect(result.status).toBe('final');
      await expectArchivalPdf(sealedPdf); // checked here: the rectification period above is timed in seconds
      const after = await getPdf(`/public/minutes/${reviewId}.pdf`);
      const afterText = await pdfText(after.body);
      expect(afterText).not.toContain(PERSONAL_TEXT);
      expect(afterText).not.toContain(CONFIDENTIAL_TEXT);
      expect(afterText).toContain('menot 12,4 milj. euroa');
      const finalPage = await harness.api().get('/public/minutes?lang=en');
      expect(finalPage.text).toContain('personal data removed after the rectification period');
      expect(finalPage.text).not.toContain('Matti Virtanen');
      const [archived] = await new Archive().forProcess(reviewId);
      expect(archived.metadata).toMatchObject({ taskClass: '00 01 02', retentionPeriod: 'permanent', publicityClass: 'Julkinen' });
      expect(archived.sha256).toBe(result.sealedSha256);

      const description = await harness.stack.client.workflow.getHandle(reviewId).describe();
      expect(description.searchAttributes).toMatchObject({
        ProcessType: ['minutesReview'],
        ProcessStatus: ['final'],
        Body: ['kunnanhallitus'],
      });

      // The secretary's page and API show the rounds and comments.
      const detail = await secretary.get(`/api/minutes/${reviewId}`);
      expect(detail.body.feedback.flatMap((f: { comments: { text: string }[] }) => f.comments.map((c) => c.text))).toEqual(
        expect.arrayContaining(['Summa puuttuu päätöksestä.', 'Avausaika puuttuu.']),
      );
      expect(detail.body.history.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining([
          'minutes.created',
          'minutes.corrections_requested',
          'minutes.checker_approved',
          'minutes.version_submitted',
          'minutes.signed',
          'minutes.checked_signature',
          'minutes.sealed',
          'minutes.published',
          'minutes.final',
          'minutes.archived',
        ]),
      );
      const page = await secretary.get(`/minutes/${reviewId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Kierros 3: versio 3 (hyväksytty)');
      expect(page.text).toContain('Sivunumerot puuttuvat.');

      // Nobody got a mail twice: 3 review links per checker, 2 correction notices and a signing link to the secretary, 1 to the chair.
      await sleep(500);
      expect((await mailTo(who.checkerA)).length).toBe(3);
      expect((await mailTo(who.checkerB)).length).toBe(3);
      expect((await mailTo(who.secretary)).length).toBe(3);
      expect((await mailTo(who.chair)).length).toBe(1);

      const history = await harness.stack.client.workflow.getHandle(reviewId).fetchHistory();
      const historyText = historyToJSON(history);
      for (const personal of ['Tarkastaja', 'Granskare', 'Puheenjohtaja', who.checkerA, who.secretary, 'Summa puuttuu', 'Matti'])
        expect(historyText).not.toContain(personal);
      if (process.env.SINETTI_RECORD_HISTORIES === '1') {
        fs.writeFileSync(path.join(__dirname, 'histories', 'minutesReviewWorkflow-v2-checking-round.json'), historyText);
      }
    });
  }, 180_000);
});
