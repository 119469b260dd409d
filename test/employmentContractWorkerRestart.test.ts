import { type ChildProcess } from 'node:child_process';
import type { EmploymentContractState } from '../workflows/employmentContract';
import { mailTo } from './support/mailbox';
import { killHard, startWorkerProcess } from './support/workerProcess';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  signThroughPage,
  sleep,
  uniqueEmail,
} from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/**
 * The worker is a real process (`npm run worker`'s entry point). It is
 * killed without warning in the middle of a contract and started again;
 * the contract finishes and nobody gets a mail twice.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('contract-restart');
});
afterAll(async () => {
  await harness?.close();
});

const startWorker = () => startWorkerProcess(harness.stack.config);

describe('worker killed in the middle of a contract', () => {
  it('finishes after a restart with exactly one invitation per signer and one completion mail per party', async () => {
    const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    const first = await startWorker();
    let second: ChildProcess | undefined;
    try {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send(contractRequest(who, { maxReminders: 0 }));
      expect(created.status).toBe(201);
      const employeeLink = await invitationLink(who.employee);
      expect((await signThroughPage(harness, employeeLink, 'Maija Meikäläinen')).status).toBe(303);
      const employerLink = await invitationLink(who.employer);

      await killHard(first);
      second = await startWorker();
      expect((await signThroughPage(harness, employerLink, 'Erkki Esimies')).status).toBe(303);
      const result = (await harness.stack.client.workflow.getHandle(created.body.contractId).result()) as EmploymentContractState;
      expect(result.status).toBe('completed');

      await sleep(1000);
      const subjects = async (address: string) => (await mailTo(address)).map((m) => m.subject.split(':')[0]).sort();
      expect(await subjects(who.employee)).toEqual(['Allekirjoituspyyntö', 'Allekirjoitettu'].sort());
      expect(await subjects(who.employer)).toEqual(['Begäran om underskrift', 'Undertecknat'].sort());
      expect(await subjects(who.hr)).toEqual(['Allekirjoitettu']);
    } finally {
      if (first.exitCode === null && first.signalCode === null) await killHard(first);
      if (second) await killHard(second);
    }
    // If the kill lands while an activity runs, the new worker retries it only after that activity's
    // start-to-close timeout (2 minutes), so the test allows for one such wait.
  }, 300_000);
});
