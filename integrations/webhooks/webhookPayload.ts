import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../audit/auditLog';
import { WEBHOOK_EVENT_TYPES, type WebhookEventTypeName, type WebhookProcessType } from './eventTypes';

/**
 * The body a receiver gets, in the Standard Webhooks shape `{ type,
 * timestamp, data }`. Ids and links only: a receiver that needs a name or
 * a document fetches it through the API with its own credentials, so no
 * name, identity code or e-mail address ever leaves in a webhook.
 */
export interface WebhookPayload {
  type: WebhookEventTypeName;
  /** When the milestone happened (the audit event's time), ISO 8601. */
  timestamp: string;
  data: WebhookEventData;
}

export interface WebhookEventData {
  /** The audit event this is; the same on every delivery of it. */
  eventId: string;
  processId: string;
  processType: WebhookProcessType;
  /** The signer or checker the event is about, as the API names them; never a name or an address. */
  participantId?: string;
  /** SHA-256 of the document version the event concerns. */
  documentSha256?: string;
  links: { process: string };
}

/** What the outbox keeps of an audit event: the event's ids, already stripped of anything personal. */
export interface WebhookEvent {
  eventId: string;
  type: WebhookEventTypeName;
  processId: string;
  at: Date;
  participantId?: string;
  documentSha256?: string;
}

const PARTICIPANT_ACTOR = /^participant:([A-Za-z0-9_-]{1,100})$/;
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The audit event as a webhook event of the given type: of the actor and details, only a participant's id is kept. */
export function webhookEventOf(event: AuditEvent, type: WebhookEventTypeName): WebhookEvent {
  const named = event.details?.participantId;
  const participantId =
    PARTICIPANT_ACTOR.exec(event.actor)?.[1] ?? (typeof named === 'string' && PARTICIPANT_ID.test(named) ? named : undefined);
  return {
    eventId: event.eventId,
    type,
    processId: event.processId,
    at: new Date(event.at),
    ...(participantId ? { participantId } : {}),
    ...(event.documentSha256 ? { documentSha256: event.documentSha256 } : {}),
  };
}

export function webhookPayload(event: WebhookEvent, publicUrl: string): WebhookPayload {
  return {
    type: event.type,
    timestamp: new Date(event.at).toISOString(),
    data: {
      eventId: event.eventId,
      processId: event.processId,
      processType: WEBHOOK_EVENT_TYPES[event.type].processType,
      ...(event.participantId ? { participantId: event.participantId } : {}),
      ...(event.documentSha256 ? { documentSha256: event.documentSha256 } : {}),
      links: { process: new URL(`/api/processes/${encodeURIComponent(event.processId)}`, publicUrl).toString() },
    },
  };
}

/**
 * The `webhook-id` of one event sent to one subscription: derived from
 * both, so every retry and every admin redelivery carries the same id and
 * the receiver's deduplication holds.
 */
export function webhookMessageId(subscriptionId: string, eventId: string): string {
  return `msg_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('base64url').slice(0, 32)}`;
}
