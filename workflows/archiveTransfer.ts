import { proxyActivities } from '@temporalio/workflow';
import type { ArchiveTransferActivities, TransferResult } from '../activities/archiveTransferActivities';

/**
 * Pushes a finished process's archive package (integrations/archive) to
 * the archive's directory. One per process (workflow id
 * `archive-transfer/<processId>`); a share that is down is retried with
 * backoff until it is back, and a package already there is not written twice.
 */

const transfer = proxyActivities<ArchiveTransferActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '30 minutes', backoffCoefficient: 2 },
});

export function archiveTransferWorkflowId(processId: string): string {
  return `archive-transfer/${processId}`;
}

export async function archiveTransferWorkflow(input: { processId: string }): Promise<TransferResult> {
  return transfer.transferArchivePackage({ processId: input.processId });
}
