import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { backOff } from 'exponential-backoff';
import nodemailer, { type Transporter } from 'nodemailer';
import { type MailOutbox, StoredMailOutbox } from './mailOutbox';
import { type Language, renderMail, type TemplateData, type TemplateName } from './templates';

/**
 * Sends templated mail at most once per idempotency key (workflow id +
 * activity id). The outbox row is claimed before the SMTP call, so a retried
 * activity that finds a sent row returns without sending. Once SMTP has
 * accepted the mail, marking the row sent is retried for a while (with
 * backoff, heartbeating) rather than failing the activity, whose retry would
 * send the mail again: a store restarting in that window (the chaos run's one
 * duplicated mail) no longer sends twice. Only a worker that dies in the
 * middle of the SMTP call, or a store down for longer than that, leaves the
 * row 'sending'; the retry then sends again under the same Message-ID, which
 * mail clients treat as one message.
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

export interface MailSender {
  send(mail: OutgoingMail): Promise<SendResult>;
  verify(): Promise<boolean>;
  /** Whether mail under this key has gone out (so a retried step does not issue a second link). */
  wasSent(idempotencyKey: string): Promise<boolean>;
}

/** How long marking a sent mail is retried: past a store's restart, inside the shortest mail activity's 30 s timeout. */
const MARK_SENT_RETRY_MS = 20_000;

export class Mailer implements MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly outbox: MailOutbox = new StoredMailOutbox(),
    private readonly markSentRetryMs = MARK_SENT_RETRY_MS,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl, { pool: true, maxConnections: 4 } as object);
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    const messageId = `<${createHash('sha256').update(mail.idempotencyKey).digest('hex').slice(0, 32)}@sinetti>`;
    const claimed = await this.outbox.claim({ key: mail.idempotencyKey, messageId, template: mail.template });
    if (!claimed) return { messageId, alreadySent: true };
    let data = mail.data;
    if (mail.link) {
      let token = claimed.linkToken;
      if (!token) {
        token = await mail.link.issue();
        await this.outbox.keepLinkToken(mail.idempotencyKey, token);
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

  /** After SMTP accepted the mail. A worker that dies before this ends leaves the row 'sending' (see the class comment). */
  protected async markSent(idempotencyKey: string): Promise<void> {
    const giveUpAt = Date.now() + this.markSentRetryMs;
    await backOff(() => this.outbox.markSent(idempotencyKey), {
      numOfAttempts: Number.MAX_SAFE_INTEGER,
      startingDelay: 250,
      maxDelay: 4_000,
      jitter: 'full',
      retry: () => {
        heartbeatIfInActivity();
        return Date.now() < giveUpAt;
      },
    });
  }

  async verify(): Promise<boolean> {
    try {
      return await this.transport.verify();
    } catch {
      return false;
    }
  }

  async wasSent(idempotencyKey: string): Promise<boolean> {
    return this.outbox.wasSent(idempotencyKey);
  }

  close(): void {
    this.transport.close();
  }
}

/** The API sends mail too, outside any activity; inside one, a long wait tells Temporal the worker is alive. */
function heartbeatIfInActivity(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat();
}
