import { testConfig } from './testStack';

/** Reads what really reached the SMTP server, through MailDev's REST API. */
export interface ReceivedMail {
  id: string;
  subject: string;
  to: { address: string; name?: string }[];
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments?: { fileName: string; contentType: string; length: number; generatedFileName?: string }[];
}

function inboxUrl(): string {
  return process.env.MAIL_WEB_URL ?? `http://127.0.0.1:${testConfig().smtp.webPort}`;
}

export async function allMail(): Promise<ReceivedMail[]> {
  const response = await fetch(`${inboxUrl()}/email`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  return (await response.json()) as ReceivedMail[];
}

export async function mailTo(address: string): Promise<ReceivedMail[]> {
  return (await allMail()).filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()));
}

export async function waitForMail(address: string, count: number, timeoutMs = 20_000): Promise<ReceivedMail[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailTo(address);
    if (mails.length >= count || Date.now() > until) return mails;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function attachment(mail: ReceivedMail, name: string): Promise<Buffer> {
  const response = await fetch(`${inboxUrl()}/email/${mail.id}/attachment/${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status} for attachment ${name}`);
  return Buffer.from(await response.arrayBuffer());
}
