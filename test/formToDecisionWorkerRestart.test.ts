import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { LocalFinanceSimulator } from '../integrations/finance/financeSystem';
import { Applications } from '../store/applications';
import { ChunkedDocumentStore } from '../store/documentStore';
import type { FormToDecisionState } from '../workflows/formToDecision';
import { mailTo } from './support/mailbox';
import { killHard, startWorkerProcess } from './support/workerProcess';
import { letterApi, registerPerson, stopEventPoller, waitUntil } from './support/officialMailHarness';
import { grantApplication } from './support/grantApplication';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';
import { freshBusinessId } from './support/businessIds';

/**
 * The worker is a real process, killed without warning right after the
 * decision-maker signs (while the decision is being sealed into the PDF and
 * sent) and started again: the case finishes with one decision, one letter,
 * one payment and one mail of each kind.
 */

// The law's periods pass at a day per quarter second in the worker process too (worker/testTimers.ts).
process.env.SINETTI_TEST_SHORT_PERIODS = '1';
process.env.SINETTI_LETTER_TRACKING_DAYS = String(20 / 86400);

const HANDLER = () => staffHeaders(letterApi(stack), 'handler');

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('form-restart');
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

const startWorker = () => startWorkerProcess(stack.config);

it('a worker killed after the signature resumes without a second decision, letter or payment', async () => {
  const app = letterApi(stack);
  const email = `restart-${randomUUID().slice(0, 8)}@example.fi`;
  const businessId = freshBusinessId();
  await registerPerson(stack.config, { id: businessId, name: 'Kyläyhdistys ry', mailbox: true, electronicOutcome: 'read' });
  const first = await startWorker();
  let second: ChildProcess | undefined;
  try {
    const submitted = await request(app)
      .post('/api/forms/avustushakemus/applications')
      .send(await grantApplication('restart', { businessId, email }));
    expect(submitted.status).toBe(201);
    const { applicationId } = submitted.body;
    const status = async () => (await stack.client.workflow.getHandle(applicationId).query<FormToDecisionState>('state')).status;
    await waitUntil('awaiting_decision', async () => (await status()) === 'awaiting_decision', 60_000);
    await request(app)
      .post(`/api/applications/${applicationId}/decision`)
      .set(await HANDLER())
      .send({ outcome: 'partly', amount: '1200', reasoning: 'Osa kuluista ei ole avustettavia.' })
      .expect(200);
    await waitUntil('awaiting_signature', async () => (await status()) === 'awaiting_signature', 60_000);
    await request(app)
      .post(`/api/applications/${applicationId}/signature`)
      .set(await HANDLER())
      .send({})
      .expect(200);

    await killHard(first);
    second = await startWorker();
    const result = (await stack.client.workflow.getHandle(applicationId).result()) as FormToDecisionState;
    expect(result).toMatchObject({ status: 'completed', final: true, decision: { outcome: 'partly', amount: '1200.00' } });

    const payments = await new LocalFinanceSimulator().paymentsFor(result.caseNumber!);
    expect(payments).toEqual([expect.objectContaining({ amount: '1200.00' })]);
    const store = new ChunkedDocumentStore(50e6);
    const decisionVersion = await store.getVersion(result.decision!.versionId!);
    expect((await store.listVersions(decisionVersion.documentId)).map((v) => v.kind).sort()).toEqual(['decision', 'prepared', 'signed']);
    expect((await new Applications().get(applicationId)).payment?.paymentId).toBe(payments[0]._id);
    const subjects = (await mailTo(email)).map((m) => m.subject.split(':')[0]).sort();
    expect(subjects).toEqual(['Päätös lähetetty', 'Vastaanotettu']);
    await stack.client.workflow
      .getHandle(`${applicationId}-decision-letter`)
      .terminate('test finished')
      .catch(() => undefined);
  } finally {
    if (first.exitCode === null && first.signalCode === null) await killHard(first);
    if (second) await killHard(second);
  }
}, 300_000);
