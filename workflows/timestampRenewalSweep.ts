import { proxyActivities } from '@temporalio/workflow';
import type { ArchiveTimestampActivities } from '../activities/archiveTimestampActivities';

/**
 * Started by the renewal Schedule (integrations/archive/timestampRenewalSchedule.ts):
 * asks every archived document whose proof lapses within the configured
 * margin to renew its document timestamp. The documents are found in
 * Temporal's visibility (their DeadlineAt), not by scanning the store; each
 * document's own workflow does the renewal, once, however often it is asked.
 */

const sweeping = proxyActivities<ArchiveTimestampActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function timestampRenewalSweepWorkflow(): Promise<{ asked: number }> {
  return sweeping.askDueDocumentsToRenew();
}
