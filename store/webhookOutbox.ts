import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import type { WebhookEvent } from '../integrations/webhooks/webhookPayload';

/**
 * Webhook events written beside their audit events and not yet handed to
 * delivery. Keyed by the audit event's id, so a retried step writes its
 * event once; the dispatcher (integrations/webhooks/dispatcher.ts) reads
 * the oldest, starts their deliveries and removes them. The collection
 * stays small (it is drained as it fills), so reading it in time order is
 * a scan of a few rows even on FerretDB (see BY_ID_ONLY in store/connection.ts).
 */

interface OutboxRecord extends Omit<WebhookEvent, 'eventId'> {
  _id: string;
}

const outboxSchema = new Schema<OutboxRecord>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    processId: { type: String, required: true },
    at: { type: Date, required: true },
    participantId: String,
    documentSha256: String,
  },
  { versionKey: false, collection: 'webhook_outbox' },
);

const OutboxModel = storeModel<OutboxRecord>('WebhookOutbox', outboxSchema);

export class WebhookOutbox {
  /** Adds events; ones already there (a retried step) are left as they are. */
  async add(events: WebhookEvent[]): Promise<void> {
    if (!events.length) return;
    try {
      await OutboxModel.insertMany(
        events.map(({ eventId, ...rest }) => ({ _id: eventId, ...rest })),
        { ordered: false, lean: true },
      );
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (!writeErrors?.length || !writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)) throw error;
    }
  }

  /** The oldest events, in the order they happened. */
  async oldest(limit: number): Promise<WebhookEvent[]> {
    const records = await OutboxModel.find().sort({ at: 1, _id: 1 }).limit(limit).lean();
    return records.map(({ _id, ...rest }) => ({ eventId: _id, ...rest }));
  }

  async remove(eventIds: string[]): Promise<void> {
    if (eventIds.length) await OutboxModel.deleteMany({ _id: { $in: eventIds } });
  }
}
