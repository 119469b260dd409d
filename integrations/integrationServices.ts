import { connectTemporalClient } from '../common/temporalClient';
import { loadPayloadCodec } from '../common/payloadKeys';
import type { SinettiConfig } from '../config/config';
import { WebhookSubscriptions } from '../store/webhookSubscriptions';
import { ensureTimestampRenewalSchedule } from './archive/timestampRenewalSchedule';
import { ensurePasswordRotationSchedule } from './suomifiMessages/credentialsSchedule';
import { startWebhookDispatcher } from './webhooks/dispatcher';

/**
 * What the worker process runs for the integrations besides its workers:
 * the webhook dispatcher (outbox to deliveries), the Schedule that
 * rotates the Suomi.fi Messages password and the one that renews archived
 * documents' timestamps. One Temporal client for both,
 * closed on stop.
 */
export async function startIntegrationServices(config: SinettiConfig): Promise<{ stop(): Promise<void> }> {
  const temporal = await connectTemporalClient(config);
  await ensurePasswordRotationSchedule(temporal, config);
  await ensureTimestampRenewalSchedule(temporal, config);
  const dispatcher = startWebhookDispatcher({ config, temporal, subscriptions: new WebhookSubscriptions(loadPayloadCodec(config)) });
  return {
    async stop() {
      await dispatcher.stop();
      await temporal.connection.close();
    },
  };
}
