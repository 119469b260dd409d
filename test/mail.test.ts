import { randomUUID } from 'node:crypto';
import { Mailer } from '../mail/mailer';
import { LANGUAGES, renderMail } from '../mail/templates';
import { connectStore, disconnectStore } from '../store/connection';
import { waitForMail, mailTo } from './support/mailbox';
import { testConfig } from './support/testStack';

const config = testConfig();
const mailer = new Mailer(config.smtp.url, config.smtp.from);

beforeAll(async () => {
  await connectStore(config.mongodb.uri);
});
afterAll(async () => {
  mailer.close();
  await disconnectStore();
});

describe('mailer against the real SMTP server', () => {
  it('delivers a templated mail with its link and sends it once per idempotency key', async () => {
    const to = `${randomUUID()}@example.test`;
    const key = `wf-${randomUUID()}/activity-1`;
    const mail = {
      idempotencyKey: key,
      to,
      language: 'fi' as const,
      template: 'signatureInvitation' as const,
      data: {
        organization: 'Esimerkkilän kunta',
        recipientName: 'Maija Meikäläinen',
        documentTitle: 'Työsopimus',
        link: 'http://127.0.0.1/s/abc',
        deadline: new Date('2026-12-01T10:00:00Z'),
      },
    };
    const first = await mailer.send(mail);
    const retry = await mailer.send(mail);
    expect(first.alreadySent).toBe(false);
    expect(retry.alreadySent).toBe(true);
    const received = await waitForMail(to, 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailTo(to)).toHaveLength(1);
    expect(received[0].subject).toBe('Allekirjoituspyyntö: Työsopimus');
    expect(received[0].text).toContain('http://127.0.0.1/s/abc');
    expect(received[0].text).toContain('Maija Meikäläinen');
    expect(received[0].headers['x-sinetti-idempotency-key']).toBe(key);
  });

  it('has every template in Finnish, Swedish and English, each different', () => {
    const data = {
      organization: 'Kunta',
      recipientName: 'A',
      documentTitle: 'T',
      link: 'http://x',
      reason: '123456',
      deadline: new Date(),
    };
    for (const template of ['signatureInvitation', 'signatureReminder', 'processCompleted', 'processEnded', 'oneTimeCode'] as const) {
      const subjects = LANGUAGES.map((language) => renderMail(template, language, data).subject);
      expect(new Set(subjects).size).toBe(3);
    }
    expect(renderMail('signatureInvitation', 'sv', data).html).toContain('lang="sv"');
  });

  it('escapes what people typed before it goes into HTML', () => {
    const html = renderMail('processEnded', 'en', {
      organization: 'K',
      recipientName: '<script>x</script>',
      documentTitle: 'T',
      reason: '"><img>',
    }).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    // The renderer escapes "<", "&" and quotes; a lone ">" in text cannot open a tag, so it is left as it is.
    expect(html).toContain('&lt;script>x&lt;/script>');
  });
});
