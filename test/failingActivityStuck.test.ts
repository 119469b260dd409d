import { WorkflowUpdateStage } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { type Worker } from '@temporalio/worker';
import { createWorkers } from '../worker/createWorker';
import { remindNowUpdate } from '../workflows/adminUpdates';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  sendContractAsHr,
  uniqueEmail,
} from './support/contractHarness';
import { freePort } from '../common/freePort';
import { waitForMail } from './support/mailbox';
import { staffHeaders } from './support/staffSession';
import { workflowBundle } from './support/testStack';

/**
 * A contract waits for its signers (waiting by design, until its deadline) while the admin's reminder mail fails
 * every attempt: the admin's stuck list must show it as stuck for its failing activity, not as "waiting until …".
 * The admin's retry must then try again at once, even from a backoff of minutes, and once the mail goes out the
 * contract is waiting again.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('failing-activity');
});
afterAll(async () => {
  await harness?.close();
});

const admin = () => staffHeaders(harness.baseUrl, 'admin');

/** The worker process's workers on the suite's queues, with the given mail server; stopped by the returned function. */
async function runWorkers(smtpUrl: string): Promise<() => Promise<void>> {
  const config = { ...harness.stack.config, smtp: { ...harness.stack.config.smtp, url: smtpUrl } };
  const { workers, close } = await createWorkers(config, harness.stack.connection, {
    role: 'all',
    processes: { workflowBundle: await workflowBundle() },
  });
  const running = workers.map((worker: Worker) => worker.run());
  return async () => {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
    close();
  };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

type SurveyRow = { processId: string; reasons: { kind: string; words: string }[]; failingSteps: { activityType: string }[] };
async function survey(): Promise<{ stuck: SurveyRow[]; waiting: { processId: string }[] }> {
  const response = await harness
    .api()
    .get('/api/admin/stuck?lang=en')
    .set(await admin());
  expect(response.status).toBe(200);
  return response.body;
}

async function pendingActivity(contractId: string) {
  const description = await harness.stack.client.workflow.getHandle(contractId).describe();
  return description.raw.pendingActivities?.[0];
}

describe('a failing activity while the process waits for a person', () => {
  let contractId: string;
  let employee: string;
  let stopBrokenWorkers: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await stopBrokenWorkers?.();
    await harness.stack.client.workflow
      .getHandle(contractId)
      .terminate('test over')
      .catch(() => undefined);
  });

  it('is listed as stuck for its failing activity, not as waiting', async () => {
    employee = uniqueEmail('employee');
    const people = { employee, employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    await harness.stack.withWorker(async () => {
      contractId = await sendContractAsHr(harness, contractRequest(people));
      await invitationLink(employee);
    });
    // Waiting for the employee, until the deadline: waiting by design.
    await eventually('the contract to wait', async () =>
      (await survey()).waiting.some((w) => w.processId === contractId) ? true : undefined,
    );

    // From now on the worker's mail server is gone, and the admin's reminder fails every attempt (1 s, 2 s, 4 s apart).
    stopBrokenWorkers = await runWorkers(`smtp://127.0.0.1:${await freePort()}`);
    await harness.stack.client.workflow.getHandle(contractId).startUpdate(remindNowUpdate, {
      args: [{ actor: 'staff:admin:test', reason: 'Signer asked for the link again' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });

    const row = await eventually('the contract on the stuck list', async () =>
      (await survey()).stuck.find((s) => s.processId === contractId && s.reasons.some((r) => r.kind === 'failing_step')),
    );
    expect(row.failingSteps[0].activityType).toMatch(/invite|remind|mail/i);
    expect(row.reasons.find((r) => r.kind === 'failing_step')?.words).toMatch(/fail/i);
    expect((await survey()).waiting.some((w) => w.processId === contractId)).toBe(false);
  }, 90_000);

  it("is tried again at once on the admin's retry, even from a backoff of minutes, and then waits again", async () => {
    // Stretch the reminder's backoff to ten minutes: Temporal reschedules the attempt it is waiting for accordingly.
    const before = (await pendingActivity(contractId))!;
    await harness.stack.client.workflowService.updateActivityOptions({
      namespace: harness.stack.client.options.namespace,
      execution: { workflowId: contractId },
      id: before.activityId,
      activityOptions: {
        retryPolicy: { initialInterval: msToTs('10 minutes'), maximumInterval: msToTs('10 minutes'), backoffCoefficient: 1 },
      },
      updateMask: { paths: ['retry_policy.initial_interval', 'retry_policy.maximum_interval', 'retry_policy.backoff_coefficient'] },
      identity: 'test',
    });
    await eventually('a backoff of minutes', async () => {
      const activity = await pendingActivity(contractId);
      const next = activity?.nextAttemptScheduleTime?.seconds;
      return next && Number(next) * 1000 > Date.now() + 5 * 60_000 ? activity : undefined;
    });

    // The mail server is back; the admin retries.
    await stopBrokenWorkers!();
    stopBrokenWorkers = undefined;
    await harness.stack.withWorker(async () => {
      const retried = await harness
        .api()
        .post(`/api/admin/processes/${contractId}/actions`)
        .set(await admin())
        .send({ action: 'retry', reason: 'mail server restored' });
      expect(retried.status).toBe(200);
      const asked = Date.now();
      // The reminder goes out within seconds, not after the ten minutes.
      const mails = await waitForMail(employee, 2, 20_000);
      expect(mails).toHaveLength(2);
      expect(Date.now() - asked).toBeLessThan(20_000);
    });

    // The activity succeeded: the contract waits for its signers again and is not stuck.
    const after = await survey();
    expect(after.stuck.some((s) => s.processId === contractId)).toBe(false);
    expect(after.waiting.some((w) => w.processId === contractId)).toBe(true);
  }, 120_000);
});
