import { type Request, type Response } from 'express';
import { z } from 'zod';
import { SinettiError } from '../../common/errors';
import { type RouterContext } from '../apiDeps';
import { type ApiRoutes } from '../routeRegistry';
import { type StaffAccess } from '../staffAccess';
import { signedOutPage, signInFailedPage } from '../views/signInPages';

/**
 * Staff sign-in through the organisation's identity provider: /auth/login
 * sends the person there, /auth/callback starts a fresh server-side session
 * and returns them to the page they were going to, /auth/logout revokes the
 * session and signs out at the provider too when it offers that.
 */
export function signInRoutes(routes: ApiRoutes, { config }: RouterContext, { cookies, signIn }: StaffAccess): void {
  const organization = config.organization;
  /** A person is answered with a page, never JSON. */
  const failed = (res: Response, error: unknown) => {
    if (!(error instanceof SinettiError)) throw error;
    res.status(error.status).type('html').send(signInFailedPage(organization, error.message));
  };

  routes.add(
    {
      method: 'get',
      path: '/auth/login',
      tag: 'session',
      query: z.object({ returnTo: z.string().max(2000).optional().catch(undefined) }),
      summary: 'Sign in through the identity provider (authorization code with PKCE), then back to returnTo.',
      responses: { 303: 'To the identity provider' },
    },
    async ({ query }, _req, res) => {
      try {
        await signIn.begin(res, query.returnTo ?? '/hr');
      } catch (error) {
        failed(res, error);
      }
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/callback',
      tag: 'session',
      summary: "The identity provider's answer: starts the session.",
      responses: { 303: 'Signed in; to the page the person was going to', 401: 'Refused (HTML)' },
    },
    async (_input, req: Request, res) => {
      try {
        const { person, returnTo } = await signIn.complete(req, res);
        if (!person.roles.length)
          throw new SinettiError(
            'no_roles',
            `You signed in as ${person.name}, but you have no role in Sinetti. Ask your administrator for one.`,
            403,
          );
        await cookies.end(req, res); // a fresh id at every sign-in, and any older session ended
        await cookies.start(res, person);
        res.redirect(303, returnTo);
      } catch (error) {
        failed(res, error);
      }
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/logout',
      tag: 'session',
      summary: 'Sign out: the session is revoked, and the identity provider signs out too when it offers that.',
      responses: { 303: "To the provider's sign-out or the signed-out page" },
    },
    async (_input, req, res) => {
      await signOut(req, res, cookies, signIn);
    },
  );

  routes.add(
    { method: 'get', path: '/auth/signed-out', tag: 'session', summary: 'Signed out.', responses: { 200: 'HTML' } },
    (_input, _req, res) => {
      res.type('html').send(signedOutPage(organization));
    },
  );
}

/** Revokes the session here, then hands over to the identity provider's end-session endpoint when it has one. */
export async function signOut(req: Request, res: Response, cookies: StaffAccess['cookies'], signIn: StaffAccess['signIn']): Promise<void> {
  const ended = await cookies.end(req, res);
  const providerLogout = ended?.idToken ? await signIn.endSessionUrl(ended.idToken) : undefined;
  res.redirect(303, providerLogout ?? '/auth/signed-out');
}
