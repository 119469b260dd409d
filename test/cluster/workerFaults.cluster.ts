import { type ChildProcess } from 'node:child_process';
import request from 'supertest';
import { ChunkedDocumentStore } from '../../store/documentStore';
import type { EmploymentContractState } from '../../workflows/employmentContract';
import type { LetterBatchState } from '../../workflows/letterBatch';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  signThroughPage,
  sleep,
  uniqueEmail,
} from '../support/contractHarness';
import { mailTo } from '../support/mailbox';
import {
  counters,
  freshIdentityCode,
  letterApi,
  asRegistry,
  simulator,
  stopEventPoller,
  storedPdf,
  waitUntil,
} from '../support/officialMailHarness';
import { pdfsig, summarisePdfsig } from '../support/pdfTools';
import { killHard, startWorkerProcess } from '../support/workerProcess';
import { staffHeaders } from '../support/staffSession';

/**
 * Two workers on one task queue, as a cluster runs them, and one of them
 * killed without warning (kill -9) mid-batch or mid-signing. Nobody starts
 * it again: the other worker carries on, and nothing is done twice.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('cluster-worker-kill', { LETTER_BATCH_PAGE_SIZE: '10', LETTER_BATCH_RATE_PER_SECOND: '8' });
});
afterAll(async () => {
  await stopEventPoller(harness.stack);
  await harness?.close();
});

async function twoWorkers(): Promise<ChildProcess[]> {
  return Promise.all([startWorkerProcess(harness.stack.config), startWorkerProcess(harness.stack.config)]);
}

async function stopAll(workers: ChildProcess[]): Promise<void> {
  for (const worker of workers) await killHard(worker);
}

it('one of two workers killed mid-batch: the other sends every letter exactly once', async () => {
  const rows = 40;
  const people = Array.from({ length: rows }, (_, i) => ({ id: freshIdentityCode(), mailbox: i % 3 !== 0 }));
  await simulator(harness.stack.config, 'POST', '/sim/recipients', people);
  const versionId = await storedPdf();
  const csv = ['recipientId,title', ...people.map((p) => `${p.id},Päätös ${p.id.slice(0, 2)}`)].join('\n');
  const workers = await twoWorkers();
  try {
    const started = await request(letterApi(harness.stack))
      .post(`/api/letter-batches?documentVersionId=${versionId}`)
      .set(await asRegistry(harness.stack))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(started.status).toBe(202);
    const { batchId } = started.body;
    await waitUntil('a part of the batch sent', async () => (await counters(harness.stack.config, `${batchId}-`)).accepted >= 8, 90_000);
    await killHard(workers[0]);
    expect((await counters(harness.stack.config, `${batchId}-`)).accepted).toBeLessThan(rows);

    const state = (await harness.stack.client.workflow.getHandle(batchId).result()) as LetterBatchState;
    expect(state.totals.dispatched).toBe(rows);
    const sent = await counters(harness.stack.config, `${batchId}-`);
    expect(sent.accepted).toBe(rows);
    expect(sent.distinctExternalIds).toBe(rows);
    expect(sent.posts).toBe(rows + sent.conflicts);
  } finally {
    await stopAll(workers);
  }
}, 300_000);

it('one of two workers killed mid-signing: the contract is sealed with one signature each, one mail each', async () => {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const workers = await twoWorkers();
  try {
    const created = await harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send(contractRequest(who, { maxReminders: 0 }));
    expect(created.status).toBe(201);
    const employeeLink = await invitationLink(who.employee);
    // The kill lands while the employee's signature is being applied, or just after.
    const signing = signThroughPage(harness, employeeLink, 'Maija Meikäläinen');
    await sleep(300);
    await killHard(workers[1]);
    expect((await signing).status).toBe(303);
    const employerLink = await invitationLink(who.employer);
    expect((await signThroughPage(harness, employerLink, 'Erkki Esimies')).status).toBe(303);

    const result = (await harness.stack.client.workflow.getHandle(created.body.contractId).result()) as EmploymentContractState;
    expect(result.status).toBe('completed');
    const sealed = await new ChunkedDocumentStore(harness.stack.config.maxDocumentBytes).readVersion(result.sealedVersionId!);
    // Two signers and the organisation seal: no signature applied twice.
    expect(summarisePdfsig(await pdfsig(sealed))).toEqual({ signatures: 3, valid: 3, lastCoversWholeDocument: true });
    await sleep(1000);
    const subjects = async (address: string) => (await mailTo(address)).map((m) => m.subject.split(':')[0]).sort();
    expect(await subjects(who.employee)).toEqual(['Allekirjoituspyyntö', 'Allekirjoitettu'].sort());
    expect(await subjects(who.employer)).toEqual(['Begäran om underskrift', 'Undertecknat'].sort());
    expect(await subjects(who.hr)).toEqual(['Allekirjoitettu']);
  } finally {
    await stopAll(workers);
  }
}, 300_000);
