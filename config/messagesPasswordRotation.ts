import { z } from 'zod';

/**
 * How often the Suomi.fi Messages password is rotated by its Temporal
 * Schedule. DVV asks system users to change it at least yearly; the
 * default is every 180 days. 0 turns the schedule off (rotate by hand
 * through the admin API).
 */
const environment = z.object({
  SUOMIFI_PASSWORD_ROTATION_INTERVAL_HOURS: z.coerce
    .number()
    .nonnegative()
    .default(180 * 24),
});

export interface MessagesPasswordRotationConfig {
  intervalMs: number;
}

export function loadMessagesPasswordRotationConfig(env: NodeJS.ProcessEnv): MessagesPasswordRotationConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success)
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { intervalMs: Math.round(parsed.data.SUOMIFI_PASSWORD_ROTATION_INTERVAL_HOURS * 3600_000) };
}
