import { DependencyHealth, type HealthSnapshot, HEALTH_REFRESH_MS } from '../dependencyHealth';
import { type ApiDeps } from '../apiDeps';
import { type ApiRoutes } from '../routeRegistry';
import { type Response } from 'express';

function answer(res: Response, { temporal, store, smtp, checkedAt }: HealthSnapshot, refreshSeconds?: number): void {
  const healthy = temporal && store && smtp;
  if (!healthy) res.setHeader('Retry-After', '30');
  res.setHeader('Cache-Control', 'no-store');
  res
    .status(healthy ? 200 : 503)
    .json({ status: healthy ? 'ok' : 'degraded', temporal, store, smtp, checkedAt: checkedAt.toISOString(), refreshSeconds });
}

/**
 * /health answers at once from the last background check (at most one refresh period old, said in checkedAt);
 * /health/deep asks Temporal, the store and SMTP while the caller waits.
 */
export function healthRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const health = new DependencyHealth(deps);
  routes.add(
    {
      method: 'get',
      path: '/health',
      tag: 'operations',
      summary: `Reachability of Temporal, the document store and SMTP as last checked (refreshed every ${HEALTH_REFRESH_MS / 1000} s).`,
      responses: { 200: 'All reachable', 503: 'Something is down (named in the body)' },
    },
    async (_input, _req, res) => answer(res, await health.latest(), HEALTH_REFRESH_MS / 1000),
  );
  routes.add(
    {
      method: 'get',
      path: '/health/deep',
      tag: 'operations',
      summary: 'Reachability of Temporal, the document store and SMTP, checked now.',
      responses: { 200: 'All reachable', 503: 'Something is down (named in the body)' },
    },
    async (_input, _req, res) => answer(res, await health.checkNow()),
  );
}
