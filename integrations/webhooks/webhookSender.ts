import { Webhook } from 'standardwebhooks';
import { httpCall, HttpTimeoutError } from '../httpCall';

/**
 * One signed POST in the Standard Webhooks format: `webhook-id`,
 * `webhook-timestamp` (the attempt's time, in unix seconds, which the
 * receiver checks against its clock) and `webhook-signature`, an
 * HMAC-SHA256 over "id.timestamp.body" made by the `standardwebhooks`
 * package. The answer is reported, never thrown: the caller decides.
 */

export interface WebhookAttempt {
  delivered: boolean;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

export async function sendWebhook(input: {
  url: string;
  secret: string;
  webhookId: string;
  body: string;
  timeoutMs: number;
  now?: Date;
}): Promise<WebhookAttempt> {
  const now = input.now ?? new Date();
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'Sinetti-Webhooks/1',
    'webhook-id': input.webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(input.secret).sign(input.webhookId, now, input.body),
  };
  const started = performance.now();
  try {
    const answer = await httpCall(input.url, { method: 'POST', headers, body: input.body, timeoutMs: input.timeoutMs });
    const latencyMs = Math.round(performance.now() - started);
    return answer.ok
      ? { delivered: true, statusCode: answer.status, latencyMs }
      : { delivered: false, statusCode: answer.status, error: `the receiver answered HTTP ${answer.status}`, latencyMs };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const reason = error instanceof HttpTimeoutError ? error.message : `no connection: ${(error as Error).message}`;
    return { delivered: false, error: reason, latencyMs };
  }
}
