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
      summary: 'The state of one process (for the role that works on it, and admins).',
      responses: { 200: 'State', 403: "Another role's process", 404: 'No such process' },
    },
    async ({ params }, req, res) => {
      res.json(await processes.describe(params.processId, req.staff!.roles));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/processes/:processId/audit',
      tag: 'processes',
      roles: ['hr', 'secretary', 'handler', 'registry'],
      params: processParams,
      summary: 'Every audit event of one process, oldest first (for the role that works on it, and admins).',
      responses: { 200: 'Events', 403: "Another role's process" },
    },
    async ({ params }, req, res) => {
      res.json({ events: await processes.auditTrail(params.processId, req.staff!.roles) });
    },
  );
}
