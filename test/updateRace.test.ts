import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { sinettiDataConverter } from '../common/payloadKeys';
import { createActivities } from '../worker/createWorker';
import type { FormToDecisionState } from '../workflows/formToDecision';
import { letterApi, stopEventPoller, waitUntil } from './support/officialMailHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { grantApplication } from './support/grantApplication';
import { openTestStack, workflowBundle, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';
import { killHard, startWorkerProcess } from './support/workerProcess';
import { freshBusinessId } from './support/businessIds';

/**
 * The chaos run's nondeterminism error (issue 13), reproduced: a worker that
 * holds the application in its cache is killed while an activity runs. The
 * activity's result makes a workflow task that waits on the dead worker's
 * sticky queue; a state query asked just before reaches the fresh worker
 * first, and that worker runs the code past the result to answer it. The
 * handler sees "awaiting_decision" and drafts the decision at once, so the
 * Update comes alone in the workflow task that carries the result. Replay
 * puts the Update ahead of the result: the history must still replay.
 */

type Args = Record<string, unknown>;
type Activity = (...args: Args[]) => Promise<unknown>;
const EventType = temporal.api.enums.v1.EventType;

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('update-race');
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

const HANDLER = () => staffHeaders(letterApi(stack), 'handler');

it.each([
  // The chaos run's case: the acknowledgement mail is the last activity before the handler is awaited.
  { held: 'mailAcknowledgement', when: () => true },
  // The step's own record is the last activity before the step opens for the decision.
  { held: 'setApplicationStatus', when: (input: Args) => input.status === 'awaiting_decision' },
])(
  'a decision drafted as soon as a query shows the step, while $held held the workflow task back, replays',
  async ({ held, when }) => {
    const { activities, close } = await createActivities(stack.config);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const heldBack = new Promise<void>((resolve) => (reached = resolve));
    const real = (activities as unknown as Record<string, Activity>)[held];
    const holding: Activity = async (input) => {
      if (when(input)) {
        reached();
        await released;
      }
      return real(input);
    };
    const common = { connection: stack.connection, namespace: stack.config.temporal.namespace, taskQueue: stack.config.temporal.taskQueue };
    const dataConverter = sinettiDataConverter(stack.config);
    const activityWorker = await Worker.create({ ...common, dataConverter, activities: { ...activities, [held]: holding } });
    const first = await startWorkerProcess(stack.config, {}, path.join(__dirname, 'support', 'workflowOnlyWorker.ts'));
    try {
      await activityWorker.runUntil(async () => {
        const applicationId = await submitApplication();
        await heldBack;
        await killHard(first);
        const second = await Worker.create({ ...common, dataConverter, workflowBundle: await workflowBundle() });
        await second.runUntil(async () => {
          const handle = stack.client.workflow.getHandle(applicationId);
          // No workflow task is pending, so the query goes to the dead worker's sticky queue and, once that times out, to the fresh worker.
          const asked = handle.query<FormToDecisionState>('state');
          await sleep(3000);
          release();
          if ((await asked).status !== 'awaiting_decision')
            await waitUntil(
              'awaiting_decision',
              async () => (await handle.query<FormToDecisionState>('state')).status === 'awaiting_decision',
            );
          await request(letterApi(stack))
            .post(`/api/applications/${applicationId}/decision`)
            .set(await HANDLER())
            .send({ outcome: 'partly', amount: '1200', reasoning: 'Osa kuluista ei ole avustettavia.' })
            .expect(200);
          await waitUntil(
            'awaiting_signature',
            async () => (await handle.query<FormToDecisionState>('state')).status === 'awaiting_signature',
            60_000,
          );
        });
        const history = await stack.client.workflow.getHandle(applicationId).fetchHistory();
        if (held === 'setApplicationStatus') expect(updateCameWithResultOf(history.events ?? [], held)).toBe(true);
        await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, history, applicationId);
        await stack.client.workflow.getHandle(applicationId).terminate('test finished');
        if (held === 'setApplicationStatus')
          recordHistoryIfAsked(stack, applicationId, 'formToDecisionWorkflow-v3-update-after-query-race');
      });
    } finally {
      release();
      await killHard(first);
      close();
    }
  },
  180_000,
);

async function submitApplication(): Promise<string> {
  const body = await grantApplication('race', { businessId: freshBusinessId(), email: `race-${randomUUID().slice(0, 8)}@example.fi` });
  const submitted = await request(letterApi(stack)).post('/api/forms/avustushakemus/applications').send(body).expect(201);
  return submitted.body.applicationId as string;
}

/** Whether the Update was accepted in the first workflow task after the held activity's result: the race happened. */
function updateCameWithResultOf(events: temporal.api.history.v1.IHistoryEvent[], activityType: string): boolean {
  const accepted = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  const sequencedAfter = Number(accepted?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequestSequencingEventId ?? 0);
  const before = events.filter((e) => Number(e.eventId) <= sequencedAfter);
  const lastResult = before.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).at(-1);
  const scheduled = events.find((e) => Number(e.eventId) === Number(lastResult?.activityTaskCompletedEventAttributes?.scheduledEventId));
  const tasksBetween = before.filter(
    (e) => Number(e.eventId) > Number(lastResult?.eventId) && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  );
  return scheduled?.activityTaskScheduledEventAttributes?.activityType?.name === activityType && tasksBetween.length === 0;
}
