import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { SinettiConfig } from '../../config/config';
import { messagesPasswordRotationWorkflow } from '../../workflows/messagesPasswordRotation';

/**
 * The Temporal Schedule that rotates the Suomi.fi Messages password at the
 * configured interval: made when a worker starts, its interval brought in
 * line with the configuration when it exists, removed when the interval is 0.
 */

export function passwordRotationScheduleId(taskQueue: string): string {
  return `suomifi-password-rotation-${taskQueue}`;
}

export async function ensurePasswordRotationSchedule(client: Client, config: SinettiConfig): Promise<void> {
  const scheduleId = passwordRotationScheduleId(config.temporal.taskQueue);
  const { intervalMs } = config.messagesPasswordRotation;
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
        workflowType: messagesPasswordRotationWorkflow,
        args: [],
        taskQueue: config.temporal.taskQueue,
        workflowId: `suomifi-password-rotation/${config.temporal.taskQueue}`,
      },
      // A rotation still running when the next is due is left to finish; one missed while the cluster was down runs once, late.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec }));
  }
}
