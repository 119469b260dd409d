import { storeModel } from '../../store/storeModel';
import { createHash, randomBytes } from 'node:crypto';
import { Schema } from 'mongoose';
import type { AesGcmPayloadCodec } from '../../common/payloadCodec';
import { loadPayloadCodec } from '../../common/payloadKeys';
import type { SinettiConfig } from '../../config/config';
import { openSecret, type SealedSecret, sealSecret } from '../../store/sealedSecrets';

/**
 * The Suomi.fi Messages system user's password, kept in the store so every
 * worker uses the same one and a rotation reaches all of them without a
 * restart. Encrypted with the payload keys. A rotation writes the new
 * password as *pending* before it asks the service to change, and promotes
 * it to *current* after the service accepted: at any crash point one of
 * the two is the password the service knows, and `passwords()` offers
 * both (current first), so sending keeps working.
 *
 * Before the first rotation nothing is stored and the configured password
 * is current. Keyed by the service URL and username, so two accounts (or
 * two simulators in tests) never share a record.
 */

interface CredentialsRecord {
  _id: string;
  current?: SealedSecret;
  pending?: SealedSecret;
  pendingSince?: Date;
  rotatedAt?: Date;
  rotations: number;
}

const credentialsSchema = new Schema<CredentialsRecord>(
  {
    _id: { type: String, required: true },
    current: { keyId: String, data: String },
    pending: { keyId: String, data: String },
    pendingSince: Date,
    rotatedAt: Date,
    rotations: { type: Number, required: true },
  },
  { versionKey: false, collection: 'suomifi_messages_credentials' },
);

const CredentialsModel = storeModel<CredentialsRecord>('SuomifiMessagesCredentials', credentialsSchema);

export interface CredentialsStatus {
  rotatedAt?: Date;
  rotations: number;
  pendingSince?: Date;
}

/** A new password: 32 random bytes in base64url, well over the service's minimum length. */
export function newMessagesPassword(): string {
  return randomBytes(32).toString('base64url');
}

export class MessagesCredentials {
  private readonly key: string;

  private readonly configuredPassword: string;

  constructor(
    private readonly codec: AesGcmPayloadCodec,
    account: { url: string; username: string; configuredPassword: string },
  ) {
    this.key = `suomifi-messages/${createHash('sha256').update(`${account.url}\n${account.username}`).digest('hex').slice(0, 24)}`;
    this.configuredPassword = account.configuredPassword;
  }

  /** The passwords to try, current first; the pending one too while a rotation is under way. */
  async passwords(): Promise<string[]> {
    const record = await CredentialsModel.findById(this.key).lean();
    const current = record?.current?.data ? await openSecret(this.codec, record.current) : this.configuredPassword;
    const pending = record?.pending?.data ? await openSecret(this.codec, record.pending) : undefined;
    return pending ? [current, pending] : [current];
  }

  /** Stores a new password as pending, unless one is pending already (a rotation that crashed), which is kept: the service may know it. */
  async preparePending(): Promise<void> {
    const record = await CredentialsModel.findById(this.key).lean();
    if (record?.pending?.data) return;
    const pending = await sealSecret(this.codec, newMessagesPassword());
    await CredentialsModel.updateOne(
      { _id: this.key },
      { $set: { pending, pendingSince: new Date() }, $setOnInsert: { rotations: 0 } },
      { upsert: true },
    );
  }

  /** The current and pending passwords, for the change call only. */
  async rotationPair(): Promise<{ current: string; pending: string }> {
    const [current, pending] = await this.passwords();
    if (!pending) throw new Error('No pending password to change to: prepare one first');
    return { current, pending };
  }

  /** The service accepted the pending password: it becomes current. Nothing pending is a repeat, and changes nothing. */
  async promotePending(): Promise<void> {
    const record = await CredentialsModel.findById(this.key).lean();
    if (!record?.pending?.data) return;
    await CredentialsModel.updateOne(
      { _id: this.key },
      {
        $set: { current: record.pending, rotatedAt: new Date() },
        $unset: { pending: 1, pendingSince: 1 },
        $inc: { rotations: 1 },
      },
    );
  }

  /** The service refused the pending password (too weak, say): forget it, current stays. */
  async discardPending(): Promise<void> {
    await CredentialsModel.updateOne({ _id: this.key }, { $unset: { pending: 1, pendingSince: 1 } });
  }

  async status(): Promise<CredentialsStatus> {
    const record = await CredentialsModel.findById(this.key).lean();
    return {
      rotations: record?.rotations ?? 0,
      ...(record?.rotatedAt ? { rotatedAt: record.rotatedAt } : {}),
      ...(record?.pendingSince ? { pendingSince: record.pendingSince } : {}),
    };
  }
}

/** The credentials of the account the configuration names. */
export function messagesCredentialsFor(config: SinettiConfig): MessagesCredentials {
  const { url, username, password } = config.officialMail.messages;
  return new MessagesCredentials(loadPayloadCodec(config), { url, username, configuredPassword: password });
}
