import { updateProcess } from '../application/processHandles';
import { SinettiError } from '../common/errors';
import { DocumentVersionModel, ChunkedDocumentStore } from '../store/documentStore';
import type { EmploymentContractState } from '../workflows/employmentContract';
import { decideUpdate } from '../workflows/signingRound';
import { mailTo, waitForMail } from './support/mailbox';
import {
  type ContractHarness,
  contractRequest,
  declineThroughPage,
  invitationLink,
  openContractHarness,
  openSigningPage,
  signThroughPage,
  sleep,
  uniqueEmail,
} from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('contract-endings');
});
afterAll(async () => {
  await harness?.close();
});

const people = () => ({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });
const hr = () => staffHeaders(harness.baseUrl, 'hr');

async function sendContract(body: object): Promise<string> {
  const response = await harness
    .api()
    .post('/api/contracts')
    .set(await hr())
    .send(body);
  expect(response.status).toBe(201);
  return response.body.contractId as string;
}

async function outcome(contractId: string): Promise<EmploymentContractState> {
  return (await harness.stack.client.workflow.getHandle(contractId).result()) as EmploymentContractState;
}

async function rejection(work: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof SinettiError) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('employment contract endings and misuse', () => {
  it('a decline ends it: HR hears the reason, the earlier signer is told, the decliner gets no further mail', async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who, { maxReminders: 0 }));
      const employeeLink = await invitationLink(who.employee);
      expect((await signThroughPage(harness, employeeLink, 'Maija Meikäläinen')).status).toBe(303);
      const employerLink = await invitationLink(who.employer);

      const missingReason = await harness
        .api()
        .post(`${employerLink.path.split('?')[0]}/decline`)
        .type('form')
        .send({ documentSha256: 'x', reason: ' ' });
      expect(missingReason.status).toBe(400);
      expect(missingReason.text).toContain('aria-invalid="true"');

      expect((await declineThroughPage(harness, employerLink, 'Palkka on väärin')).status).toBe(303);
      const result = await outcome(contractId);
      expect(result.status).toBe('declined');
      expect(result.sealedVersionId).toBeUndefined();

      const [hrMail] = await waitForMail(who.hr, 1);
      expect(hrMail.subject).toContain('Päättynyt');
      expect(hrMail.text).toContain('Palkka on väärin');
      const employeeMails = await waitForMail(who.employee, 2);
      expect(employeeMails[1].subject).toContain('Päättynyt');
      expect(employeeMails[1].text).not.toContain('Palkka on väärin');
      await sleep(500);
      expect(await mailTo(who.employer)).toHaveLength(1);

      const after = await openSigningPage(harness, employeeLink);
      expect(after.status).toBe(410);
      expect(after.html).toContain('Allekirjoitus on päättynyt');
      expect(after.html).not.toMatch(/at .*\.ts:\d+/);
    });
  });

  it('expiry: reminders on a durable timer (at most the maximum), then the deadline ends it and tells HR and the signer', async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const deadline = new Date(Date.now() + 15000).toISOString();
      const contractId = await sendContract(contractRequest(who, { deadline, reminderIntervalHours: 1.5 / 3600, maxReminders: 3 }));
      const link = await invitationLink(who.employee);
      const result = await outcome(contractId);
      expect(result.status).toBe('expired');
      expect(result.round.signers[0].remindersSent).toBe(3);

      const mails = await waitForMail(who.employee, 5);
      expect(mails.map((m) => m.subject.split(':')[0])).toEqual([
        'Allekirjoituspyyntö',
        'Muistutus',
        'Muistutus',
        'Muistutus',
        'Päättynyt',
      ]);
      // The employer's turn never came, so the employer was never bothered.
      expect(await mailTo(who.employer)).toHaveLength(0);
      expect(await waitForMail(who.hr, 1)).toHaveLength(1);

      const page = await openSigningPage(harness, link);
      expect(page.status).toBe(410);
      expect(page.html).toContain('vanhentunut');
      expect(page.documentSha256).toBeUndefined();
    });
  });

  it('cancel: every invited signer and HR are told, the links close, and nothing more can happen', async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who, { signingOrder: 'parallel', maxReminders: 0 }));
      const [employeeLink] = await Promise.all([invitationLink(who.employee), invitationLink(who.employer)]);

      const cancelled = await harness
        .api()
        .post(`/api/contracts/${contractId}/cancel`)
        .set(await hr())
        .send({ reason: 'Väärä aloituspäivä' });
      expect(cancelled.status).toBe(200);
      expect((await outcome(contractId)).status).toBe('cancelled');
      for (const address of [who.employee, who.employer]) {
        const mails = await waitForMail(address, 2);
        // The employee reads Finnish, the employer Swedish.
        expect(mails[1].subject).toMatch(/^(Päättynyt|Avslutat):/);
        expect(mails[1].text).toContain('Väärä aloituspäivä');
      }
      expect(await waitForMail(who.hr, 1)).toHaveLength(1);

      const page = await openSigningPage(harness, employeeLink);
      expect(page.status).toBe(410);
      expect(page.html).toContain('peruttu');
      const late = await signThroughPage(harness, employeeLink, 'Maija Meikäläinen', 'f'.repeat(64));
      expect(late.status).toBe(410);

      const again = await harness
        .api()
        .post(`/api/contracts/${contractId}/cancel`)
        .set(await hr())
        .send({ reason: 'uudelleen' });
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('round_closed');
    });
  });

  it("refuses signing out of turn, twice, against a stale hash, with another signer's name, or without consent", async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who, { maxReminders: 0 }));
      const link = await invitationLink(who.employee);
      const page = await openSigningPage(harness, link);
      const current = page.documentSha256!;

      // The employer's turn has not come: their decision is refused, and there is nothing to resend yet.
      expect(
        await rejection(
          updateProcess(harness.stack.client, contractId, decideUpdate, {
            participantId: 'signer-2',
            decision: 'sign',
            documentSha256: current,
            evidenceId: 'x',
          }),
        ),
      ).toEqual({ code: 'not_your_turn', status: 409 });
      const resend = await harness
        .api()
        .post(`/api/contracts/${contractId}/resend`)
        .set(await hr())
        .send({ participantId: 'signer-2' });
      expect(resend.status).toBe(409);
      expect(resend.body.error).toBe('not_invited');

      // The document as rendered before the signature fields is no longer the one being signed.
      const store = new ChunkedDocumentStore(harness.stack.config.maxDocumentBytes);
      const detail = await harness
        .api()
        .get(`/api/contracts/${contractId}`)
        .set(await hr());
      const prepared = detail.body.history.find((e: { action: string }) => e.action === 'contract.prepared');
      const preparedVersion = await DocumentVersionModel.findOne({ sha256: prepared.documentSha256 }).lean();
      const rendered = (await store.listVersions(preparedVersion!.documentId)).find((v) => v.kind === 'rendered')!;
      const stale = await signThroughPage(harness, link, 'Maija Meikäläinen', rendered.sha256);
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('Asiakirja on muuttunut');

      // Someone else's name on this link, or no consent: the form comes back with the error at its field.
      const otherName = await signThroughPage(harness, link, 'Erkki Esimies', current);
      expect(otherName.status).toBe(400);
      expect(otherName.text).toContain('id="typedName-error"');
      const noConsent = await harness
        .api()
        .post(`${link.path.split('?')[0]}/sign`)
        .type('form')
        .send({ documentSha256: current, typedName: 'Maija Meikäläinen' });
      expect(noConsent.status).toBe(400);
      expect(noConsent.text).toContain('id="consent-error"');

      expect((await signThroughPage(harness, link, 'Maija Meikäläinen', current)).status).toBe(303);
      // A second signature through the page only shows the receipt; straight to the workflow it is refused.
      const twice = await signThroughPage(harness, link, 'Maija Meikäläinen', current);
      expect(twice.status).toBe(200);
      expect(twice.text).toContain('Kiitos, allekirjoitit');
      expect(
        await rejection(
          updateProcess(harness.stack.client, contractId, decideUpdate, {
            participantId: 'signer-1',
            decision: 'sign',
            documentSha256: current,
            evidenceId: 'y',
          }),
        ),
      ).toEqual({ code: 'already_decided', status: 409 });

      // HR can resend the employer's invitation (the first link stops working) and extend the deadline.
      const employerFirst = await invitationLink(who.employer);
      expect(
        (
          await harness
            .api()
            .post(`/api/contracts/${contractId}/resend`)
            .set(await hr())
            .send({ participantId: 'signer-2' })
        ).status,
      ).toBe(200);
      const employerSecond = await invitationLink(who.employer, 2);
      expect(employerSecond.token).not.toBe(employerFirst.token);
      expect((await openSigningPage(harness, employerFirst)).status).toBe(410);
      const later = new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString();
      const extended = await harness
        .api()
        .post(`/api/contracts/${contractId}/extend`)
        .set(await hr())
        .send({ deadline: later });
      expect(extended.status).toBe(200);
      expect(extended.body.deadlineAt).toBe(later);
      const past = await harness
        .api()
        .post(`/api/contracts/${contractId}/extend`)
        .set(await hr())
        .send({ deadline: '2020-01-01T00:00:00Z' });
      expect(past.status).toBe(400);

      const list = await harness
        .api()
        .get('/api/contracts')
        .set(await hr());
      expect(list.status).toBe(200);

      await harness
        .api()
        .post(`/api/contracts/${contractId}/cancel`)
        .set(await hr())
        .send({ reason: 'testi päättyy' });
      expect((await outcome(contractId)).status).toBe('cancelled');
    });
  });

  it('answers unknown links with a plain page, never a stack trace', async () => {
    const response = await harness.api().get('/s/this-token-does-not-exist-at-all-123456').set('Accept-Language', 'sv-FI,sv;q=0.9');
    expect(response.status).toBe(404);
    expect(response.text).toContain('lang="sv"');
    expect(response.text).toContain('Länken är inte giltig');
  });
});
