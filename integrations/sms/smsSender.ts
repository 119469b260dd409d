/**
 * Text messages to people's phones, for one-time codes. One small interface:
 * a real operator's gateway plugs in here later; the simulator is what runs
 * locally and in tests.
 */
export interface SmsMessage {
  /** The same key for a retry of the same message: a gateway sends it once. */
  idempotencyKey: string;
  /** E.164, e.g. +358401234567. */
  to: string;
  text: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/**
 * Keeps what would have been sent, for tests and for a developer reading the
 * console. It prints the message with the number masked: logs never carry
 * phone numbers, even in development.
 */
export class SimulatedSmsSender implements SmsSender {
  readonly sent: SmsMessage[] = [];

  constructor(private readonly print: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  async send(message: SmsMessage): Promise<void> {
    if (this.sent.some((m) => m.idempotencyKey === message.idempotencyKey)) return;
    this.sent.push(message);
    this.print(`[sms simulator] to ${maskPhone(message.to)}: ${message.text}`);
  }

  /** The messages to one number, oldest first. */
  to(phone: string): SmsMessage[] {
    const wanted = normalisePhone(phone);
    return this.sent.filter((m) => normalisePhone(m.to) === wanted);
  }
}

export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '');
  return digits.startsWith('0') ? `+358${digits.slice(1)}` : digits;
}

export function maskPhone(phone: string): string {
  const n = normalisePhone(phone);
  return `${n.slice(0, 4)}${'•'.repeat(Math.max(0, n.length - 7))}${n.slice(-3)}`;
}
