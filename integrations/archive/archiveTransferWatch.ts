import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { logger } from '../../observability/logger';
import { Archive } from '../../store/archive';
import { WatchCursors } from '../../store/watchCursors';
import { DispatcherLease } from '../../store/webhookDispatcherLease';
import { archiveTransferWorkflow, archiveTransferWorkflowId } from '../../workflows/archiveTransfer';

/**
 * Every finished process's package goes to the archive without anyone
 * asking: processes that completed on this task queue since the last look
 * (Temporal visibility, read by close time) and archived a document get
 * their transfer workflow started. The workflow id is the process's, and a
 * transfer that ran is never started again, so a look that overlaps the
 * previous one (visibility may show a close a little late) starts nothing
 * twice; the cursor only remembers where to begin.
 */

/** Visibility may list a close this much after it happened: each look reaches back as far past its cursor. */
const VISIBILITY_LAG_MS = 60_000;
/** On the first look, how far back finished processes are picked up. */
const FIRST_LOOK_MS = 24 * 3600_000;

export interface ArchiveTransferWatchDeps {
  temporal: Client;
  taskQueue: string;
  archive?: Archive;
  cursors?: WatchCursors;
  now?: () => Date;
}

export function finishedProcessesQuery(taskQueue: string, since: Date): string {
  return `ExecutionStatus = 'Completed' AND ProcessType IS NOT NULL AND TaskQueue = '${taskQueue.replace(/'/g, '')}' AND CloseTime > '${since.toISOString()}'`;
}

/** One look: starts the transfers of processes finished since the cursor; returns the process ids whose transfer it started. */
export async function transferFinishedProcessesOnce(deps: ArchiveTransferWatchDeps): Promise<string[]> {
  const archive = deps.archive ?? new Archive();
  const cursors = deps.cursors ?? new WatchCursors();
  const cursorName = `archive-transfer/${deps.taskQueue}`;
  const now = deps.now?.() ?? new Date();
  const since = new Date(((await cursors.get(cursorName)) ?? new Date(now.getTime() - FIRST_LOOK_MS)).getTime() - VISIBILITY_LAG_MS);
  const started: string[] = [];
  for await (const info of deps.temporal.workflow.list({ query: finishedProcessesQuery(deps.taskQueue, since) })) {
    // Cancelled or expired processes archive nothing and have nothing to transfer.
    if (!(await archive.forProcess(info.workflowId)).length) continue;
    try {
      await deps.temporal.workflow.start(archiveTransferWorkflow, {
        workflowId: archiveTransferWorkflowId(info.workflowId),
        taskQueue: deps.taskQueue,
        args: [{ processId: info.workflowId }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      started.push(info.workflowId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  await cursors.set(cursorName, now);
  return started;
}

/** Looks every `intervalMs`, one worker process at a time. */
export function startArchiveTransferWatch(deps: ArchiveTransferWatchDeps & { intervalMs: number }): { stop(): Promise<void> } {
  const lease = new DispatcherLease(`archive-transfer-watch/${deps.taskQueue}`, deps.intervalMs * 3);
  let stopped = false;
  let wake: (() => void) | undefined;
  const running = (async () => {
    while (!stopped) {
      try {
        if (await lease.hold()) await transferFinishedProcessesOnce(deps);
      } catch (error) {
        logger.warn(
          { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'archive transfer watch failed; next look later',
        );
      }
      if (!stopped)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deps.intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
    await lease.release().catch(() => undefined);
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
