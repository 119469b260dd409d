import type { Client } from '@temporalio/client';
import { ensureIntervalSchedule } from '../../common/intervalSchedule';
import type { SinettiConfig } from '../../config/config';
import { timestampRenewalSweepWorkflow } from '../../workflows/timestampRenewalSweep';

/**
 * The Temporal Schedule that looks for archived documents due for a fresh
 * document timestamp (config/retimestamping.ts).
 */

export function timestampRenewalScheduleId(taskQueue: string): string {
  return `timestamp-renewal-${taskQueue}`;
}

export async function ensureTimestampRenewalSchedule(client: Client, config: SinettiConfig): Promise<void> {
  const { taskQueue } = config.temporal;
  await ensureIntervalSchedule(client, {
    scheduleId: timestampRenewalScheduleId(taskQueue),
    workflowType: timestampRenewalSweepWorkflow,
    workflowId: `timestamp-renewal/${taskQueue}`,
    taskQueue,
    intervalMs: config.retimestamping.intervalMs,
  });
}
