import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { createWebhookReceiver, type WebhookReceiver } from '../examples/webhook-receiver/receiver';

/**
 * A webhook receiver for benchmarks: the example receiver (signature
 * checked, ids deduplicated) subscribed through the admin API, noting for
 * each event how long it took from the event's time to arrival.
 */

export interface WebhookProbeResult {
  received: number;
  duplicates: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}
export interface WebhookProbe {
  finish(expected: number, timeoutMs: number): Promise<WebhookProbeResult>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export async function startWebhookProbe(apiUrl: string, eventTypes: string[]): Promise<WebhookProbe> {
  const delays: number[] = [];
  const arrivals: number[] = [];
  // eslint-disable-next-line prefer-const -- the server below answers 503 until the receiver exists
  let receiver: WebhookReceiver | undefined;
  const server = http.createServer((req, res) => {
    if (!receiver) {
      res.statusCode = 503;
      res.end();
      return;
    }
    receiver.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const response = await fetch(`${apiUrl}/api/admin/webhooks/subscriptions`, {
    method: 'POST',
    headers: { Authorization: 'Bearer dev-admin-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, eventTypes }),
  });
  if (response.status !== 201) throw new Error(`webhook subscription: ${response.status} ${await response.text()}`);
  const { secret, subscription } = (await response.json()) as { secret: string; subscription: { subscriptionId: string } };
  receiver = createWebhookReceiver({
    secret,
    onEvent: (event) => {
      const now = Date.now();
      arrivals.push(now);
      delays.push(now - Date.parse(event.timestamp));
    },
  });
  // The audit hook trusts its list of subscribed types for 2 s: events from before then are not expected.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  return {
    async finish(expected, timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (receiver.received.length < expected && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
      await fetch(`${apiUrl}/api/admin/webhooks/subscriptions/${subscription.subscriptionId}`, {
        method: 'DELETE',
        headers: { Authorization: 'Bearer dev-admin-token' },
      });
      server.closeAllConnections();
      server.close();
      const sorted = [...delays].sort((a, b) => a - b);
      const spanSeconds = arrivals.length > 1 ? (arrivals[arrivals.length - 1] - arrivals[0]) / 1000 : NaN;
      return {
        received: receiver.received.length,
        duplicates: receiver.duplicates,
        perSecond: arrivals.length / spanSeconds,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted[sorted.length - 1] ?? NaN,
      };
    },
  };
}
