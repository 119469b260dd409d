import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import { webhookMessageId, type WebhookEvent } from '../integrations/webhooks/webhookPayload';

/**
 * The delivery log: one record per event and subscription, keyed by the
 * `webhook-id` derived from both (integrations/webhooks/webhookPayload.ts),
 * holding the event (ids only) and how its attempts went. A delivery is pending until a receiver
 * answers 2xx (delivered) or the retry schedule runs out (dead, listed for
 * the admin, who may redeliver it).
 */

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface WebhookDelivery {
  /** The `webhook-id` every attempt is sent under; it also names the delivery in the admin's API. */
  webhookId: string;
  subscriptionId: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the event was handed to delivery: the start of its "event to receiver" delay. */
  queuedAt: Date;
  lastAttemptAt?: Date;
  /** The receiver's HTTP status, or null when it did not answer. */
  lastStatusCode?: number | null;
  lastError?: string | null;
  lastLatencyMs?: number;
  deliveredAt?: Date;
  deadAt?: Date;
  redeliveries: number;
}

interface DeliveryRecord extends Omit<WebhookDelivery, 'webhookId'> {
  _id: string;
}

const deliverySchema = new Schema<DeliveryRecord>(
  {
    _id: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    queuedAt: { type: Date, required: true },
    lastAttemptAt: Date,
    lastStatusCode: Number,
    lastError: String,
    lastLatencyMs: Number,
    deliveredAt: Date,
    deadAt: Date,
    redeliveries: { type: Number, required: true },
  },
  { versionKey: false, collection: 'webhook_deliveries' },
);

const DeliveryModel = storeModel<DeliveryRecord>('WebhookDelivery', deliverySchema);

function view({ _id, ...rest }: DeliveryRecord): WebhookDelivery {
  return { webhookId: _id, ...rest, event: { ...rest.event, at: new Date(rest.event.at) } };
}

export interface AttemptOutcome {
  at: Date;
  statusCode?: number;
  error?: string;
  latencyMs: number;
  delivered: boolean;
}

export class WebhookDeliveries {
  /** Records deliveries about to start, in one write (a dispatcher round); ones already recorded (the dispatcher ran twice) are left as they are. */
  async openMany(inputs: { subscriptionId: string; event: WebhookEvent }[]): Promise<void> {
    const now = new Date();
    const records = inputs.map((input) => ({
      _id: webhookMessageId(input.subscriptionId, input.event.eventId),
      ...input,
      status: 'pending',
      attempts: 0,
      queuedAt: now,
      redeliveries: 0,
    }));
    if (records.length) {
      try {
        await DeliveryModel.insertMany(records, { ordered: false, lean: true });
      } catch (error) {
        const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
        if (!writeErrors?.length || !writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)) throw error;
      }
    }
  }

  async get(deliveryId: string): Promise<WebhookDelivery> {
    const record = await DeliveryModel.findById(deliveryId).lean();
    if (!record) throw new NotFoundError(`Webhook delivery ${deliveryId}`);
    return view(record);
  }

  async recordAttempt(deliveryId: string, outcome: AttemptOutcome): Promise<void> {
    await DeliveryModel.updateOne(
      { _id: deliveryId },
      {
        $inc: { attempts: 1 },
        $set: {
          lastAttemptAt: outcome.at,
          lastLatencyMs: outcome.latencyMs,
          lastStatusCode: outcome.statusCode ?? null,
          lastError: outcome.error?.slice(0, 500) ?? null,
          ...(outcome.delivered ? { status: 'delivered', deliveredAt: outcome.at } : {}),
        },
      },
    );
  }

  async markDead(deliveryId: string): Promise<void> {
    await DeliveryModel.updateOne({ _id: deliveryId }, { $set: { status: 'dead', deadAt: new Date() } });
  }

  /** A dead delivery back to pending for another round of attempts; refuses one that is not dead. */
  async reopen(deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await this.get(deliveryId);
    if (delivery.status !== 'dead') return delivery;
    await DeliveryModel.updateOne({ _id: deliveryId }, { $set: { status: 'pending' }, $inc: { redeliveries: 1 }, $unset: { deadAt: 1 } });
    return this.get(deliveryId);
  }

  /** Admin listings: scans, which is fine for a page an admin opens (see BY_ID_ONLY in store/connection.ts). */
  async list(filter: {
    status?: WebhookDeliveryStatus;
    subscriptionId?: string;
    processId?: string;
    limit: number;
  }): Promise<WebhookDelivery[]> {
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.subscriptionId) query.subscriptionId = filter.subscriptionId;
    if (filter.processId) query['event.processId'] = filter.processId;
    const records = await DeliveryModel.find(query).sort({ queuedAt: -1 }).limit(filter.limit).lean();
    return records.map(view);
  }
}
