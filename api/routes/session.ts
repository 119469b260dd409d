import { z } from 'zod';
import { SinettiError } from '../../common/errors';
import { type RouterContext } from '../apiDeps';
import { staffForToken } from '../auth';
import { type ApiRoutes } from '../routeRegistry';

const signIn = z.object({ token: z.string().min(1) });

/**
 * Development only: a browser session from a development staff token (the
 * token list is empty in production). People sign in through /auth/login.
 */
export function sessionRoutes(routes: ApiRoutes, { config, access: { cookies } }: RouterContext): void {
  routes.add(
    {
      method: 'post',
      path: '/api/session',
      tag: 'session',
      body: signIn,
      summary: 'Development: start a browser session with a staff token (sets an HttpOnly cookie).',
      responses: { 200: '{ name, roles }', 401: 'Unknown token' },
    },
    async ({ body }, req, res) => {
      const identity = staffForToken(config.staffTokens, body.token);
      if (!identity)
        throw new SinettiError('unauthenticated', 'That token is not valid. Sign in with your organisation account at /auth/login.', 401);
      await cookies.end(req, res);
      await cookies.start(res, { name: identity.name, subject: `token:${identity.name}`, roles: identity.roles });
      res.json({ name: identity.name, roles: identity.roles, role: identity.roles[0] });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/session',
      tag: 'session',
      summary: 'End the browser session (revoked in the store).',
      responses: { 204: 'Signed out' },
    },
    async (_input, req, res) => {
      await cookies.end(req, res);
      res.status(204).end();
    },
  );
}
