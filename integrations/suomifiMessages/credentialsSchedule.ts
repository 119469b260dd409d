import type { Client } from '@temporalio/client';
import { ensureIntervalSchedule } from '../../common/intervalSchedule';
import type { SinettiConfig } from '../../config/config';
import { messagesPasswordRotationWorkflow } from '../../workflows/messagesPasswordRotation';

/** The Temporal Schedule that rotates the Suomi.fi Messages password at the configured interval. */

export function passwordRotationScheduleId(taskQueue: string): string {
  return `suomifi-password-rotation-${taskQueue}`;
}

export async function ensurePasswordRotationSchedule(client: Client, config: SinettiConfig): Promise<void> {
  const { taskQueue } = config.temporal;
  await ensureIntervalSchedule(client, {
    scheduleId: passwordRotationScheduleId(taskQueue),
    workflowType: messagesPasswordRotationWorkflow,
    workflowId: `suomifi-password-rotation/${taskQueue}`,
    taskQueue,
    intervalMs: config.messagesPasswordRotation.intervalMs,
  });
}
