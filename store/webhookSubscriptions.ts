import { storeModel } from './storeModel';
import { randomBytes } from 'node:crypto';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import { openSecret, type SealedSecret, sealSecret } from './sealedSecrets';
import type { AesGcmPayloadCodec } from '../common/payloadCodec';
import type { WebhookEventTypeName } from '../integrations/webhooks/eventTypes';

/**
 * Admins' webhook subscriptions: where to POST, which event types, and
 * the signing secret. The secret must be at hand to sign every message,
 * so it cannot be hashed: it is kept encrypted with the payload keys
 * (common/payloadKeys.ts), which also gives it their key rotation, and
 * shown in plain text once, when it is made.
 */

export interface WebhookSubscription {
  subscriptionId: string;
  url: string;
  eventTypes: WebhookEventTypeName[];
  description?: string;
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

interface SubscriptionRecord extends Omit<WebhookSubscription, 'subscriptionId'> {
  _id: string;
  /** The secret, encrypted with the payload keys (store/sealedSecrets.ts). */
  secret: SealedSecret;
}

const subscriptionSchema = new Schema<SubscriptionRecord>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [String], required: true },
    description: String,
    active: { type: Boolean, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    secret: { keyId: { type: String, required: true }, data: { type: String, required: true } },
  },
  { versionKey: false, collection: 'webhook_subscriptions' },
);

const SubscriptionModel = storeModel<SubscriptionRecord>('WebhookSubscription', subscriptionSchema);

function publicView(record: SubscriptionRecord): WebhookSubscription {
  const { _id, url, eventTypes, description, active, createdBy, createdAt } = record;
  return { subscriptionId: _id, url, eventTypes, ...(description ? { description } : {}), active, createdBy, createdAt };
}

/** Event types some active subscription wants, as the audit hook last read them; cleared when a subscription changes here. */
let subscribedTypesCache: { types: Set<string>; readAt: number } | undefined;

export class WebhookSubscriptions {
  constructor(private readonly codec: AesGcmPayloadCodec) {}

  /** Makes a subscription with a new secret; the secret is returned this once and never again. */
  async create(input: {
    url: string;
    eventTypes: WebhookEventTypeName[];
    description?: string;
    createdBy: string;
  }): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const record: SubscriptionRecord = {
      _id: `whsub_${randomBytes(12).toString('base64url')}`,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      ...(input.description ? { description: input.description } : {}),
      active: true,
      createdBy: input.createdBy,
      createdAt: new Date(),
      secret: await sealSecret(this.codec, secret),
    };
    await SubscriptionModel.create(record);
    subscribedTypesCache = undefined;
    return { subscription: publicView(record), secret };
  }

  async get(subscriptionId: string): Promise<WebhookSubscription> {
    return publicView(await this.record(subscriptionId));
  }

  async list(): Promise<WebhookSubscription[]> {
    return (await SubscriptionModel.find().lean()).map(publicView).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async active(): Promise<WebhookSubscription[]> {
    return (await this.list()).filter((s) => s.active);
  }

  /** Stops new events from reaching the subscription; deliveries already under way finish or dead-letter as usual. */
  async deactivate(subscriptionId: string): Promise<void> {
    await this.record(subscriptionId);
    await SubscriptionModel.updateOne({ _id: subscriptionId }, { $set: { active: false } });
    subscribedTypesCache = undefined;
  }

  async secret(subscriptionId: string): Promise<string> {
    return openSecret(this.codec, (await this.record(subscriptionId)).secret);
  }

  private async record(subscriptionId: string): Promise<SubscriptionRecord> {
    const record = await SubscriptionModel.findById(subscriptionId).lean();
    if (!record) throw new NotFoundError(`Webhook subscription ${subscriptionId}`);
    return record;
  }
}

/**
 * The event types any active subscription wants, read at most once per
 * `maxAgeMs`: the audit hook asks on every write, and most writes have no
 * subscriber. A subscription made in another process is seen within that time.
 */
export async function subscribedEventTypes(maxAgeMs: number): Promise<Set<string>> {
  const now = Date.now();
  if (subscribedTypesCache && now - subscribedTypesCache.readAt <= maxAgeMs) return subscribedTypesCache.types;
  const records = await SubscriptionModel.find({}, { eventTypes: 1, active: 1 }).lean();
  const types = new Set(records.filter((r) => r.active).flatMap((r) => r.eventTypes));
  subscribedTypesCache = { types, readAt: now };
  return types;
}
