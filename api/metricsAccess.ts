import { timingSafeEqual } from 'node:crypto';
import { type RequestHandler } from 'express';
import { requireRole } from './auth';

/** /metrics names processes and their counts: for a scraper with the configured metrics token, or an admin. */
export function metricsAccess(metricsToken: string | undefined): RequestHandler {
  const admin = requireRole('admin');
  return (req, res, next) => {
    const presented = req.headers.authorization?.startsWith('Bearer ')
      ? Buffer.from(req.headers.authorization.slice('Bearer '.length).trim())
      : undefined;
    const expected = metricsToken === undefined ? undefined : Buffer.from(metricsToken);
    if (presented && expected && presented.length === expected.length && timingSafeEqual(presented, expected)) return next();
    admin(req, res, next);
  };
}
