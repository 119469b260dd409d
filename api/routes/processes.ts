import { z } from 'zod';
import { type RouterContext } from '../apiDeps';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

const processParams = z.object({ processId: recordId });

/** A process's state (its workflow's `state` query) and its audit trail. */
export function processRoutes(routes: ApiRoutes, { services: { processes } }: RouterContext): void {
  routes.add(
    {
      method: 'get',
      path: '/api/processes/:processId',
      tag: 'processes',
      roles: ['hr', 'secretary', 'handler', 'registry'],
      params: processParams,
      summary: 'The state of one process.',
      responses: { 200: 'State', 404: 'No such process' },
    },
    async ({ params }, _req, res) => {
      res.json(await processes.describe(params.processId));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/processes/:processId/audit',
      tag: 'processes',
      roles: ['hr', 'secretary', 'handler', 'registry'],
      params: processParams,
      summary: 'Every audit event of one process, oldest first.',
      responses: { 200: 'Events' },
    },
    async ({ params }, _req, res) => {
      res.json({ events: await processes.auditTrail(params.processId) });
    },
  );
}
