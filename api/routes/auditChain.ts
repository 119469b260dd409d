import { z } from 'zod';
import { parseLetterProcessId } from '../../rules/officialMail';
import { Letters } from '../../store/letters';
import { type ApiDeps } from '../apiDeps';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

/** An admin's check of one process's audit chain (audit/auditChain.ts): intact, or what was changed or removed. */
export function auditChainRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/admin/processes/:processId/audit-chain',
      tag: 'admin',
      roles: ['admin'],
      params: z.object({ processId: recordId }),
      summary: "Walk one process's audit chain: every event's hash, every link, no gaps, nothing taken off its trail.",
      responses: { 200: '{ processId, intact, chained, unchained, head, problems }' },
    },
    async ({ params: { processId } }, _req, res) => {
      // A batch letter's events are listed in its page tracker's trail (AuditEvent.trail).
      const letter = parseLetterProcessId(processId) ? await new Letters().find(processId) : undefined;
      res.json(await deps.audit.verifyChain(processId, letter?.trackedBy));
    },
  );
}
