import { z } from 'zod';

/**
 * How the API protects itself over HTTP: the rate limits per kind of
 * request, which proxies may say who the client is, and who may read
 * /metrics. Each limit is `hits/seconds` per client address.
 */
export type RateLimitFamily = 'forms' | 'links' | 'codes' | 'signIn' | 'codec' | 'deepHealth';
export interface RateLimit {
  limit: number;
  windowMs: number;
}

const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((spec, ctx): RateLimit => {
      const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
      if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: `expected hits/seconds such as 10/900, got "${spec}"` });
        return z.NEVER;
      }
      return { limit: Number(match[1]), windowMs: Number(match[2]) * 1000 };
    });

const environment = z.object({
  /** Public form submissions per address. */
  RATE_LIMIT_FORMS: rateLimit('10/900'),
  /** Requests to personal-link pages (/s/, /m/, /hakemus/, /api/applicant/) per address; a page with its images is ~30. */
  RATE_LIMIT_LINKS: rateLimit('300/60'),
  /** One-time code requests per address (each sends a mail or a text message). */
  RATE_LIMIT_CODES: rateLimit('10/3600'),
  /** Failed staff sign-ins (wrong token) per address; past it, even the right token waits for the window. */
  RATE_LIMIT_SIGN_IN: rateLimit('20/900'),
  /** Codec calls per address (the Temporal Web UI decodes each page of payloads). */
  RATE_LIMIT_CODEC: rateLimit('600/60'),
  /** /health/deep per address and API process (each call opens connections to Temporal, the store and SMTP). */
  RATE_LIMIT_DEEP_HEALTH: rateLimit('30/60'),
  /** Keeps this deployment's counters apart when several share a database. */
  RATE_LIMIT_PREFIX: z.string().default('sinetti'),
  /**
   * Express's `trust proxy`: unset or "false" trusts no proxy, so the client
   * address is the socket's and X-Forwarded-For is ignored. Set the number of
   * proxies in front (`1`) or their addresses (`10.0.0.1, loopback`).
   */
  TRUST_PROXY: z.string().optional(),
  /** A bearer token for a Prometheus scraper; without it /metrics needs the admin role. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
});

export interface HttpProtectionConfig {
  rateLimits: Record<RateLimitFamily, RateLimit> & { prefix: string };
  trustProxy: boolean | number | string;
  metricsToken?: string;
}

function trustProxySetting(spec: string | undefined): boolean | number | string {
  const value = spec?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function loadHttpProtectionConfig(env: NodeJS.ProcessEnv): HttpProtectionConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success)
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  return {
    rateLimits: {
      forms: e.RATE_LIMIT_FORMS,
      links: e.RATE_LIMIT_LINKS,
      codes: e.RATE_LIMIT_CODES,
      signIn: e.RATE_LIMIT_SIGN_IN,
      codec: e.RATE_LIMIT_CODEC,
      deepHealth: e.RATE_LIMIT_DEEP_HEALTH,
      prefix: e.RATE_LIMIT_PREFIX,
    },
    trustProxy: trustProxySetting(e.TRUST_PROXY),
    metricsToken: e.METRICS_TOKEN,
  };
}
