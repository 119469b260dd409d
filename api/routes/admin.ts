import { z } from 'zod';
import { AdminActions, ADMIN_ACTIONS } from '../../admin/adminActions';
import { DEFAULT_STUCK_CRITERIA, findStuckProcesses } from '../../admin/stuckProcesses';
import { EmploymentContracts } from '../../store/employmentContracts';
import { ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { ApiRoutes } from '../routeRegistry';
import { MinutesReviews } from '../../store/minutesReviews';
import { adminPage } from '../views/adminPage';

/** The admin's view and levers: every process by type, status and organisation; the stuck ones; audited actions. */

const visibilityValue = z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N} _.-]+$/u, 'letters, digits, space, _ . - only');

const listQuery = z.object({
  type: visibilityValue.optional(),
  status: visibilityValue.optional(),
  organization: visibilityValue.optional(),
  running: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const stuckQuery = z.object({
  attemptThreshold: z.coerce.number().int().min(1).max(1000).default(DEFAULT_STUCK_CRITERIA.attemptThreshold),
  noProgressHours: z.coerce.number().min(0).max(24 * 365).default(DEFAULT_STUCK_CRITERIA.noProgressMs / 3600_000),
});

const reason = z.string().trim().min(3, 'say why, in a few words (it goes to the audit log)').max(1000);
const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('remind'), reason }),
  z.object({ action: z.literal('extend'), reason, deadlineAt: z.iso.datetime({ offset: true }) }),
  z.object({ action: z.literal('reassign'), reason, participantId: z.string().min(1), email: z.email(), name: z.string().trim().min(1).max(200) }),
  z.object({ action: z.literal('cancel'), reason }),
  z.object({ action: z.literal('retry'), reason }),
]);

export function adminRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const actions = new AdminActions(deps.temporal, deps.audit, { employmentContractWorkflow: new EmploymentContracts(), minutesReviewWorkflow: new MinutesReviews() });
  const page = adminPage(deps.config.organization, `http://127.0.0.1:${deps.config.temporal.uiPort}`);

  routes.add({
    method: 'get', path: '/admin', tag: 'admin', summary: 'The admin page (sign in with the admin token; it uses the API below).', responses: { 200: 'HTML' },
  }, (_req, res) => { res.type('html').send(page); });

  routes.add({
    method: 'get', path: '/api/admin/processes', tag: 'admin', roles: ['admin'],
    summary: 'List processes by type, status and organisation (query: type, status, organization, running, limit).',
    responses: { 200: '{ query, processes }', 400: 'Invalid filter' },
  }, async (req, res) => {
    const filter = listQuery.parse(req.query);
    const clauses = ['ProcessType IS NOT NULL'];
    if (filter.type) clauses.push(`ProcessType = '${filter.type}'`);
    if (filter.status) clauses.push(`ProcessStatus = '${filter.status}'`);
    if (filter.organization) clauses.push(`Organization = '${filter.organization}'`);
    if (filter.running) clauses.push(`ExecutionStatus ${filter.running === 'true' ? '=' : '!='} 'Running'`);
    const query = clauses.join(' AND ');
    const processes = [];
    for await (const info of deps.temporal.workflow.list({ query })) {
      processes.push({
        processId: info.workflowId, workflowType: info.type, runStatus: info.status.name, startedAt: info.startTime, closedAt: info.closeTime,
        ...Object.fromEntries(Object.entries(info.searchAttributes ?? {}).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), (v as unknown[])[0]])),
      });
      if (processes.length >= filter.limit) break;
    }
    res.json({ query, processes });
  });

  routes.add({
    method: 'get', path: '/api/admin/stuck', tag: 'admin', roles: ['admin'],
    summary: 'Running processes past their deadline, with a step failing repeatedly, or without progress; each with its reasons in words.',
    responses: { 200: '{ stuck: [{ processId, reasons, failingSteps, … }] }' },
  }, async (req, res) => {
    const criteria = stuckQuery.parse(req.query);
    const stuck = await findStuckProcesses(deps.temporal, {
      now: new Date(), attemptThreshold: criteria.attemptThreshold, noProgressMs: criteria.noProgressHours * 3600_000, describeLimit: DEFAULT_STUCK_CRITERIA.describeLimit,
    });
    res.json({ stuck });
  });

  routes.add({
    method: 'post', path: '/api/admin/processes/:processId/actions', tag: 'admin', roles: ['admin'], body: actionBody,
    summary: `Act on a running process (${ADMIN_ACTIONS.join(', ')}), with a reason; audited with the admin's identity.`,
    responses: { 200: 'Done: the process\'s answer', 400: 'Missing reason or invalid field', 404: 'No such process', 409: 'Process finished, or the action does not apply' },
  }, async (req, res) => {
    const request = actionBody.parse(req.body);
    const result = await actions.perform(String(req.params.processId), staffActor(req.staff), request);
    res.json({ processId: req.params.processId, action: request.action, result });
  });
}
