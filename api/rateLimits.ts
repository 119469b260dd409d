import { type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { type RateLimitFamily } from '../config/httpProtection';
import { type SinettiConfig } from '../config/config';
import { textsFor } from '../texts/catalog';
import { isLanguage, type Language, LANGUAGES } from '../texts/language';
import { MongoRateLimitStore } from '../store/rateLimitCounters';
import { explanationPage } from './views/kit/participantPage';
import { logger } from '../observability/logger';
import { routeTemplate } from './httpErrors';

/**
 * Rate limits per client address, counted in the shared store so that
 * several API processes enforce one limit. A refused request gets 429 with
 * Retry-After: JSON on the API, a page in the person's language on people's
 * pages. When the store cannot be reached the request passes: a limiter
 * outage must not lock people out of their links.
 */

/** The person's language for a page refused before its own parsing ran: `?lang=`, else the browser's choice, else Finnish. */
export function requestLanguage(req: Request): Language {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(asked)) return asked;
  const accepted = req.acceptsLanguages(...LANGUAGES);
  return isLanguage(accepted) ? accepted : 'fi';
}

/** Requests answered in JSON, never with a page: the API, the codec and the health checks (asked by machines). */
export function isApiRequest(req: Request): boolean {
  return ['/api/', '/codec/', '/health'].some((prefix) => req.originalUrl.startsWith(prefix));
}

function refuse(family: RateLimitFamily, organization: string) {
  return (req: Request, res: Response, resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime): void => {
    const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    logger.warn({ family, route: routeTemplate(req), method: req.method }, 'rate limit reached');
    res.setHeader('Retry-After', String(seconds));
    const language = requestLanguage(req);
    const { heading, text } = textsFor(language).busyPages.tooMany;
    if (isApiRequest(req)) {
      const message =
        family === 'signIn'
          ? `Too many failed sign-ins from this address. Wait ${minutes} min, then sign in with your own staff token; ask your administrator if you have lost it.`
          : family === 'codec'
            ? `Too many codec calls from this address; try again in ${seconds} s.`
            : family === 'deepHealth'
              ? `Too many deep health checks from this address; use /health (checked every few seconds) or try again in ${seconds} s.`
              : text(minutes);
      res.status(429).json({ error: 'too_many_requests', message, details: { retryAfterSeconds: seconds } });
      return;
    }
    res
      .status(429)
      .type('html')
      .send(explanationPage({ language, organization, heading, texts: [text(minutes)] }));
  };
}

/**
 * `counted: 'in this process'` keeps the counters in memory: for a limit that
 * must hold while the store is down (the health check that reports it).
 */
function limiter(
  config: SinettiConfig,
  family: RateLimitFamily,
  counted: 'in the store' | 'in this process' = 'in the store',
): RequestHandler {
  const { limit, windowMs } = config.http.rateLimits[family];
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: counted === 'in the store' ? new MongoRateLimitStore(`${config.http.rateLimits.prefix}:${family}:`) : undefined,
    passOnStoreError: true,
    handler: (req, res) => refuse(family, config.organization)(req, res),
    // X-Forwarded-For is ignored on purpose unless TRUST_PROXY says a proxy sets it (api/app.ts).
    validate: { xForwardedForHeader: false },
  });
}

function presentsBearerToken(req: Request): boolean {
  return req.headers.authorization?.startsWith('Bearer ') ?? false;
}

const SIGN_IN_FORMS = new Set(['/api/session', '/hr/session']);

/**
 * Failed staff sign-ins per address: a bearer token that matched nobody
 * (known before any handler runs, see authenticateStaff) or a sign-in form
 * that answered 4xx. Past the limit every sign-in from the address is
 * refused until the window ends, the right token too, so guessing cannot
 * go on beside real use. Only failures count, which express-rate-limit's
 * skipSuccessfulRequests would do with a decrement the shared store cannot
 * make safely; so this gate reads the same store and counts failures itself.
 */
function signInLimit(config: SinettiConfig): RequestHandler {
  const { limit, windowMs } = config.http.rateLimits.signIn;
  const store = new MongoRateLimitStore(`${config.http.rateLimits.prefix}:signIn:`);
  store.init({ windowMs, limit } as Parameters<MongoRateLimitStore['init']>[0]);
  const refused = refuse('signIn', config.organization);
  return async (req, res, next) => {
    const bearer = presentsBearerToken(req);
    // The metrics scraper's token is checked by api/metricsAccess.ts and counted like a sign-in form.
    const bearerFailed = bearer && !req.staff && req.path !== '/metrics';
    if (!bearer && !(req.method === 'POST' && SIGN_IN_FORMS.has(req.path))) return next();
    const key = ipKeyGenerator(req.ip ?? '');
    try {
      const seen = await store.get(key);
      if (seen && seen.totalHits >= limit) return refused(req, res, seen.resetTime);
      if (bearerFailed) {
        const counted = await store.increment(key);
        if (counted.totalHits > limit) return refused(req, res, counted.resetTime);
      } else if (!bearer || req.path === '/metrics') {
        res.on('finish', () => {
          if (res.statusCode >= 400 && res.statusCode !== 429) store.increment(key).catch(() => undefined);
        });
      }
    } catch {
      // The store is unreachable: let the request through rather than lock staff out (the request itself will say 503).
    }
    next();
  };
}

export interface RateLimiters {
  /** Public form submissions. */
  forms: RequestHandler;
  /** Personal-link pages and the applicant's API. */
  links: RequestHandler;
  /** One-time code requests (each sends a mail or a text message). */
  codes: RequestHandler;
  /** Failed staff sign-ins by token or the sign-in forms; runs after authenticateStaff. */
  signIn: RequestHandler;
  codec: RequestHandler;
  /** /health/deep: counted in memory, since it must answer while the store is down. */
  deepHealth: RequestHandler;
}

export function rateLimiters(config: SinettiConfig): RateLimiters {
  return {
    forms: limiter(config, 'forms'),
    links: limiter(config, 'links'),
    codes: limiter(config, 'codes'),
    codec: limiter(config, 'codec'),
    deepHealth: limiter(config, 'deepHealth', 'in this process'),
    signIn: signInLimit(config),
  };
}
