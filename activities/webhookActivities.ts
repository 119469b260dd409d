import { ApplicationFailure } from '@temporalio/common';
import { sendWebhook } from '../integrations/webhooks/webhookSender';
import { webhookPayload } from '../integrations/webhooks/webhookPayload';
import { type WebhookDeliveries } from '../store/webhookDeliveries';
import { type WebhookSubscription, type WebhookSubscriptions } from '../store/webhookSubscriptions';

/**
 * Webhook delivery's activities, on the webhooks task queue. One attempt
 * is one activity attempt: a receiver that does not answer 2xx fails it,
 * and Temporal's retry policy (set by the delivery workflow from the
 * configured schedule) is the backoff. Every attempt is written to the
 * delivery log first, so the admin sees status, latency and attempts live.
 */

export interface WebhookActivityDeps {
  deliveries: WebhookDeliveries;
  subscriptions: WebhookSubscriptions;
  publicUrl: string;
  requestTimeoutMs: number;
}

export type DeliveryResult =
  { outcome: 'delivered'; statusCode: number; latencyMs: number } | { outcome: 'already_delivered' | 'subscription_inactive' };

/** How long a subscription and its decrypted secret are reused between deliveries: a deactivation is seen within this time. */
const SUBSCRIPTION_CACHE_MS = 5_000;

export function createWebhookActivities(deps: WebhookActivityDeps) {
  const cache = new Map<string, { at: number; value: Promise<{ subscription: WebhookSubscription; secret: string }> }>();
  const subscriptionOf = (subscriptionId: string) => {
    const hit = cache.get(subscriptionId);
    if (hit && Date.now() - hit.at < SUBSCRIPTION_CACHE_MS) return hit.value;
    const value = (async () => ({
      subscription: await deps.subscriptions.get(subscriptionId),
      secret: await deps.subscriptions.secret(subscriptionId),
    }))();
    value.catch(() => cache.delete(subscriptionId));
    cache.set(subscriptionId, { at: Date.now(), value });
    return value;
  };
  return {
    async deliverWebhook(input: { deliveryId: string }): Promise<DeliveryResult> {
      const delivery = await deps.deliveries.get(input.deliveryId);
      if (delivery.status === 'delivered') return { outcome: 'already_delivered' };
      const { subscription, secret } = await subscriptionOf(delivery.subscriptionId);
      if (!subscription.active) return { outcome: 'subscription_inactive' };
      const attempt = await sendWebhook({
        url: subscription.url,
        secret,
        webhookId: delivery.webhookId,
        body: JSON.stringify(webhookPayload(delivery.event, deps.publicUrl)),
        timeoutMs: deps.requestTimeoutMs,
      });
      await deps.deliveries.recordAttempt(input.deliveryId, { at: new Date(), ...attempt });
      if (!attempt.delivered) throw ApplicationFailure.retryable(attempt.error ?? 'not delivered', 'WebhookNotDelivered');
      return { outcome: 'delivered', statusCode: attempt.statusCode!, latencyMs: attempt.latencyMs };
    },

    /** The retry schedule ran out: the delivery goes to the admin's dead-letter list. */
    async deadLetterWebhook(input: { deliveryId: string }): Promise<void> {
      await deps.deliveries.markDead(input.deliveryId);
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
