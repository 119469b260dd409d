import { z } from 'zod';
import { ADMIN_ACTIONS } from '../../admin/adminActions';
import { DEFAULT_STUCK_CRITERIA } from '../../admin/stuckProcesses';
import { LANGUAGES } from '../../texts/language';
import { type RouterContext } from '../apiDeps';
import { hasRole, staffActor, signInFirst } from '../auth';
import { staffPageLanguage } from '../staffLanguage';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';
import { adminPage, reasonInWords } from '../views/adminPage';

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
  lang: z.enum(LANGUAGES).default('en'),
});

const pageQuery = stuckQuery.extend({
  lang: z.enum(LANGUAGES).optional(),
  process: recordId.optional(),
  action: z.enum(ADMIN_ACTIONS).optional(),
  done: z.enum(ADMIN_ACTIONS).optional(),
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
  const temporalUiUrl = `http://127.0.0.1:${config.temporal.uiPort}`;

  routes.add(
    {
      method: 'get',
      path: '/admin',
      tag: 'admin',
      before: [signInFirst(config.staffTokens)],
      query: pageQuery,
      summary:
        "The admin page: what is stuck and why, what waits by design and until when, with each row's actions (sign in with the admin token).",
      responses: { 200: 'HTML' },
    },
    async ({ query }, req, res) => {
      const language = staffPageLanguage(req, res, query.lang);
      const criteria = { attemptThreshold: query.attemptThreshold, noProgressHours: query.noProgressHours };
      const access = !req.staff
        ? ({ signedIn: false } as const)
        : !hasRole(req.staff, 'admin')
          ? ({ signedIn: true, admin: false, role: req.staff.roles.join(', ') } as const)
          : ({
              signedIn: true,
              admin: true,
              survey: await admin.survey({
                attemptThreshold: criteria.attemptThreshold,
                noProgressMs: criteria.noProgressHours * 3600_000,
              }),
            } as const);
      res.type('html').send(
        adminPage({
          language,
          organization: config.organization,
          temporalUiUrl,
          access,
          criteria,
          chosen: { processId: query.process, action: query.action },
          done: query.done && query.process ? { action: query.done, processId: query.process } : undefined,
        }),
      );
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
        'Stuck processes (a step failing past the attempt threshold, a wait whose end passed with nothing scheduled, a step slower than ' +
        'expected), each reason with its words in the language asked (lang, default en); and those waiting by design until a known time.',
      responses: { 200: '{ stuck: [{ processId, reasons: [{ kind, words, … }], failingSteps, … }], waiting, waitingCount, counts }' },
    },
    async ({ query }, _req, res) => {
      const survey = await admin.survey({ attemptThreshold: query.attemptThreshold, noProgressMs: query.noProgressHours * 3600_000 });
      res.json({
        ...survey,
        stuck: survey.stuck.map((process) => ({
          ...process,
          reasons: process.reasons.map((reason) => ({ ...reason, words: reasonInWords(reason, query.lang) })),
        })),
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/archived-documents',
      tag: 'admin',
      roles: ['admin'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      summary:
        "Archived documents, soonest due first: when each one's document timestamp proof lapses, when it is next renewed, and a renewal's failure.",
      responses: { 200: '{ marginDays, documents: [{ archiveId, status, waitingFor, proofExpiresAt, nextDueAt, overdue, lastFailure }] }' },
    },
    async ({ query }, _req, res) => {
      res.json(await admin.archivedDocuments(query.limit));
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
