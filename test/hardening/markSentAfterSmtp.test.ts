import { randomUUID } from 'node:crypto';
import { Mailer, type OutgoingMail } from '../../mail/mailer';
import { OutboxModel, StoredMailOutbox } from '../../mail/mailOutbox';
import { connectStore, disconnectStore } from '../../store/connection';
import { mailTo, waitForMail } from '../support/mailbox';
import { testConfig } from '../support/testStack';

/**
 * The chaos run's one duplicated mail: SMTP accepted it, FerretDB was killed
 * before the outbox row said "sent", the activity failed and its retry sent
 * the mail again. Here the real outbox sits behind a store that is down for
 * the first few "mark sent" writes after the real SMTP server (MailDev) took
 * the mail; the shared store itself cannot be killed.
 */

/** The store restarting right after the send: the first `failures` writes of "sent" fail as a lost connection does. */
class StoreDownAfterSend extends StoredMailOutbox {
  markSentCalls = 0;
  constructor(private readonly failures: number) {
    super();
  }
  override async markSent(key: string): Promise<void> {
    this.markSentCalls++;
    if (this.markSentCalls <= this.failures)
      throw Object.assign(new Error('connection to 127.0.0.1:27117 closed'), { name: 'MongoNetworkError' });
    await super.markSent(key);
  }
}

const config = testConfig();
beforeAll(async () => {
  await connectStore(config.mongodb.uri);
});
afterAll(async () => {
  await disconnectStore();
});

function completedMail(to: string): OutgoingMail {
  return {
    idempotencyKey: `mark-sent-${randomUUID()}/completed`,
    to,
    language: 'fi',
    template: 'processCompleted',
    data: { organization: 'Esimerkkilän kunta', recipientName: 'Maija Meikäläinen', documentTitle: 'Työsopimus' },
  };
}

/** What Temporal does with a mail activity: a failed attempt is run again under the same key. */
async function sendAsRetriedActivity(mailer: Mailer, mail: OutgoingMail): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      await mailer.send(mail);
      return attempt;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

it('keeps marking the row sent while the store is down after SMTP accepted, so the retried activity does not send it again', async () => {
  const to = `mark-sent-${randomUUID().slice(0, 8)}@example.test`;
  const mail = completedMail(to);
  const outbox = new StoreDownAfterSend(3);
  const mailer = new Mailer(config.smtp.url, config.smtp.from, outbox);
  try {
    expect(await sendAsRetriedActivity(mailer, mail)).toBe(1);
    expect(outbox.markSentCalls).toBe(4);
    expect(await OutboxModel.findById(mail.idempotencyKey).lean()).toMatchObject({ state: 'sent', sentAt: expect.any(Date) });
    // A later retry of the same step (the worker died after the row was written) finds it sent and does not send.
    expect(await mailer.send(mail)).toMatchObject({ alreadySent: true });
  } finally {
    mailer.close();
  }
  await waitForMail(to, 2, 3_000);
  expect(await mailTo(to)).toHaveLength(1);
});

it('gives up after its bounded time when the store stays down, and the retry then sends under the same Message-ID', async () => {
  const to = `mark-sent-${randomUUID().slice(0, 8)}@example.test`;
  const mail = completedMail(to);
  const outbox = new StoreDownAfterSend(Number.MAX_SAFE_INTEGER);
  const mailer = new Mailer(config.smtp.url, config.smtp.from, outbox, 1_500);
  const startedAt = Date.now();
  try {
    await expect(mailer.send(mail)).rejects.toThrow('closed');
  } finally {
    mailer.close();
  }
  expect(Date.now() - startedAt).toBeLessThan(10_000);
  expect(outbox.markSentCalls).toBeGreaterThan(1);
  expect((await OutboxModel.findById(mail.idempotencyKey).lean())?.state).toBe('sending');
  const retry = new Mailer(config.smtp.url, config.smtp.from);
  try {
    expect(await retry.send(mail)).toMatchObject({ alreadySent: false });
  } finally {
    retry.close();
  }
  const mails = await waitForMail(to, 2);
  expect(mails).toHaveLength(2);
  expect(new Set(mails.map((m) => m.headers['message-id'])).size).toBe(1);
});
