import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { setCurrentVersion, setRampingVersion, describeDeployment } from '../../scripts/cluster/workerDeployments';
import type { EmploymentContractState } from '../../workflows/employmentContract';
import { FINAL_CLEARS_DEADLINE, type FormToDecisionState } from '../../workflows/formToDecision';
import { DeadlineAt } from '../../workflows/searchAttributes';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  signThroughPage,
  uniqueEmail,
} from '../support/contractHarness';
import { registerPerson, stopEventPoller, waitUntil } from '../support/officialMailHarness';
import { grantApplication } from '../support/grantApplication';
import { killHard, startWorkerProcess } from '../support/workerProcess';
import { bundleBeforePatch } from './support/bundleBeforePatch';
import { staffHeaders } from '../support/staffSession';
import { freshBusinessId } from '../support/businessIds';

/**
 * A rolling upgrade with Worker Versioning, as README "Changing workflows
 * safely" tells an operator to do it: processes start on build A; build B
 * is deployed beside it, ramped, then made current; A is drained and
 * stopped. B ships a real workflow change: a grant decision that becomes
 * final clears its deadline, guarded by patched() (FINAL_CLEARS_DEADLINE
 * in workflows/formToDecision.ts); A is today's workflows without that
 * line. A contract (PINNED) finishes on A; a grant application
 * (AUTO_UPGRADE, waiting for its decision) moves to B at its next step and
 * runs B's change; a contract started after the switch runs on B.
 */

// The law's periods in seconds (worker/testTimers.ts): both builds' bundles carry the test's timer interceptor.
process.env.SINETTI_TEST_SHORT_PERIODS = '1';
process.env.SINETTI_LETTER_TRACKING_DAYS = String(20 / 86400);

const HANDLER = () => staffHeaders(harness.baseUrl, 'handler');
const deploymentName = `sinetti-upgrade-${Date.now().toString(36)}`;
const buildA = { deploymentName, buildId: 'build-a' };
const buildB = { deploymentName, buildId: 'build-b' };

let harness: ContractHarness;
let operator: Connection;
let buildABundle: string;
beforeAll(async () => {
  harness = await openContractHarness('cluster-upgrade');
  operator = await Connection.connect({ address: harness.stack.config.temporal.address });
  buildABundle = await bundleBeforePatch(path.resolve(__dirname, '..', '..', 'workflows', 'formToDecision.ts'), 'FINAL_CLEARS_DEADLINE');
}, 120_000);
afterAll(async () => {
  await stopEventPoller(harness.stack);
  await operator?.close();
  await harness?.close();
});

const namespace = () => harness.stack.config.temporal.namespace;
/** Build A's workers run the bundle without B's change; build B's bundle today's workflows at start. */
const workerOf = (version: { buildId: string }) =>
  startWorkerProcess(harness.stack.config, {
    SINETTI_DEPLOYMENT_NAME: deploymentName,
    SINETTI_BUILD_ID: version.buildId,
    ...(version === buildA ? { WORKFLOW_BUNDLE_PATH: buildABundle } : {}),
  });

/** The build id of each workflow task a process completed, in order. */
async function buildsOf(workflowId: string): Promise<string[]> {
  const history = await harness.stack.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const completed = event.workflowTaskCompletedEventAttributes;
    return completed ? [completed.deploymentVersion?.buildId ?? '(unversioned)'] : [];
  });
}

/** The build whose workflow task recorded the patch marker of `patchId`, if one did. */
async function buildThatRecorded(workflowId: string, patchId: string): Promise<string | undefined> {
  const events = (await harness.stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const marker = events.find((event) => {
    const attributes = event.markerRecordedEventAttributes;
    const data = attributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return attributes?.markerName === 'core_patch' && data && JSON.parse(Buffer.from(data).toString('utf8')).id === patchId;
  });
  const taskId = String(marker?.markerRecordedEventAttributes?.workflowTaskCompletedEventId ?? '');
  const task = events.find((event) => String(event.eventId) === taskId);
  return task?.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? undefined;
}

async function endStrayWebhookDeliveries(): Promise<void> {
  const query = `TemporalWorkerDeploymentVersion STARTS_WITH '${deploymentName}:' AND ExecutionStatus = 'Running' AND WorkflowType = 'webhookDeliveryWorkflow'`;
  for await (const delivery of harness.stack.client.workflow.list({ query })) {
    await harness.stack.client.workflow
      .getHandle(delivery.workflowId, delivery.runId)
      .terminate('rolling-upgrade test: delivery to a subscription of another suite')
      .catch(() => undefined);
  }
}

/**
 * The server's own drainage count: running processes PINNED to the build. An
 * auto-upgrading process still recorded on A (an archived document's keeper
 * asleep for years, say) moves to the current build at its next task, so it
 * does not keep A's workers from stopping.
 */
async function pinnedRunningOn(buildId: string): Promise<number> {
  const { count } = await harness.stack.client.workflow.count(
    `TemporalWorkerDeploymentVersion = '${deploymentName}:${buildId}' AND TemporalWorkflowVersioningBehavior = 'Pinned' AND ExecutionStatus = 'Running'`,
  );
  return count;
}

async function submitApplication(): Promise<string> {
  const businessId = freshBusinessId();
  await registerPerson(harness.stack.config, { id: businessId, name: 'Kyläyhdistys ry', mailbox: true, electronicOutcome: 'read' });
  const submitted = await harness
    .api()
    .post('/api/forms/avustushakemus/applications')
    .send(await grantApplication('upgrade', { businessId, email: `upgrade-${randomUUID().slice(0, 8)}@example.fi` }));
  expect(submitted.status).toBe(201);
  return submitted.body.applicationId;
}

it('A to B: pinned processes finish on A, auto-upgrading ones move to B, new ones start on B, A drains', async () => {
  const workers: ChildProcess[] = [];
  try {
    workers.push(await workerOf(buildA));
    await setCurrentVersion(operator, namespace(), buildA);

    // On build A: a contract waiting for its signers, an application waiting for its decision.
    const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    const contract = await harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send(contractRequest(who, { maxReminders: 0 }));
    expect(contract.status).toBe(201);
    const contractId: string = contract.body.contractId;
    const employeeLink = await invitationLink(who.employee);
    const applicationId = await submitApplication();
    const formStatus = async () =>
      (await harness.stack.client.workflow.getHandle(applicationId).query<FormToDecisionState>('state')).status;
    await waitUntil('awaiting_decision', async () => (await formStatus()) === 'awaiting_decision', 60_000);

    // Build B beside A: ramped first, then current.
    const b = await workerOf(buildB);
    workers.push(b);
    await setRampingVersion(operator, namespace(), buildB, 50);
    expect(await describeDeployment(operator, namespace(), deploymentName)).toMatchObject({
      currentBuildId: 'build-a',
      rampingBuildId: 'build-b',
      rampingPercentage: 50,
    });
    await setCurrentVersion(operator, namespace(), buildB);
    expect(await describeDeployment(operator, namespace(), deploymentName)).toMatchObject({ currentBuildId: 'build-b' });

    // Both processes carry on; the contract on A (pinned), the application on B (auto-upgrade).
    expect((await signThroughPage(harness, employeeLink, 'Maija Meikäläinen')).status).toBe(303);
    expect((await signThroughPage(harness, await invitationLink(who.employer), 'Erkki Esimies')).status).toBe(303);
    await harness
      .api()
      .post(`/api/applications/${applicationId}/decision`)
      .set(await HANDLER())
      .send({ outcome: 'partly', amount: '1200', reasoning: 'Osa kuluista ei ole avustettavia.' })
      .expect(200);
    await waitUntil('awaiting_signature', async () => (await formStatus()) === 'awaiting_signature', 60_000);
    await harness
      .api()
      .post(`/api/applications/${applicationId}/signature`)
      .set(await HANDLER())
      .send({})
      .expect(200);

    expect(((await harness.stack.client.workflow.getHandle(contractId).result()) as EmploymentContractState).status).toBe('completed');
    expect(((await harness.stack.client.workflow.getHandle(applicationId).result()) as FormToDecisionState).status).toBe('completed');
    expect(new Set(await buildsOf(contractId))).toEqual(new Set(['build-a']));
    const applicationBuilds = await buildsOf(applicationId);
    expect(applicationBuilds[0]).toBe('build-a');
    expect(applicationBuilds.at(-1)).toBe('build-b');
    // B's change ran in the application that started on A: its marker recorded by B, and the deadline is gone.
    expect(await buildThatRecorded(applicationId, FINAL_CLEARS_DEADLINE)).toBe('build-b');
    const described = await harness.stack.client.workflow.getHandle(applicationId).describe();
    expect(described.typedSearchAttributes.get(DeadlineAt)).toBeUndefined();

    // A contract started now runs on B from its first step.
    const later = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    const laterContract = await harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send(contractRequest(later, { maxReminders: 0 }));
    await invitationLink(later.employee);
    expect(new Set(await buildsOf(laterContract.body.contractId))).toEqual(new Set(['build-b']));
    await harness.stack.client.workflow.getHandle(laterContract.body.contractId).terminate('test finished');

    // Webhook deliveries for subscriptions other suites left in the shared test store retry against receivers long gone;
    // they are not this test's processes, and would keep A from draining for hours.
    await endStrayWebhookDeliveries();
    // Drained: no process pinned to A runs any more (the count the server's drainage status is made of), so A's workers can stop.
    await waitUntil('build A drained', async () => (await pinnedRunningOn('build-a')) === 0, 60_000);
    const versionA = (await describeDeployment(operator, namespace(), deploymentName))!.versions.find((v) => v.buildId === 'build-a');
    expect(['DRAINING', 'DRAINED']).toContain(versionA?.status);
    await harness.stack.client.workflow
      .getHandle(`${applicationId}-decision-letter`)
      .terminate('test finished')
      .catch(() => undefined);
  } finally {
    await endStrayWebhookDeliveries().catch(() => undefined);
    for (const worker of workers) await killHard(worker);
  }
}, 400_000);
