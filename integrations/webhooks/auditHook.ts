import type { AuditEvent } from '../../audit/auditLog';
import { WebhookOutbox } from '../../store/webhookOutbox';
import { subscribedEventTypes } from '../../store/webhookSubscriptions';
import { webhookEventTypeOf } from './eventTypes';
import { webhookEventOf } from './webhookPayload';

/**
 * Where webhooks begin: called by the audit log after it wrote events, so
 * every milestone any process or API route records is a webhook candidate
 * without touching the processes. It only writes the outbox, in the same
 * store the audit event just went to; receivers, signing and HTTP happen
 * later on the webhooks task queue, so a slow or failing receiver can
 * never hold up the step that wrote the event. When no subscription wants
 * an event's type, nothing is written at all.
 */

/** How long the list of subscribed event types is trusted: a new subscription sees events from at most this long after it was made. */
const SUBSCRIPTIONS_MAX_AGE_MS = 2_000;

const outbox = new WebhookOutbox();

export async function recordWebhookEvents(events: AuditEvent[]): Promise<void> {
  const candidates = events.flatMap((event) => {
    const type = webhookEventTypeOf(event.action);
    return type ? [{ event, type }] : [];
  });
  if (!candidates.length) return;
  const wanted = await subscribedEventTypes(SUBSCRIPTIONS_MAX_AGE_MS);
  await outbox.add(candidates.filter(({ type }) => wanted.has(type)).map(({ event, type }) => webhookEventOf(event, type)));
}
