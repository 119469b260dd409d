import { WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError } from '../../common/errors';
import { parseLetterProcessId } from '../../rules/officialMail';
import { Letters } from '../../store/letters';
import { ApiDeps } from '../apiDeps';
import { ApiRoutes } from '../routeRegistry';

/** A process's state (its workflow's `state` query) and its audit trail. */
export function processRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'get', path: '/api/processes/:processId', tag: 'processes', roles: ['hr', 'secretary', 'handler', 'registry'],
    summary: 'The state of one process.', responses: { 200: 'State', 404: 'No such process' },
  }, async (req, res) => {
    const processId = String(req.params.processId);
    try {
      const handle = deps.temporal.workflow.getHandle(processId);
      const [description, state] = await Promise.all([handle.describe(), handle.query<unknown>('state')]);
      res.json({ processId, type: description.type, runStatus: description.status.name, startedAt: description.startTime, closedAt: description.closeTime, state });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Process ${processId}`);
      throw error;
    }
  });

  routes.add({
    method: 'get', path: '/api/processes/:processId/audit', tag: 'processes', roles: ['hr', 'secretary', 'handler', 'registry'],
    summary: 'Every audit event of one process, oldest first.', responses: { 200: 'Events' },
  }, async (req, res) => {
    const processId = String(req.params.processId);
    // A batch letter's events are listed in its page tracker's trail (AuditEvent.trail).
    const letter = parseLetterProcessId(processId) ? await new Letters().find(processId) : undefined;
    res.json({ events: await deps.audit.forProcess(processId, letter?.trackedBy) });
  });
}
