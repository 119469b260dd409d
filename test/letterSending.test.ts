import type { LetterActivityDeps } from '../activities/letterActivities';
import { ATTACHMENT_REUSE_MS, createLetterSending } from '../activities/letterSending';
import { SuomifiMessagesClient } from '../integrations/suomifiMessages/messagesClient';
import { samplePdf } from './support/samplePdf';
import { testConfig } from './support/testStack';

/**
 * A batch's shared PDF goes to Suomi.fi Messages once and its attachment is
 * reused, but never near the service's 24 hours: after 20 hours it is
 * uploaded again. Against the simulator, with the clock moved by hand.
 */
it("uploads a shared PDF once, and again once the attachment nears the service's 24-hour limit", async () => {
  const config = testConfig();
  const mail = config.officialMail;
  const messages = new SuomifiMessagesClient({
    baseUrl: mail.messages.url,
    username: mail.messages.username,
    password: mail.messages.password,
    timeoutMs: mail.messages.timeoutMs,
  });
  let clock = Date.now();
  const sending = createLetterSending({ messages, config: mail } as unknown as LetterActivityDeps, () => clock);
  const pdf = { bytes: await samplePdf(1, 'Tiedote'), fileName: 'tiedote.pdf', size: 0, sha256: '', pageSizes: [] };
  const first = await sending.sharedAttachment('version-1', pdf);
  expect(await sending.sharedAttachment('version-1', pdf)).toBe(first);
  clock += ATTACHMENT_REUSE_MS - 60_000;
  expect(await sending.sharedAttachment('version-1', pdf)).toBe(first);

  clock += 120_000; // past 20 hours: a fresh attachment, well inside the service's 24
  const second = await sending.sharedAttachment('version-1', pdf);
  expect(second).not.toBe(first);
  expect(ATTACHMENT_REUSE_MS).toBeLessThan(24 * 60 * 60 * 1000);
});
