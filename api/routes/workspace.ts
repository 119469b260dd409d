import { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from '../../config/config';
import { decodeWorkspaceCursor } from '../../application/workspace';
import { LANGUAGES } from '../../texts/language';
import { type RouterContext } from '../apiDeps';
import { hasRole } from '../auth';
import { staffPageLanguage } from '../staffLanguage';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';
import { processDetailPage } from '../views/processDetailPage';
import { workspacePage } from '../views/workspacePage';

/** Each member of staff's home page: what waits for their role, filtered; the lists come from Temporal visibility. */

const visibilityValue = z
  .string()
  .trim()
  .max(100)
  .regex(/^[\p{L}\p{N} _./-]*$/u, 'letters, digits, space, _ . / - only')
  .optional()
  .transform((v) => v || undefined);

const workspaceQuery = z.object({
  lang: z.enum(LANGUAGES).optional(),
  status: visibilityValue,
  caseNumber: visibilityValue,
  name: z
    .string()
    .trim()
    .max(100)
    .regex(/^[\p{L} '-]*$/u, "letters, space, ' and - only")
    .optional()
    .transform((v) => v || undefined),
  organization: visibilityValue,
  dueBefore: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'a date like 2026-11-30')
    .optional()
    .transform((v) => v || undefined),
  /** "Next page" of one role's list: that role, and where its previous page ended. */
  list: z.enum(STAFF_ROLES).optional(),
  after: z
    .string()
    .max(3000)
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const cursor = decodeWorkspaceCursor(v);
      if (!cursor) ctx.addIssue({ code: 'custom', message: 'not a page link of this list; open the list again from its first page' });
      return cursor;
    }),
});

/** Rows per page of each list: what a person reads at once, and what keeps a page as quick with thousands open as with a few. */
export const WORKSPACE_PAGE_ROWS = 50;

export function workspaceRoutes(routes: ApiRoutes, { services: { workspace }, config }: RouterContext): void {
  routes.add(
    {
      method: 'get',
      path: '/tyotila',
      tag: 'workspace',
      query: workspaceQuery,
      summary:
        "Staff home page: what waits for your role, 50 rows a page, with filters by state, case number, person's name, organisation and deadline.",
      responses: { 200: 'HTML', 400: 'Invalid filter' },
    },
    async ({ query }, req, res) => {
      const language = staffPageLanguage(req, res, query.lang);
      const { lang: _lang, list, after, ...filter } = query;
      // One list per role the person has; a "next page" link shows that role's list alone.
      const roles: StaffRole[] = req.staff ? req.staff.roles.filter((role) => !list || role === list) : [];
      // The deadline day in Finland: until 20:59:59 UTC is before midnight in Helsinki, summer and winter.
      const dueBefore = filter.dueBefore ? new Date(`${filter.dueBefore}T20:59:59Z`) : undefined;
      const lists = await Promise.all(
        roles.map(async (role) => {
          const page = await workspace.waitingFor(role, {
            ...filter,
            dueBefore,
            limit: WORKSPACE_PAGE_ROWS,
            after: list ? after : undefined,
          });
          return { role, items: page.items, next: page.next, continued: Boolean(list && after) };
        }),
      );
      res.type('html').send(workspacePage({ language, organization: config.organization, signedIn: Boolean(req.staff), lists, filter }));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/tyotila/prosessit/:processId',
      tag: 'workspace',
      params: z.object({ processId: recordId }),
      query: z.object({ lang: z.enum(LANGUAGES).optional() }),
      summary: 'One process: its state, who is awaited and until when, and its steps as a timeline in words.',
      responses: { 200: 'HTML', 404: 'No such process' },
    },
    async ({ params, query }, req, res) => {
      const language = staffPageLanguage(req, res, query.lang);
      // Any signed-in member of staff; someone else is sent to sign in on the home page.
      if (!hasRole(req.staff, 'hr', 'secretary', 'handler', 'registry')) return res.redirect(303, '/tyotila');
      const detail = await workspace.detail(params.processId);
      res.type('html').send(processDetailPage({ language, organization: config.organization, detail }));
    },
  );
}
