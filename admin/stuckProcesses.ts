import { type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';

/**
 * The admin's 3 a.m. list: running processes that wait past their deadline,
 * have a step failing again and again, or have not moved for a long time.
 * Each entry says why, in words an admin can act on.
 */

export interface StuckCriteria {
  now: Date;
  /** A pending activity on its attempt number above this is "failing repeatedly". */
  attemptThreshold: number;
  /** No step change for this long counts as "no progress". */
  noProgressMs: number;
  /** At most this many running processes are described for failing steps. */
  describeLimit: number;
}

export interface StuckProcess {
  processId: string;
  processType?: string;
  status?: string;
  waitingFor?: string;
  deadlineAt?: string;
  stepSince?: string;
  reasons: string[];
  failingSteps: { activityId: string; activityType: string; attempt: number; lastError?: string }[];
}

export const DEFAULT_STUCK_CRITERIA = { attemptThreshold: 3, noProgressMs: 3 * 24 * 3600_000, describeLimit: 500 };

function keyword(info: WorkflowExecutionInfo, name: string): string | undefined {
  const value = info.searchAttributes?.[name]?.[0];
  return value === undefined ? undefined : value instanceof Date ? value.toISOString() : String(value);
}

function hoursSince(iso: string, now: Date): number {
  return Math.round((now.getTime() - new Date(iso).getTime()) / 3600_000);
}

/** Visibility queries, also for pasting into the Temporal Web UI (see README, "Finding stuck processes"). */
export function pastDeadlineQuery(now: Date): string {
  return `ExecutionStatus = 'Running' AND DeadlineAt < '${now.toISOString()}'`;
}
export function noProgressQuery(before: Date): string {
  return `ExecutionStatus = 'Running' AND StepSince < '${before.toISOString()}'`;
}
// Archived documents' keepers run for decades and have their own view (admin/archivedDocuments.ts); they would use up the describe limit.
export const RUNNING_PROCESSES_QUERY = `ExecutionStatus = 'Running' AND ProcessType IS NOT NULL AND ProcessType != 'archivedDocument'`;

export async function findStuckProcesses(client: Client, criteria: StuckCriteria): Promise<StuckProcess[]> {
  const stuck = new Map<string, StuckProcess>();
  const entry = (info: WorkflowExecutionInfo): StuckProcess => {
    const existing = stuck.get(info.workflowId);
    if (existing) return existing;
    const created: StuckProcess = {
      processId: info.workflowId,
      processType: keyword(info, 'ProcessType') ?? info.type,
      status: keyword(info, 'ProcessStatus'),
      waitingFor: keyword(info, 'WaitingFor'),
      deadlineAt: keyword(info, 'DeadlineAt'),
      stepSince: keyword(info, 'StepSince'),
      reasons: [],
      failingSteps: [],
    };
    stuck.set(info.workflowId, created);
    return created;
  };

  for await (const info of client.workflow.list({ query: pastDeadlineQuery(criteria.now) })) {
    const process = entry(info);
    process.reasons.push(
      `Waiting for ${process.waitingFor ?? 'someone'} past the deadline ${process.deadlineAt} (${hoursSince(process.deadlineAt!, criteria.now)} h ago).`,
    );
  }

  for await (const info of client.workflow.list({ query: noProgressQuery(new Date(criteria.now.getTime() - criteria.noProgressMs)) })) {
    const process = entry(info);
    process.reasons.push(
      `No progress for ${hoursSince(process.stepSince!, criteria.now)} h: still "${process.status}" since ${process.stepSince}.`,
    );
  }

  let described = 0;
  for await (const info of client.workflow.list({ query: RUNNING_PROCESSES_QUERY })) {
    if (described++ >= criteria.describeLimit) break;
    const description = await client.workflow.getHandle(info.workflowId, info.runId).describe();
    const failing = await Promise.all(
      (description.raw.pendingActivities ?? [])
        .filter((a) => (a.attempt ?? 0) > criteria.attemptThreshold)
        .map(async (a) => ({
          activityId: a.activityId ?? '',
          activityType: a.activityType?.name ?? 'unknown',
          attempt: a.attempt ?? 0,
          // Failure messages are encrypted in Temporal (common/failureConverter.ts); the client's converter decodes them.
          lastError: (await decodeOptionalFailureToOptionalError(client.workflow.options.loadedDataConverter, a.lastFailure))?.message,
        })),
    );
    if (failing.length === 0) continue;
    const process = entry(info);
    process.failingSteps = failing;
    for (const step of failing) {
      process.reasons.push(
        `Step "${step.activityType}" has failed ${step.attempt - 1} times and is being retried${step.lastError ? `; last error: ${step.lastError}` : ''}.`,
      );
    }
  }
  return [...stuck.values()];
}
