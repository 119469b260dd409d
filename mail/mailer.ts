import { createHash } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import nodemailer, { type Transporter } from 'nodemailer';
import { isDuplicateKey } from '../store/keyedWrites';
import { type Language, renderMail, type TemplateData, type TemplateName } from './templates';

/**
 * Sends templated mail at most once per idempotency key (workflow id +
 * activity id). The outbox row is claimed before the SMTP call, so a retried
 * activity that finds a sent row returns without sending. If a worker dies in
 * the middle of the SMTP call, the retry sends again under the same
 * Message-ID, which mail clients treat as one message.
 *
 * A personal link is part of the send (`link`): it is issued once per key and
 * its token kept in the outbox row until the mail is marked sent, so a retry
 * after SMTP accepted the mail (but before the row said so) mails the same
 * link again instead of issuing a new one that would revoke the delivered
 * one. The token is then removed from the row: the store keeps only hashes of
 * live links.
 */

export interface OutgoingMail {
  idempotencyKey: string;
  to: string;
  language: Language;
  template: TemplateName;
  data: TemplateData;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** A personal link issued for this mail only: `issue` makes its token, `url` puts it into data.link. */
  link?: { issue(): Promise<string>; url(token: string): string };
}

export interface SendResult {
  messageId: string;
  alreadySent: boolean;
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

export const OutboxModel =
  (mongoose.models.MailOutbox as mongoose.Model<OutboxRecord>) ?? mongoose.model<OutboxRecord>('MailOutbox', outboxSchema);

export interface MailSender {
  send(mail: OutgoingMail): Promise<SendResult>;
  verify(): Promise<boolean>;
  /** Whether mail under this key has gone out (so a retried step does not issue a second link). */
  wasSent(idempotencyKey: string): Promise<boolean>;
}

export class Mailer implements MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl, { pool: true, maxConnections: 4 } as object);
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    const messageId = `<${createHash('sha256').update(mail.idempotencyKey).digest('hex').slice(0, 32)}@sinetti>`;
    const claimed = await this.claim(mail, messageId);
    if (!claimed) return { messageId, alreadySent: true };
    let data = mail.data;
    if (mail.link) {
      let token = claimed.linkToken;
      if (!token) {
        token = await mail.link.issue();
        await OutboxModel.updateOne({ _id: mail.idempotencyKey }, { $set: { linkToken: token } });
      }
      data = { ...data, link: mail.link.url(token) };
    }
    const rendered = renderMail(mail.template, mail.language, data);
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId,
      headers: { 'X-Sinetti-Idempotency-Key': mail.idempotencyKey },
      attachments: mail.attachments,
    });
    await this.markSent(mail.idempotencyKey);
    return { messageId, alreadySent: false };
  }

  /** After SMTP accepted the mail. A worker that dies before this line leaves the row 'sending' (see the class comment). */
  protected async markSent(idempotencyKey: string): Promise<void> {
    await OutboxModel.updateOne({ _id: idempotencyKey }, { $set: { state: 'sent', sentAt: new Date() }, $unset: { linkToken: 1 } });
  }

  /** The row to send under: a new one, or one left 'sending' by a crashed attempt (with the link it issued); undefined once sent. */
  private async claim(mail: OutgoingMail, messageId: string): Promise<{ linkToken?: string } | undefined> {
    try {
      await OutboxModel.create({
        _id: mail.idempotencyKey,
        key: mail.idempotencyKey,
        state: 'sending',
        messageId,
        template: mail.template,
        claimedAt: new Date(),
      });
      return {};
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await OutboxModel.findById(mail.idempotencyKey).lean();
      return existing?.state === 'sent' ? undefined : { linkToken: existing?.linkToken };
    }
  }

  async verify(): Promise<boolean> {
    try {
      return await this.transport.verify();
    } catch {
      return false;
    }
  }

  async wasSent(idempotencyKey: string): Promise<boolean> {
    return (await OutboxModel.findById(idempotencyKey).lean())?.state === 'sent';
  }

  close(): void {
    this.transport.close();
  }
}
