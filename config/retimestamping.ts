import { z } from 'zod';

/**
 * When archived documents get a fresh document timestamp: a Schedule looks
 * every `intervalHours` for documents whose newest document timestamp's TSA
 * certificate expires within `marginDays`. 180 days leaves time to notice
 * and fix a TSA outage long before any proof lapses. An interval of 0
 * turns the Schedule off (renew by hand through the admin API).
 */
const environment = z.object({
  SINETTI_RETIMESTAMP_MARGIN_DAYS: z.coerce.number().nonnegative().default(180),
  SINETTI_RETIMESTAMP_INTERVAL_HOURS: z.coerce.number().nonnegative().default(24),
});

export interface RetimestampingConfig {
  marginMs: number;
  intervalMs: number;
}

export function loadRetimestampingConfig(env: NodeJS.ProcessEnv): RetimestampingConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success)
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    marginMs: Math.round(parsed.data.SINETTI_RETIMESTAMP_MARGIN_DAYS * 24 * 3600_000),
    intervalMs: Math.round(parsed.data.SINETTI_RETIMESTAMP_INTERVAL_HOURS * 3600_000),
  };
}
