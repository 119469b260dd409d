import { DEFAULT_STUCK_CRITERIA, findStuckProcesses } from '../admin/stuckProcesses';
import { startStuckProcessWatch } from '../admin/stuckProcessWatch';
import { AuditLog } from '../audit/auditLog';
import { connectTemporalClient } from '../common/temporalClient';
import { loadPayloadCodec } from '../common/payloadKeys';
import type { SinettiConfig } from '../config/config';
import { WebhookSubscriptions } from '../store/webhookSubscriptions';
import { Archive } from '../store/archive';
import { MinutesReviews } from '../store/minutesReviews';
import { WatchCursors } from '../store/watchCursors';
import { backfillArchiveKeepersOnce } from './archive/keeperBackfill';
import { ensureTimestampRenewalSchedule } from './archive/timestampRenewalSchedule';
import { ensurePasswordRotationSchedule } from './suomifiMessages/credentialsSchedule';
import { startWebhookDispatcher } from './webhooks/dispatcher';
import { startArchiveTransferWatch } from './archive/archiveTransferWatch';

/**
 * What the worker process runs for the integrations besides its workers:
 * the webhook dispatcher (outbox to deliveries), the stuck-process watch
 * (process.stuck / process.recovered events), the archive transfer of
 * every finished process, the Schedule that rotates the Suomi.fi Messages
 * password and the one that renews archived documents' timestamps. One
 * Temporal client for all,
 * closed on stop.
 */
export async function startIntegrationServices(config: SinettiConfig): Promise<{ stop(): Promise<void> }> {
  const temporal = await connectTemporalClient(config);
  await ensurePasswordRotationSchedule(temporal, config);
  await ensureTimestampRenewalSchedule(temporal, config);
  // Documents archived before keepers existed get theirs; in the background, so a large archive does not hold up the start.
  const archive = new Archive();
  const backfill = backfillArchiveKeepersOnce(temporal, archive, new WatchCursors(), {
    organization: config.organization,
    taskQueue: config.temporal.taskQueue,
  })
    .catch((error: Error) => console.error(`Backfilling archived documents' keepers failed (retried at the next start): ${error.message}`))
    // A store with no rows from before the archive catalogue and the minutes were keyed by id is marked so, and their lookups stop scanning.
    .then(() => Promise.all([archive.markKeyedOnce(), new MinutesReviews().markKeyedOnce()]))
    .catch((error: Error) => console.error(`Checking the store's keys failed (retried at the next start): ${error.message}`));
  const dispatcher = startWebhookDispatcher({ config, temporal, subscriptions: new WebhookSubscriptions(loadPayloadCodec(config)) });
  const stuckWatch = startStuckProcessWatch({
    intervalMs: config.webhooks.stuckWatchMs,
    leaseName: `stuck-process-watch/${config.temporal.taskQueue}`,
    findStuck: () => findStuckProcesses(temporal, { ...DEFAULT_STUCK_CRITERIA, now: new Date() }),
    audit: new AuditLog(),
  });
  const archiveWatch = config.archiveTransfer.watchIntervalMs
    ? startArchiveTransferWatch({ temporal, taskQueue: config.temporal.taskQueue, intervalMs: config.archiveTransfer.watchIntervalMs })
    : undefined;
  return {
    async stop() {
      await backfill;
      await archiveWatch?.stop();
      await stuckWatch.stop();
      await dispatcher.stop();
      await temporal.connection.close();
    },
  };
}
