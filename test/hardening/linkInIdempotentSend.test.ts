import { randomUUID } from 'node:crypto';
import { ParticipantLinks } from '../../links/signerLinks';
import { Mailer, type OutgoingMail } from '../../mail/mailer';
import { OutboxModel } from '../../mail/mailOutbox';
import { mailTo, waitForMail } from '../support/mailbox';
import { testConfig } from '../support/testStack';
import { connectStore, disconnectStore } from '../../store/connection';

/**
 * A worker that died after SMTP accepted an invitation, but before the outbox
 * row said "sent", issued a new link on its retry and revoked the one in the
 * signer's inbox (and the resent mail, under the same Message-ID, is shown as
 * the first). The link is now part of the idempotent send.
 */

/** The worker's death in that window: SMTP has the mail, the row still says "sending". */
class DiesAfterSmtp extends Mailer {
  protected override async markSent(): Promise<void> {
    throw new Error('the worker died here');
  }
}

const config = testConfig();
beforeAll(async () => {
  await connectStore(config.mongodb.uri);
});
afterAll(async () => {
  await disconnectStore();
});

it('a retry after SMTP accepted the invitation mails the same link, which still opens', async () => {
  const links = new ParticipantLinks();
  const processId = `link-send-${randomUUID()}`;
  const to = `signer-${randomUUID().slice(0, 8)}@example.test`;
  let issued = 0;
  const mail: OutgoingMail = {
    idempotencyKey: `${processId}/invite`,
    to,
    language: 'fi',
    template: 'signatureInvitation',
    data: { organization: 'Esimerkkilän kunta', recipientName: 'Maija Meikäläinen', documentTitle: 'Työsopimus' },
    link: {
      issue: () => {
        issued++;
        return links.issue({ processId, participantId: 'signer-1', purpose: 'sign', expiresAt: new Date(Date.now() + 86_400_000) });
      },
      url: (token) => `http://127.0.0.1/s/${token}?lang=fi`,
    },
  };
  const dying = new DiesAfterSmtp(config.smtp.url, config.smtp.from);
  await expect(dying.send(mail)).rejects.toThrow('the worker died here');
  dying.close();
  const [delivered] = await waitForMail(to, 1);
  const token = /\/s\/([\w-]+)\?lang=fi/.exec(delivered.text)![1];

  const retry = new Mailer(config.smtp.url, config.smtp.from);
  expect((await retry.send(mail)).alreadySent).toBe(false);
  expect((await retry.send(mail)).alreadySent).toBe(true);
  retry.close();
  const mails = await waitForMail(to, 2);
  expect(mails.map((m) => /\/s\/([\w-]+)\?lang=fi/.exec(m.text)![1])).toEqual([token, token]);
  expect(issued).toBe(1);
  await expect(links.resolve(token)).resolves.toMatchObject({ processId, participantId: 'signer-1' });
  // Once sent, the outbox row no longer holds the token: the store keeps only hashes of live links.
  expect((await OutboxModel.findById(mail.idempotencyKey).lean())?.linkToken).toBeUndefined();
  expect(await mailTo(to)).toHaveLength(2);
});
