import { storeModel } from '../store/storeModel';
import { Schema } from 'mongoose';
import { isDuplicateKey } from '../store/keyedWrites';

/**
 * The mail outbox: one row per idempotency key, claimed before the SMTP call
 * and marked sent after it. Behind an interface so a test can put a store in
 * front of the real one that fails where a crash or an outage would.
 */
export interface MailOutbox {
  /** The row to send under: a new one, or one left 'sending' by an earlier attempt (with the link it issued); undefined once sent. */
  claim(row: { key: string; messageId: string; template: string }): Promise<{ linkToken?: string } | undefined>;
  /** Keeps the link issued for this mail until it is sent, so a retry mails the same one. */
  keepLinkToken(key: string, token: string): Promise<void>;
  /** SMTP accepted the mail: the row says so, and the token is dropped (the store keeps only hashes of live links). */
  markSent(key: string): Promise<void>;
  wasSent(key: string): Promise<boolean>;
}

interface OutboxRecord {
  _id: string;
  key: string;
  state: 'sending' | 'sent';
  messageId: string;
  template: string;
  claimedAt: Date;
  sentAt?: Date;
  linkToken?: string;
}

// Keyed by the idempotency key: see BY_ID_ONLY in store/connection.ts.
const outboxSchema = new Schema<OutboxRecord>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    state: { type: String, required: true },
    messageId: { type: String, required: true },
    template: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    sentAt: Date,
    linkToken: String,
  },
  { versionKey: false, collection: 'mail_outbox' },
);

export const OutboxModel = storeModel<OutboxRecord>('MailOutbox', outboxSchema);

export class StoredMailOutbox implements MailOutbox {
  async claim(row: { key: string; messageId: string; template: string }): Promise<{ linkToken?: string } | undefined> {
    try {
      await OutboxModel.create({ _id: row.key, ...row, state: 'sending', claimedAt: new Date() });
      return {};
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await OutboxModel.findById(row.key).lean();
      return existing?.state === 'sent' ? undefined : { linkToken: existing?.linkToken };
    }
  }

  async keepLinkToken(key: string, token: string): Promise<void> {
    await OutboxModel.updateOne({ _id: key }, { $set: { linkToken: token } });
  }

  async markSent(key: string): Promise<void> {
    await OutboxModel.updateOne({ _id: key }, { $set: { state: 'sent', sentAt: new Date() }, $unset: { linkToken: 1 } });
  }

  async wasSent(key: string): Promise<boolean> {
    return (await OutboxModel.findById(key).lean())?.state === 'sent';
  }
}
