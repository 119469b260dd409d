import { z } from 'zod';

/**
 * Webhook delivery settings. The retry schedule is Temporal's exponential
 * backoff: the first retry after `initialRetryMs`, each wait doubling up to
 * `maxRetryIntervalMs`, until `giveUpAfterMs` has passed since the first
 * attempt; then the delivery is dead-lettered. The defaults keep trying for
 * three days and a bit (a receiver down over a long weekend still gets its
 * events); tests shrink the schedule to seconds.
 */
const environment = z.object({
  WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().positive().default(30_000),
  WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 3600_000),
  WEBHOOK_GIVE_UP_AFTER_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(73 * 3600_000),
  /** One POST's limit: a receiver that takes longer is treated as failed and retried. */
  WEBHOOK_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How often the dispatcher looks at the outbox when it found it empty. */
  WEBHOOK_OUTBOX_POLL_MS: z.coerce.number().int().positive().default(250),
  /** How often the stuck list is compared with the last look, for the process.stuck / process.recovered events. */
  WEBHOOK_STUCK_WATCH_MS: z.coerce.number().int().positive().default(300_000),
});

export interface WebhookConfig {
  retry: { initialMs: number; maxIntervalMs: number; giveUpAfterMs: number };
  requestTimeoutMs: number;
  outboxPollMs: number;
  stuckWatchMs: number;
}

export function loadWebhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    retry: {
      initialMs: e.WEBHOOK_RETRY_INITIAL_MS,
      maxIntervalMs: e.WEBHOOK_RETRY_MAX_INTERVAL_MS,
      giveUpAfterMs: e.WEBHOOK_GIVE_UP_AFTER_MS,
    },
    requestTimeoutMs: e.WEBHOOK_REQUEST_TIMEOUT_MS,
    outboxPollMs: e.WEBHOOK_OUTBOX_POLL_MS,
    stuckWatchMs: e.WEBHOOK_STUCK_WATCH_MS,
  };
}
