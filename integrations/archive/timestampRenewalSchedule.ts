import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { SinettiConfig } from '../../config/config';
import { timestampRenewalSweepWorkflow } from '../../workflows/timestampRenewalSweep';

/**
 * The Temporal Schedule that looks for archived documents due for a fresh
 * document timestamp (config/retimestamping.ts): made when a worker starts,
 * its interval brought in line with the configuration when it exists,
 * removed when the interval is 0.
 */

export function timestampRenewalScheduleId(taskQueue: string): string {
  return `timestamp-renewal-${taskQueue}`;
}

export async function ensureTimestampRenewalSchedule(client: Client, config: SinettiConfig): Promise<void> {
  const scheduleId = timestampRenewalScheduleId(config.temporal.taskQueue);
  const { intervalMs } = config.retimestamping;
  const handle = client.schedule.getHandle(scheduleId);
  if (intervalMs === 0) {
    await handle.delete().catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
    return;
  }
  const spec = { intervals: [{ every: intervalMs }] };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: timestampRenewalSweepWorkflow,
        args: [],
        taskQueue: config.temporal.taskQueue,
        workflowId: `timestamp-renewal/${config.temporal.taskQueue}`,
      },
      // A sweep still running when the next is due is left to finish; one missed while the cluster was down runs once, late.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec }));
  }
}
