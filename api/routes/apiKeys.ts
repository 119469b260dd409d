import { z } from 'zod';
import { STAFF_ROLES } from '../../config/config';
import { UNIT } from '../../config/identity';
import { type RouterContext } from '../apiDeps';
import { staffActor } from '../auth';
import { type ApiRoutes } from '../routeRegistry';

const DAY_MS = 24 * 3600 * 1000;

const createKey = z
  .object({
    name: z.string().trim().min(1, 'Name the client, e.g. "case management"').max(100),
    roles: z.array(z.enum(STAFF_ROLES)).min(1, 'Give the key at least one role'),
    /** The organisation units the key acts for (an HR unit, a body, a round); none means every unit. */
    units: z
      .array(
        z
          .string()
          .trim()
          .refine((unit) => UNIT.test(unit), 'A unit is lower-case letters, digits, - and _, e.g. "sivistys"'),
      )
      .max(50, 'At most 50 units; leave them out for every unit')
      .optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((at) => Date.parse(at) > Date.now(), 'The expiry must be in the future')
      .refine((at) => Date.parse(at) <= Date.now() + 366 * DAY_MS, 'A key lives at most a year; create a new one then'),
  })
  .refine((key) => !(key.units?.length && key.roles.includes('admin')), {
    path: ['units'],
    message: 'An admin key acts in every unit: leave the units out, or give the key roles other than admin',
  });

/** API keys of machine clients, managed by admins: the key is shown once, at creation. */
export function apiKeyRoutes(routes: ApiRoutes, { access: { apiKeys } }: RouterContext): void {
  routes.add(
    {
      method: 'post',
      path: '/api/admin/api-keys',
      tag: 'admin',
      roles: ['admin'],
      body: createKey,
      summary: 'Create an API key with roles, the units it acts for and an expiry; the answer holds the key, shown this once.',
      responses: { 201: '{ key, apiKey }', 400: 'Fields to fix' },
    },
    async ({ body }, req, res) => {
      res.status(201).json(
        await apiKeys.create({
          name: body.name,
          roles: body.roles,
          units: body.units ? [...new Set(body.units)] : undefined,
          expiresAt: new Date(body.expiresAt),
          createdBy: staffActor(req.staff),
        }),
      );
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/api-keys',
      tag: 'admin',
      roles: ['admin'],
      summary: 'Every API key with its roles, units, expiry, last use and revocation (never the key itself).',
      responses: { 200: '{ apiKeys }' },
    },
    async (_input, _req, res) => {
      res.json({ apiKeys: await apiKeys.list() });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/admin/api-keys/:keyId',
      tag: 'admin',
      roles: ['admin'],
      params: z.object({ keyId: z.string().regex(/^[A-Za-z0-9-]{16}$/, 'Not an API key id') }),
      summary: 'Revoke an API key: it stops working at once.',
      responses: { 200: '{ apiKey }', 404: 'No such key' },
    },
    async ({ params }, req, res) => {
      res.json({ apiKey: await apiKeys.revoke(params.keyId, staffActor(req.staff)) });
    },
  );
}
