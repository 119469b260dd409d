import express, { type Express } from 'express';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * A small receiver of Sinetti's webhooks, as a case-management or HR
 * system would write one: it verifies each message's Standard Webhooks
 * signature over the raw body (and the timestamp, within 5 minutes),
 * refuses anything that does not verify, and handles each `webhook-id`
 * once, answering 2xx to repeats so Sinetti stops retrying them.
 *
 * Run it: WEBHOOK_SECRET=whsec_… PORT=4000 npx tsx examples/webhook-receiver/receiver.ts
 * and subscribe http://127.0.0.1:4000/webhooks through POST /api/admin/webhooks/subscriptions.
 * A real receiver keeps the seen ids in its database, next to what it
 * does with the event, so both survive a restart.
 */

export interface ReceivedWebhook {
  webhookId: string;
  type: string;
  timestamp: string;
  data: {
    eventId: string;
    processId: string;
    processType: string;
    participantId?: string;
    documentSha256?: string;
    links: { process: string };
  };
  receivedAt: Date;
}

export interface WebhookReceiver {
  app: Express;
  /** Each verified message once, in the order it arrived. */
  received: ReceivedWebhook[];
  /** Verified messages whose id had been seen: retries after a lost answer. */
  duplicates: number;
  /** Messages refused: bad or missing signature, or a stale timestamp. */
  rejected: number;
}

export function createWebhookReceiver(options: { secret: string; onEvent?: (event: ReceivedWebhook) => void }): WebhookReceiver {
  const verifier = new Webhook(options.secret);
  const seen = new Set<string>();
  const app = express();
  const receiver: WebhookReceiver = { app, received: [], duplicates: 0, rejected: 0 };

  // The signature covers the exact bytes sent: verify before parsing.
  app.post('/webhooks', express.raw({ type: 'application/json', limit: '256kb' }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let payload: Omit<ReceivedWebhook, 'webhookId' | 'receivedAt'>;
    try {
      payload = verifier.verify(body, {
        'webhook-id': req.get('webhook-id') ?? '',
        'webhook-timestamp': req.get('webhook-timestamp') ?? '',
        'webhook-signature': req.get('webhook-signature') ?? '',
      }) as typeof payload;
    } catch (error) {
      receiver.rejected += 1;
      const reason = error instanceof WebhookVerificationError ? error.message : 'not a valid webhook';
      res.status(401).json({ error: 'invalid_signature', message: reason });
      return;
    }
    const webhookId = req.get('webhook-id')!;
    if (seen.has(webhookId)) {
      receiver.duplicates += 1;
      res.status(200).json({ duplicate: true });
      return;
    }
    seen.add(webhookId);
    const event: ReceivedWebhook = { webhookId, ...payload, receivedAt: new Date() };
    receiver.received.push(event);
    options.onEvent?.(event);
    res.status(204).end();
  });
  return receiver;
}

if (require.main === module) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error('Set WEBHOOK_SECRET to the secret Sinetti showed when the subscription was made');
  const port = Number(process.env.PORT ?? 4000);
  const receiver = createWebhookReceiver({
    secret,
    onEvent: (event) => console.log(`${event.timestamp} ${event.type} ${event.data.processId} (${event.webhookId})`),
  });
  receiver.app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/webhooks`));
}
