import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { AuditLog } from '../audit/auditLog';
import { EmploymentContracts } from '../store/employmentContracts';
import type { EmploymentContractState } from '../workflows/employmentContract';
import { mailTo, waitForMail } from './support/mailbox';
import { pdfsig, summarisePdfsig } from './support/pdfTools';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  linkIn,
  openContractHarness,
  openSigningPage,
  signThroughPage,
  sleep,
  uniqueEmail,
} from './support/contractHarness';
import { developmentUser, staffHeaders } from './support/staffSession';

/** An administrator acting on a real contract through the admin API: remind, extend, reassign, cancel. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('contract-admin');
});
afterAll(async () => {
  await harness?.close();
});

const ADMIN = () => staffHeaders(harness.baseUrl, 'admin');
const ADMIN_ACTOR = `staff:admin:${developmentUser('admin').name}`;
const hr = () => staffHeaders(harness.baseUrl, 'hr');
const people = () => ({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });

async function sendContract(body: object): Promise<string> {
  const response = await harness
    .api()
    .post('/api/contracts')
    .set(await hr())
    .send(body);
  expect(response.status).toBe(201);
  return response.body.contractId as string;
}

async function act(contractId: string, body: object) {
  return harness
    .api()
    .post(`/api/admin/processes/${contractId}/actions`)
    .set(await ADMIN())
    .send(body);
}

async function adminEvents(contractId: string) {
  return (await new AuditLog().forProcess(contractId)).filter((e) => e.action.startsWith('admin.'));
}

describe('admin actions on an employment contract', () => {
  it('reminds now, extends, and reassigns the employee: the old link closes, the new person signs, the PDF validates', async () => {
    const who = people();
    const stand_in = uniqueEmail('standin');
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who));
      const oldLink = await invitationLink(who.employee);

      // Remind now: the reminder reaches the awaited signer's inbox, nobody else's.
      const reminded = await act(contractId, { action: 'remind', reason: 'Signer asked for the link again' });
      expect(reminded.status).toBe(200);
      const [, reminder] = await waitForMail(who.employee, 2);
      expect(reminder.subject).toMatch(/^Muistutus:/);
      expect(linkIn(reminder).token).not.toBe(oldLink.token);
      expect(reminded.body.result.participants[0]).toMatchObject({ participantId: 'signer-1', remindersSent: 1 });
      expect(await mailTo(who.employer)).toHaveLength(0);

      const later = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
      const extended = await act(contractId, { action: 'extend', reason: 'Employee is travelling', deadlineAt: later });
      expect(extended.status).toBe(200);
      expect(extended.body.result.deadlineAt).toBe(later);

      // Reassign the employee's turn to a stand-in.
      const reassigned = await act(contractId, {
        action: 'reassign',
        reason: 'Wrong person was named',
        participantId: 'signer-1',
        email: stand_in,
        name: 'Ville Varanen',
      });
      expect(reassigned.status).toBe(200);
      const replacementId = reassigned.body.result.participants[0].participantId as string;
      expect(replacementId).toBe('signer-1-r1');
      expect(reassigned.body.result.participants[0].replaces).toBe('signer-1');

      // Both of the old person's links answer 410; they are told they need not act.
      expect((await openSigningPage(harness, oldLink)).status).toBe(410);
      expect((await openSigningPage(harness, linkIn(reminder))).status).toBe(410);
      const [, , told] = await waitForMail(who.employee, 3);
      expect(told.subject).toMatch(/^Päättynyt:/);
      expect(told.text).toContain('siirrettiin toiselle henkilölle');
      expect((await signThroughPage(harness, oldLink, 'Maija Meikäläinen', 'f'.repeat(64))).status).toBe(410);

      // The stand-in is invited because it is their turn, and signs in the employee's field.
      const newLink = await invitationLink(stand_in);
      const page = await openSigningPage(harness, newLink);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Ville Varanen');
      expect(page.html).not.toContain('Maija Meikäläinen (');
      expect((await signThroughPage(harness, newLink, 'Ville Varanen', page.documentSha256)).status).toBe(303);
      expect((await signThroughPage(harness, await invitationLink(who.employer), 'Erkki Esimies')).status).toBe(303);

      const handle = harness.stack.client.workflow.getHandle(contractId);
      const result = (await handle.result()) as EmploymentContractState;
      expect(result.status).toBe('completed');
      expect(result.round.signers.map((s) => [s.participantId, s.status])).toEqual([
        [replacementId, 'signed'],
        ['signer-2', 'signed'],
      ]);

      const sealed = await harness
        .api()
        .get(`/api/contracts/${contractId}/sealed.pdf`)
        .set(await hr())
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(summarisePdfsig(await pdfsig(sealed.body as Buffer))).toEqual({ signatures: 3, valid: 3, lastCoversWholeDocument: true });

      // The sealed contract goes to the people who signed, not to the replaced one.
      expect(await waitForMail(stand_in, 2)).toHaveLength(2);
      await sleep(300);
      expect(await mailTo(who.employee)).toHaveLength(3);

      // Every action is audited with the admin and the reason; the process's own trail says who took over.
      expect(await adminEvents(contractId)).toEqual([
        expect.objectContaining({ action: 'admin.remind', actor: ADMIN_ACTOR, details: { reason: 'Signer asked for the link again' } }),
        expect.objectContaining({
          action: 'admin.extend',
          actor: ADMIN_ACTOR,
          details: { reason: 'Employee is travelling', deadlineAt: later },
        }),
        expect.objectContaining({
          action: 'admin.reassign',
          actor: ADMIN_ACTOR,
          details: { reason: 'Wrong person was named', participantId: 'signer-1' },
        }),
      ]);
      const trail = await new AuditLog().forProcess(contractId);
      expect(trail).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'contract.reassigned',
            actor: ADMIN_ACTOR,
            details: expect.objectContaining({ participantId: 'signer-1', replacementId, reason: 'Wrong person was named' }),
          }),
          expect.objectContaining({ action: 'contract.signed', actor: `participant:${replacementId}` }),
        ]),
      );

      // The new person's name and address stay out of the history, as everyone else's do.
      const historyText = historyToJSON(await handle.fetchHistory());
      for (const personal of ['Varanen', stand_in, who.employee, 'Meikäläinen']) expect(historyText).not.toContain(personal);
      if (process.env.SINETTI_RECORD_HISTORIES === '1') {
        fs.writeFileSync(path.join(__dirname, 'histories', 'employmentContractWorkflow-v2.json'), historyText);
      }
    });
  });

  it("cancels through the process's own path, so everyone is told", async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who, { maxReminders: 0 }));
      await invitationLink(who.employee);
      const cancelled = await act(contractId, { action: 'cancel', reason: 'Position was withdrawn' });
      expect(cancelled.status).toBe(200);
      expect(((await harness.stack.client.workflow.getHandle(contractId).result()) as EmploymentContractState).status).toBe('cancelled');
      const [, ended] = await waitForMail(who.employee, 2);
      expect(ended.text).toContain('Position was withdrawn');
      expect(await waitForMail(who.hr, 1)).toHaveLength(1);
      expect(await adminEvents(contractId)).toEqual([
        expect.objectContaining({ action: 'admin.cancel', actor: ADMIN_ACTOR, details: { reason: 'Position was withdrawn' } }),
      ]);
      // A finished process refuses further actions and nothing is recorded.
      expect((await act(contractId, { action: 'remind', reason: 'too late' })).status).toBe(409);
      expect(await adminEvents(contractId)).toHaveLength(1);
    });
  });

  it('refuses to reassign a signer who has signed, or to someone already signing, and changes nothing', async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who, { maxReminders: 0 }));
      expect((await signThroughPage(harness, await invitationLink(who.employee), 'Maija Meikäläinen')).status).toBe(303);
      await invitationLink(who.employer);

      const signed = await act(contractId, {
        action: 'reassign',
        reason: 'mistake',
        participantId: 'signer-1',
        email: uniqueEmail('x'),
        name: 'X Y',
      });
      expect(signed.status).toBe(409);
      expect(signed.body.error).toBe('already_decided');
      const duplicate = await act(contractId, {
        action: 'reassign',
        reason: 'mistake',
        participantId: 'signer-2',
        email: who.employee,
        name: 'X Y',
      });
      expect(duplicate.status).toBe(400);
      const unknown = await act(contractId, {
        action: 'reassign',
        reason: 'mistake',
        participantId: 'signer-9',
        email: uniqueEmail('x'),
        name: 'X Y',
      });
      expect(unknown.status).toBe(404);

      expect(await adminEvents(contractId)).toEqual([]);
      const record = await new EmploymentContracts().get(contractId);
      expect(record.signers.map((s) => s.participantId)).toEqual(['signer-1', 'signer-2']);

      // With only the employer awaited, a reminder goes to them alone.
      expect((await act(contractId, { action: 'remind', reason: 'nudge' })).status).toBe(200);
      expect(await waitForMail(who.employer, 2)).toHaveLength(2);
      await act(contractId, { action: 'cancel', reason: 'test over' });
    });
  });
});
