import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Workflow } from '@temporalio/workflow';

/** A Temporal Schedule that starts one workflow at a fixed interval. */
export interface IntervalSchedule {
  scheduleId: string;
  workflowType: Workflow;
  workflowId: string;
  taskQueue: string;
  /** 0 removes the schedule. */
  intervalMs: number;
}

/**
 * Makes the schedule when a worker starts, brings an existing one's interval in
 * line with the configuration, and removes it when the interval is 0. Safe to
 * call from every worker at once: the loser of the race only updates.
 */
export async function ensureIntervalSchedule(client: Client, schedule: IntervalSchedule): Promise<void> {
  const handle = client.schedule.getHandle(schedule.scheduleId);
  if (schedule.intervalMs === 0) {
    await handle.delete().catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
    return;
  }
  const spec = { intervals: [{ every: schedule.intervalMs }] };
  try {
    await client.schedule.create({
      scheduleId: schedule.scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: schedule.workflowType,
        args: [],
        taskQueue: schedule.taskQueue,
        workflowId: schedule.workflowId,
      },
      // A run still going when the next is due is left to finish; one missed while the cluster was down runs once, late.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec }));
  }
}
