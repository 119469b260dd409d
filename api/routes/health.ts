import { pingStore } from '../../store/connection';
import { type ApiDeps } from '../apiDeps';
import { type ApiRoutes } from '../routeRegistry';

async function temporalReachable(deps: ApiDeps): Promise<boolean> {
  try {
    await deps.temporal.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  }
}

/** /health: 200 when Temporal, the store and SMTP all answer; 503 naming the ones that do not. */
export function healthRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/health',
      tag: 'operations',
      summary: 'Reachability of Temporal, the document store and SMTP.',
      responses: { 200: 'All reachable', 503: 'Something is down (named in the body)' },
    },
    async (_input, _req, res) => {
      const [temporal, store, smtp] = await Promise.all([temporalReachable(deps), pingStore(), deps.mail.verify()]);
      const healthy = temporal && store && smtp;
      if (!healthy) res.setHeader('Retry-After', '30');
      res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', temporal, store, smtp });
    },
  );
}
