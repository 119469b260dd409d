import { type Client, type WorkflowExecutionDescription, type WorkflowExecutionInfo, WorkflowNotFoundError } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { listPage, pageInAttributeOrder } from '../application/visibilityOrder';
import { FailingActivities } from '../store/failingActivities';
import { TIMESTAMP_SERVICE } from '../workflows/timestampServiceOutage';
import { expectedStepMs, shortestExpectationMs } from './stepExpectations';

/**
 * The admin's 3 a.m. list, told apart from what merely waits. A running
 * process is waiting by design while its step's WaitingUntil is ahead: a
 * person who still has time, a rectification period, a notification day.
 * It is stuck when a step keeps failing past the attempt threshold, when
 * that moment has passed with nothing scheduled, or when a step with no
 * known end has not moved for longer than that step is expected to take.
 * Everything but the failing steps is read from Temporal visibility.
 */

export interface StuckCriteria {
  now: Date;
  /** A pending activity on its attempt number above this is "failing repeatedly". */
  attemptThreshold: number;
  /** How long a person's step with no deadline may go without progress (steps listed in stepExpectations have their own). */
  noProgressMs: number;
  /** At most this many running processes with no wait of a known end (the system at work) are described for failing steps. */
  describeLimit: number;
  /** At most this many waiting processes are listed (all are counted), and at most this many of each other kind examined. */
  waitingLimit?: number;
}

export type StuckReason =
  | { kind: 'failing_step'; activityType: string; attempt: number; lastError?: string }
  | { kind: 'deadline_passed'; waitingFor?: string; waitingUntil: string }
  | { kind: 'no_progress'; status?: string; stepSince: string; expectedHours: number };
export type StuckReasonKind = StuckReason['kind'];
export const STUCK_REASON_KINDS: StuckReasonKind[] = ['failing_step', 'deadline_passed', 'no_progress'];

export interface ProcessView {
  processId: string;
  processType?: string;
  status?: string;
  /** A role or roles ("employee,employer"), never a person. */
  waitingFor?: string;
  waitingUntil?: string;
  deadlineAt?: string;
  stepSince?: string;
}

export interface StuckProcess extends ProcessView {
  reasons: StuckReason[];
  failingSteps: { activityId: string; activityType: string; attempt: number; lastError?: string }[];
}

export interface WaitingProcess extends ProcessView {
  waitingUntil: string;
}

export interface ProcessSurvey {
  stuck: StuckProcess[];
  waiting: WaitingProcess[];
  /** Every waiting process, also those beyond waitingLimit. */
  waitingCount: number;
  counts: Record<StuckReasonKind, number>;
}

export const DEFAULT_STUCK_CRITERIA = { attemptThreshold: 3, noProgressMs: 3 * 24 * 3600_000, describeLimit: 100, waitingLimit: 100 };

/** A timer fires and its step moves within moments; past this, a passed WaitingUntil means nothing moved. */
const TIMER_GRACE_MS = 15 * 60_000;

/**
 * Waits ending from this moment on are still "waiting" (not passed): `now` less the grace a timer needs, down to
 * the whole minute. So loads of the list within a minute ask the very same queries, and the waiting page's window
 * is remembered between them (application/visibilityOrder.ts); a moment to the millisecond made every load narrow
 * its window again, some twenty counts (1.5 s of a p95 of 1.6 s at 1,000 open processes, BENCHMARKS.md).
 */
export function waitingFrom(now: Date): Date {
  return new Date(Math.floor((now.getTime() - TIMER_GRACE_MS) / 60_000) * 60_000);
}

/** What the list reads of a process, from a visibility row or a description alike. */
type Execution = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'type' | 'searchAttributes'>;

function attribute(info: Execution, name: string): string | undefined {
  const value = info.searchAttributes?.[name]?.[0];
  return value === undefined ? undefined : value instanceof Date ? value.toISOString() : String(value);
}

function viewOf(info: Execution): ProcessView {
  return {
    processId: info.workflowId,
    processType: attribute(info, 'ProcessType') ?? info.type,
    status: attribute(info, 'ProcessStatus'),
    waitingFor: attribute(info, 'WaitingFor'),
    waitingUntil: attribute(info, 'WaitingUntil'),
    deadlineAt: attribute(info, 'DeadlineAt'),
    stepSince: attribute(info, 'StepSince'),
  };
}

/** Visibility queries, also for pasting into the Temporal Web UI (see README, "Finding stuck processes"). */
// Archived documents' keepers run for decades and have their own view (admin/archivedDocuments.ts); they would use up the describe limit.
export const RUNNING_PROCESSES_QUERY = `ExecutionStatus = 'Running' AND ProcessType IS NOT NULL AND ProcessType != 'archivedDocument'`;
export function waitingQuery(from: Date): string {
  return `${RUNNING_PROCESSES_QUERY} AND WaitingUntil >= '${from.toISOString()}'`;
}
export function deadlinePassedQuery(before: Date): string {
  return `${RUNNING_PROCESSES_QUERY} AND WaitingUntil < '${before.toISOString()}'`;
}
export function noProgressQuery(before: Date): string {
  return `${RUNNING_PROCESSES_QUERY} AND WaitingUntil IS NULL AND StepSince < '${before.toISOString()}'`;
}

/**
 * Processes where the system itself is at work (or waits on a service): no wait of a known end and no person awaited.
 * A person's step with no deadline (an application awaiting the handler) is not among them: it is "no progress" or nothing.
 */
export function systemAtWorkQuery(): string {
  return `${RUNNING_PROCESSES_QUERY} AND WaitingUntil IS NULL AND (WaitingFor IS NULL OR WaitingFor IN ('system', '${TIMESTAMP_SERVICE}'))`;
}

type PendingActivities = { activityId: string; activityType: string; attempt: number; lastFailure: unknown }[];

/** Describes at once: enough to overlap Temporal's round trips, few enough not to crowd the frontend. */
const DESCRIBE_CONCURRENCY = 16;

/** The rows of a query up to `limit`, in Temporal's order: one visibility page, however many match. */
async function firstRows(client: Client, query: string, limit: number): Promise<WorkflowExecutionInfo[]> {
  return limit > 0 ? (await listPage(client, query, limit)).rows : [];
}

/**
 * Every row of this list comes from visibility queries, each cut at a page, and Temporal's pending-activity
 * details (describe) are fetched only for those where the system is at work (systemAtWorkQuery, where a
 * failing activity shows; at most describeLimit of them, the newest first) and those whose wait has passed.
 * So the list costs about the same with ten thousand processes open. An activity failing while its process
 * waits for a person (a reminder mail) is found through the worker's record of failing activities
 * (worker/failingActivityMarks.ts), and its process is listed as stuck rather than waiting.
 */
export async function surveyProcesses(
  client: Client,
  criteria: StuckCriteria,
  failing: FailingActivities = new FailingActivities(),
): Promise<ProcessSurvey> {
  const { now } = criteria;
  const limit = criteria.waitingLimit ?? DEFAULT_STUCK_CRITERIA.waitingLimit;
  const stuck = new Map<string, StuckProcess>();
  const entry = (info: Execution): StuckProcess => {
    let found = stuck.get(info.workflowId);
    if (!found) stuck.set(info.workflowId, (found = { ...viewOf(info), reasons: [], failingSteps: [] }));
    return found;
  };
  const from = waitingFrom(now);
  const shortest = shortestExpectationMs(criteria.noProgressMs);

  // The candidates, from visibility only.
  const [working, passed, slow, waitingPage, waitingTotal, failingIds] = await Promise.all([
    firstRows(client, systemAtWorkQuery(), criteria.describeLimit),
    firstRows(client, deadlinePassedQuery(from), limit),
    firstRows(client, noProgressQuery(new Date(now.getTime() - shortest)), limit),
    pageInAttributeOrder(client, waitingQuery(from), 'WaitingUntil', limit, undefined, now),
    client.workflow.count(waitingQuery(from)),
    failing.processIds(limit),
  ]);

  // Pending activities, only for the rows above.
  const pending = new Map<string, PendingActivities>();
  const toDescribe: Execution[] = [...new Map([...working, ...passed].map((info) => [info.workflowId, info])).values()];
  const describeFailing = failingIds.filter((id) => !toDescribe.some((info) => info.workflowId === id));
  toDescribe.push(...(await describeFailingProcesses(client, failing, describeFailing, pending)));
  await forEachAtMost(DESCRIBE_CONCURRENCY, toDescribe, async (info) => {
    if (pending.has(info.workflowId)) return;
    const description = await client.workflow.getHandle(info.workflowId, info.runId).describe();
    pending.set(info.workflowId, pendingActivitiesOf(description));
  });

  // 1. Failing steps: an activity on its attempt past the threshold.
  for (const info of toDescribe) {
    const failing = (pending.get(info.workflowId) ?? []).filter((a) => a.attempt > criteria.attemptThreshold);
    if (failing.length === 0) continue;
    const process = entry(info);
    for (const step of failing) {
      // Failure messages are encrypted in Temporal (common/failureConverter.ts); the client's converter decodes them.
      const lastError = (
        await decodeOptionalFailureToOptionalError(
          client.workflow.options.loadedDataConverter,
          step.lastFailure as Parameters<typeof decodeOptionalFailureToOptionalError>[1],
        )
      )?.message;
      process.failingSteps.push({ activityId: step.activityId, activityType: step.activityType, attempt: step.attempt, lastError });
      process.reasons.push({ kind: 'failing_step', activityType: step.activityType, attempt: step.attempt, lastError });
    }
  }

  // 2. A wait whose end has passed with nothing scheduled: the timer should have moved the step on by now.
  for (const info of passed) {
    const view = viewOf(info);
    if ((pending.get(info.workflowId) ?? []).some((a) => a.attempt <= criteria.attemptThreshold)) continue; // something is under way
    entry(info).reasons.push({ kind: 'deadline_passed', waitingFor: view.waitingFor, waitingUntil: view.waitingUntil! });
  }

  // 3. No progress past the step's expectation, for steps with no known end.
  for (const info of slow) {
    const view = viewOf(info);
    const expected = expectedStepMs(view, criteria.noProgressMs);
    if (!view.stepSince || now.getTime() - Date.parse(view.stepSince) < expected) continue;
    entry(info).reasons.push({ kind: 'no_progress', status: view.status, stepSince: view.stepSince, expectedHours: expected / 3600_000 });
  }

  // 4. Waiting by design: counted in full, the page with the soonest ends listed.
  const waiting = waitingPage.filter((info) => !stuck.has(info.workflowId)).map((info) => viewOf(info) as WaitingProcess);
  const counts = Object.fromEntries(STUCK_REASON_KINDS.map((kind) => [kind, 0])) as Record<StuckReasonKind, number>;
  for (const process of stuck.values()) for (const kind of new Set(process.reasons.map((r) => r.kind))) counts[kind]++;
  const waitingCount = Math.max(waiting.length, Number(waitingTotal.count) - (waitingPage.length - waiting.length));
  return { stuck: [...stuck.values()], waiting, waitingCount, counts };
}

function pendingActivitiesOf(description: WorkflowExecutionDescription): PendingActivities {
  return (description.raw.pendingActivities ?? []).map((a) => ({
    activityId: a.activityId ?? '',
    activityType: a.activityType?.name ?? 'unknown',
    attempt: a.attempt ?? 0,
    lastFailure: a.lastFailure,
  }));
}

/**
 * The running processes among those the worker recorded with a failing activity (store/failingActivities.ts),
 * whatever they wait for: a reminder mail failing while a contract awaits its signers. Their pending activities go
 * into `pending`; records Temporal no longer backs (the process ended, or the activity stopped retrying) are dropped.
 */
async function describeFailingProcesses(
  client: Client,
  failing: FailingActivities,
  processIds: string[],
  pending: Map<string, PendingActivities>,
): Promise<Execution[]> {
  const found: Execution[] = [];
  await forEachAtMost(DESCRIBE_CONCURRENCY, processIds, async (processId) => {
    let description: WorkflowExecutionDescription | undefined;
    try {
      description = await client.workflow.getHandle(processId).describe();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    const activities = description?.status.name === 'RUNNING' ? pendingActivitiesOf(description) : [];
    const stillFailing = activities.filter((a) => a.attempt > 1).map((a) => a.activityId);
    await failing.forgetAllBut(processId, stillFailing);
    const processType = description && attribute(description, 'ProcessType');
    if (!description || stillFailing.length === 0 || !processType || processType === 'archivedDocument') return;
    pending.set(processId, activities);
    found.push(description);
  });
  return found;
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
async function forEachAtMost<T>(concurrency: number, items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Only the stuck ones (the webhooks' stuck watch needs no waiting list). */
export async function findStuckProcesses(client: Client, criteria: StuckCriteria): Promise<StuckProcess[]> {
  return (await surveyProcesses(client, criteria)).stuck;
}
