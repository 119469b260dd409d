import { z } from 'zod';
import { ADMIN_ACTIONS } from '../../admin/adminActions';
import { DEFAULT_STUCK_CRITERIA } from '../../admin/stuckProcesses';
import { type RouterContext } from '../apiDeps';
import { staffActor, signInFirst } from '../auth';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';
import { adminPage } from '../views/adminPage';

/** The admin's view and levers: every process by type, status and organisation; the stuck ones; audited actions. */

const visibilityValue = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N} _.-]+$/u, 'letters, digits, space, _ . - only');

const listQuery = z.object({
  type: visibilityValue.optional(),
  status: visibilityValue.optional(),
  organization: visibilityValue.optional(),
  running: z
    .enum(['true', 'false'])
    .transform((r) => r === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const stuckQuery = z.object({
  attemptThreshold: z.coerce.number().int().min(1).max(1000).default(DEFAULT_STUCK_CRITERIA.attemptThreshold),
  noProgressHours: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(DEFAULT_STUCK_CRITERIA.noProgressMs / 3600_000),
});

const reason = z.string().trim().min(3, 'say why, in a few words (it goes to the audit log)').max(1000);
const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('remind'), reason }),
  z.object({ action: z.literal('extend'), reason, deadlineAt: z.iso.datetime({ offset: true }) }),
  z.object({
    action: z.literal('reassign'),
    reason,
    participantId: z.string().min(1),
    email: z.email(),
    name: z.string().trim().min(1).max(200),
  }),
  z.object({ action: z.literal('cancel'), reason }),
  z.object({ action: z.literal('retry'), reason }),
]);

export function adminRoutes(routes: ApiRoutes, { services: { admin }, config }: RouterContext): void {
  const page = adminPage(config.organization, `http://127.0.0.1:${config.temporal.uiPort}`);

  routes.add(
    {
      method: 'get',
      path: '/admin',
      tag: 'admin',
      before: [signInFirst(config.staffTokens)],
      summary: 'The admin page (sign in with the admin token; it uses the API below).',
      responses: { 200: 'HTML' },
    },
    (_input, _req, res) => {
      res.type('html').send(page);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/processes',
      tag: 'admin',
      roles: ['admin'],
      query: listQuery,
      summary: 'List processes by type, status and organisation (query: type, status, organization, running, limit).',
      responses: { 200: '{ query, processes }', 400: 'Invalid filter' },
    },
    async ({ query }, _req, res) => {
      res.json(await admin.list(query));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/stuck',
      tag: 'admin',
      roles: ['admin'],
      query: stuckQuery,
      summary:
        'Running processes past their deadline, with a step failing repeatedly, or without progress; each with its reasons in words.',
      responses: { 200: '{ stuck: [{ processId, reasons, failingSteps, … }] }' },
    },
    async ({ query }, _req, res) => {
      res.json({ stuck: await admin.stuck({ attemptThreshold: query.attemptThreshold, noProgressMs: query.noProgressHours * 3600_000 }) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/admin/processes/:processId/actions',
      tag: 'admin',
      roles: ['admin'],
      params: z.object({ processId: recordId }),
      body: actionBody,
      summary: `Act on a running process (${ADMIN_ACTIONS.join(', ')}), with a reason; audited with the admin's identity.`,
      responses: {
        200: "Done: the process's answer",
        400: 'Missing reason or invalid field',
        404: 'No such process',
        409: 'Process finished, or the action does not apply',
      },
    },
    async ({ params, body }, req, res) => {
      res.json({
        processId: params.processId,
        action: body.action,
        result: await admin.perform(params.processId, staffActor(req.staff), body),
      });
    },
  );
}
