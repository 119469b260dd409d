import { z } from 'zod';
import { type RouterContext } from '../apiDeps';
import { requesterOf } from '../auth';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

const processParams = z.object({ processId: recordId });

/** A process's state (its workflow's `state` query) and its audit trail. */
export function processRoutes(routes: ApiRoutes, { services: { processes, visibility } }: RouterContext): void {
  routes.add(
    {
      method: 'get',
      path: '/api/processes/:processId',
      tag: 'processes',
      roles: ['hr', 'secretary', 'handler', 'registry'],
      params: processParams,
      summary: 'The state of one process.',
      responses: { 200: 'State', 404: 'No such process, or not one of yours' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.processId, 'process');
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
      responses: { 200: 'Events', 404: 'Not one of your processes' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.processId, 'audit-trail');
      res.json({ events: await processes.auditTrail(params.processId) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/processes/:processId/reads',
      tag: 'processes',
      roles: ['admin'],
      params: processParams,
      summary: "Who of the staff read this process, its audit trail or its documents, and when (the process's access trail).",
      responses: { 200: 'Events' },
    },
    async ({ params }, _req, res) => {
      res.json({ events: await visibility.readsOf(params.processId) });
    },
  );
}
