import { parseStaffTokens, staffPersonName } from '../config/config';
import { type ContractHarness, contractRequest, openContractHarness, uniqueEmail } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { staffHeaders } from './support/staffSession';

/** Issue 15 (C5): mail greets a person by the name the directory (the staff configuration) gives, or without a name. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('mail-greeting');
});
afterAll(async () => {
  await harness?.close();
});

describe('mail greetings', () => {
  it('greets HR without a name when only an account name (dev-hr) is known', async () => {
    const hr = uniqueEmail('hr');
    const { hr: _given, ...withoutName } = contractRequest({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr });
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send({ ...withoutName, hr: { email: hr, language: 'fi' } });
      expect(created.status).toBe(201);
      const cancelled = await harness
        .api()
        .post(`/api/contracts/${created.body.contractId}/cancel`)
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send({ reason: 'Väärä henkilö' });
      expect(cancelled.status).toBe(200);
      const [mail] = await waitForMail(hr, 1);
      expect(mail.text.split('\n')[0]).toBe('Hei,');
      expect(mail.text).not.toContain('dev-hr');
    });
  });

  it("knows a person's name only when it is configured for their token", () => {
    const tokens = parseStaffTokens('hr:0123456789abcdef-hr:Hanna Hakala,registry:0123456789abcdef-reg');
    expect(staffPersonName(tokens, 'Hanna Hakala')).toBe('Hanna Hakala');
    expect(staffPersonName(tokens, 'registry-2')).toBeUndefined();
    expect(staffPersonName(parseStaffTokens(undefined), 'dev-hr')).toBeUndefined();
  });
});
