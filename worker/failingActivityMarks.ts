import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { logger } from '../observability/logger';
import { FailingActivities } from '../store/failingActivities';

/**
 * Tells the admin's stuck list which activities keep failing, whatever their process is waiting for.
 *
 * Only the worker knows an activity's attempts as they happen: the workflow sees an activity's outcome once its
 * retries are over, so a workflow-side mark would come too late, and signalling the workflow at each retry would
 * add events to its history. So an attempt after a failure (attempt 2 on) records the activity in a small store
 * collection, and its success removes the record: one write per retry and one on recovery, none on the usual path.
 * The stuck list describes those processes and applies its own attempt threshold to what Temporal reports.
 */
export function failingActivityMarks(
  /** Queues whose activities are no process's steps: webhook deliveries retry for hours by design and would crowd the list. */
  notProcessQueues: string[],
  failing = new FailingActivities(),
): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      async execute(input, next) {
        const { attempt, activityId, activityType, workflowExecution, isLocal, taskQueue } = context.info;
        // Local activities are retried inside their workflow task; Temporal lists no pending activity for them.
        const processId = workflowExecution?.workflowId;
        if (!processId || isLocal || attempt === 1 || notProcessQueues.includes(taskQueue)) return next(input);
        // The attempt does not wait for the record: with the store down, its write may wait for server selection,
        // and the step the admin would retry must not start later for it.
        const marked = failing.attemptStarting({ processId, activityId, activityType, attempt }).catch((error: Error) => {
          logger.warn({ activityType, err: error.message }, 'could not record a failing activity for the stuck list');
        });
        const result = await next(input);
        // Removed once written, so a slow write cannot land after its removal. A record left behind is harmless:
        // the stuck list drops it when Temporal no longer lists the activity as pending.
        void marked.then(() => failing.succeeded(processId, activityId)).catch(() => undefined);
        return result;
      },
    },
  });
}
