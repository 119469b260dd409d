import type request from 'supertest';
import { AuditLog } from '../audit/auditLog';
import { SimulatedSmsSender } from '../integrations/sms/smsSender';
import { OneTimeCodeModel } from '../verification/signerVerification';
import type { EmploymentContractState } from '../workflows/employmentContract';
import { waitForMail } from './support/mailbox';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  type MailedLink,
  openContractHarness,
  uniqueEmail,
} from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/** The optional one-time code before signing: by e-mail through the real inbox, and by SMS through the simulator. */

const sms = new SimulatedSmsSender(() => undefined);
let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('contract-code', {}, { sms });
});
afterAll(async () => {
  await harness?.close();
});

const hr = () => staffHeaders(harness.baseUrl, 'hr');
const people = () => ({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });
const base = (link: MailedLink) => link.path.split('?')[0];

async function sendContract(body: object): Promise<string> {
  const response = await harness
    .api()
    .post('/api/contracts')
    .set(await hr())
    .send(body);
  expect(response.status).toBe(201);
  return response.body.contractId as string;
}

function codeIn(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`No code in "${text}"`);
  return code;
}

/** One browser: the verification cookie stays with it. */
async function sign(browser: request.Agent, link: MailedLink, name: string): Promise<request.Response> {
  const page = await browser.get(link.path);
  const documentSha256 = /name="documentSha256" value="([0-9a-f]{64})"/.exec(page.text)?.[1] ?? '';
  return browser
    .post(`${base(link)}/sign`)
    .type('form')
    .send({ documentSha256, consent: 'yes', typedName: name });
}

describe('one-time code before signing', () => {
  it('by e-mail: no signing without it, a wrong code and an expired code are refused, the code from the inbox lets the signer sign', async () => {
    const who = people();
    await harness.stack.withWorker(async () => {
      const contractId = await sendContract(contractRequest(who, { verification: 'emailCode', maxReminders: 0 }));
      const link = await invitationLink(who.employee);
      const browser = harness.api();

      // The page asks for the code first, and a signature without it is refused.
      const first = await browser.get(link.path);
      expect(first.status).toBe(200);
      expect(first.text).toContain('Vahvista henkilöllisyytesi');
      expect(first.text).not.toContain('name="typedName"');
      const unverified = await browser
        .post(`${base(link)}/sign`)
        .type('form')
        .send({ documentSha256: 'f'.repeat(64), consent: 'yes', typedName: 'Maija Meikäläinen' });
      expect(unverified.status).toBe(403);

      // An expired code is refused (the stored expiry is moved to the past, as ten minutes would).
      expect(
        (
          await browser
            .post(`${base(link)}/code`)
            .type('form')
            .send({})
        ).status,
      ).toBe(200);
      const [, firstCodeMail] = await waitForMail(who.employee, 2);
      expect(firstCodeMail.subject).toBe('Vahvistuskoodisi');
      await OneTimeCodeModel.updateMany({ processId: contractId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      const expired = await browser
        .post(`${base(link)}/verify`)
        .type('form')
        .send({ code: codeIn(firstCodeMail.text) });
      expect(expired.status).toBe(400);
      expect(expired.text).toContain('Koodi on vanhentunut');

      // A new code: a wrong one is refused with the error at its field, the right one from the inbox is accepted.
      const sent = await browser
        .post(`${base(link)}/code`)
        .type('form')
        .send({});
      expect(sent.text).toMatch(/e•+@example\.test/);
      const [, , codeMail] = await waitForMail(who.employee, 3);
      const code = codeIn(codeMail.text);
      const wrong = await browser
        .post(`${base(link)}/verify`)
        .type('form')
        .send({ code: code === '000000' ? '111111' : '000000' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('id="code-error"');
      expect(wrong.text).toContain('aria-invalid="true"');
      const right = await browser
        .post(`${base(link)}/verify`)
        .type('form')
        .send({ code });
      expect(right.status).toBe(303);
      expect(right.headers['set-cookie'][0]).toMatch(/HttpOnly/);

      // The code does not open the page in another browser, nor can it be used there again; in this one the signer signs.
      expect(
        (
          await harness
            .api()
            .post(`${base(link)}/verify`)
            .type('form')
            .send({ code })
        ).status,
      ).toBe(400);
      expect((await harness.api().get(link.path)).text).toContain('Vahvista henkilöllisyytesi');
      expect((await browser.get(link.path)).text).toContain('name="typedName"');
      expect((await sign(browser, link, 'Maija Meikäläinen')).status).toBe(303);

      const events = await new AuditLog().forProcess(contractId);
      expect(events.map((e) => e.action)).toEqual(
        expect.arrayContaining(['contract.code_sent', 'contract.verification_failed', 'contract.verified']),
      );
      const signed = events.find((e) => e.action === 'contract.signed');
      expect(signed?.details).toMatchObject({ verification: { method: 'emailCode' } });
      await harness
        .api()
        .post(`/api/contracts/${contractId}/cancel`)
        .set(await hr())
        .send({ reason: 'testi päättyy' });
    });
  });

  it("by SMS through the adapter; a contract asking for SMS codes needs every signer's phone", async () => {
    const who = people();
    const missingPhone = await harness
      .api()
      .post('/api/contracts')
      .set(await hr())
      .send(contractRequest(who, { verification: 'smsCode' }));
    expect(missingPhone.status).toBe(400);
    expect(JSON.stringify(missingPhone.body.details)).toContain('phone');

    await harness.stack.withWorker(async () => {
      const request = contractRequest(who, { verification: 'smsCode', maxReminders: 0, signingOrder: 'parallel' });
      request.signers = request.signers.map((s, i) => ({ ...s, phone: `+358 40 000 00${i}${Math.floor(Math.random() * 10)}` }));
      const contractId = await sendContract(request);
      const link = await invitationLink(who.employee);
      const browser = harness.api();
      const sent = await browser
        .post(`${base(link)}/code`)
        .type('form')
        .send({});
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('•');
      const [message] = sms.to(request.signers[0].phone!);
      expect(message.text).toContain('Vahvistuskoodi');
      expect(
        (
          await browser
            .post(`${base(link)}/verify`)
            .type('form')
            .send({ code: codeIn(message.text) })
        ).status,
      ).toBe(303);
      expect((await sign(browser, link, 'Maija Meikäläinen')).status).toBe(303);
      const state = await harness.stack.client.workflow.getHandle(contractId).query<EmploymentContractState>('state');
      expect(state.round.signers.find((s) => s.participantId === 'signer-1')?.status).toBe('signed');
      await harness
        .api()
        .post(`/api/contracts/${contractId}/cancel`)
        .set(await hr())
        .send({ reason: 'testi päättyy' });
    });
  });
});
