import { z } from 'zod';
import { SinettiError } from '../../common/errors';
import { type ApiDeps } from '../apiDeps';
import { staffForToken } from '../auth';
import { type ApiRoutes } from '../routeRegistry';
import { endSession, startSession } from '../staffSession';

const signIn = z.object({ token: z.string().min(1) });

/** Staff sign in once with their token; the browser then carries a signed session cookie. */
export function sessionRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'post',
      path: '/api/session',
      tag: 'session',
      body: signIn,
      summary: 'Start a browser session with a staff token (sets an HttpOnly cookie).',
      responses: { 200: '{ name, role }', 401: 'Unknown token' },
    },
    ({ body }, _req, res) => {
      const identity = staffForToken(deps.config.staffTokens, body.token);
      if (!identity)
        throw new SinettiError('unauthenticated', 'That token is not valid. Ask your administrator for your staff token.', 401);
      startSession(res, identity, deps.config.staffTokens, deps.config.publicUrl.startsWith('https:'));
      res.json(identity);
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/session',
      tag: 'session',
      summary: 'End the browser session.',
      responses: { 204: 'Signed out' },
    },
    async (_input, req, res) => {
      await endSession(req, res, deps.config.staffTokens);
      res.status(204).end();
    },
  );
}
