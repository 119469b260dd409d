import mongoose from 'mongoose';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  signThroughPage,
  uniqueEmail,
} from '../support/contractHarness';
import { staffHeaders } from '../support/staffSession';

/**
 * A decision the round refuses (a stale document hash, a second press of
 * "sign") used to leave an evidence record behind (typed name, IP, browser)
 * that no decision refers to. The decision is now checked first.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('evidence-after-check');
});
afterAll(async () => {
  await harness?.close();
});

const evidenceOf = (contractId: string) => mongoose.connection.db!.collection('signer_evidence').countDocuments({ contractId });

it('stores no evidence for a refused decision, and one for the accepted one', async () => {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  await harness.stack.withWorker(async () => {
    const created = await harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send(contractRequest(who, { maxReminders: 0 }));
    expect(created.status).toBe(201);
    const contractId = created.body.contractId as string;
    const link = await invitationLink(who.employee);

    const stale = await signThroughPage(harness, link, 'Maija Meikäläinen', 'f'.repeat(64));
    expect(stale.status).toBe(409);
    expect(await evidenceOf(contractId)).toBe(0);

    const signed = await signThroughPage(harness, link, 'Maija Meikäläinen');
    expect(signed.status).toBe(303);
    expect(await evidenceOf(contractId)).toBe(1);
    const again = await signThroughPage(harness, link, 'Maija Meikäläinen');
    expect([200, 303, 409]).toContain(again.status);
    expect(await evidenceOf(contractId)).toBe(1);
  });
});
