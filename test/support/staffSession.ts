import { type Express } from 'express';
import request from 'supertest';
import { CookieJar } from 'tough-cookie';
import { DEVELOPMENT_USERS, type DevelopmentUser } from '../../integrations/identityProvider/developmentUsers';

/**
 * Staff sessions for tests, signed in through the real development identity
 * provider (the test stack's, port 3933) the way a browser does it:
 * Sinetti's /auth/login, the redirect to the provider (authorization code
 * with PKCE), its password form posted, the redirects back to Sinetti's
 * /auth/callback, which starts the server-side session. Cookies live in a
 * jar (tough-cookie), one per sign-in.
 *
 *   const hr = await staffHeaders(app, 'hr');
 *   await request(app).post('/api/contracts').set(hr).send(body);
 *
 * - `app`: the Express app in this process (its requests go through
 *   supertest, the provider's over HTTP), or the base URL of a listening one.
 * - `who`: a role ('hr', 'secretary', 'handler', 'registry', 'admin': the
 *   development user holding only that role) or a development user's
 *   username (integrations/identityProvider/developmentUsers.ts).
 * - The headers: the session cookie, and the Origin of the app's public
 *   address, as a browser sends it from Sinetti's own pages (the origin
 *   check refuses state-changing requests from other sites).
 *
 * Sessions live in the store, so one works for every app on the same store;
 * each user signs in once per test file (a jest file is one module registry).
 * A test that signs out, or needs a second session, asks for `{ fresh: true }`:
 * a sign-in of its own, never handed to anyone else.
 */

const USER_FOR_ROLE: Record<string, string | undefined> = {
  hr: 'hanna.hr',
  secretary: 'sanna.sihteeri',
  handler: 'kalle.kasittelija',
  registry: 'kirsi.kirjaamo',
  admin: 'aki.admin',
};

/** A type, not an interface, so supertest's `.set(headers)` takes it as a header record. */
export type StaffHeaders = { Cookie: string; Origin: string };

/** The development user behind `who`, for tests that check an actor's name (`staff:hr:Hanna Henkilöstö`). */
export function developmentUser(who: string): DevelopmentUser {
  const username = USER_FOR_ROLE[who] ?? who;
  const user = DEVELOPMENT_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`No development user ${who}`);
  return user;
}

const sessionCookies = new Map<string, Promise<string>>();
const publicOrigins = new WeakMap<Express, Promise<string>>();

export async function staffHeaders(app: Express | string, who: string, options: { fresh?: boolean } = {}): Promise<StaffHeaders> {
  const user = developmentUser(who);
  if (options.fresh) return { Cookie: await signIn(app, user), Origin: await publicOrigin(app) };
  let cookie = sessionCookies.get(user.username);
  if (!cookie) {
    cookie = signIn(app, user);
    sessionCookies.set(user.username, cookie);
    cookie.catch(() => sessionCookies.delete(user.username));
  }
  return { Cookie: await cookie, Origin: await publicOrigin(app) };
}

interface Answer {
  status: number;
  location?: string;
  setCookies: string[];
  body: string;
}

/** One request as a browser sends it: to the app in process, or over HTTP; cookies from and into the jar. */
async function send(app: Express | string, appOrigin: string, url: URL, jar: CookieJar, form?: Record<string, string>): Promise<Answer> {
  const cookie = await jar.getCookieString(url.href);
  let answer: Answer;
  if (typeof app !== 'string' && url.origin === appOrigin) {
    const response = await request(app)
      .get(url.pathname + url.search)
      .set(cookie ? { Cookie: cookie } : {});
    answer = {
      status: response.status,
      location: response.headers.location,
      setCookies: ([] as string[]).concat(response.headers['set-cookie'] ?? []),
      body: response.text,
    };
  } else {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    answer = {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      setCookies: response.headers.getSetCookie(),
      body: await response.text(),
    };
  }
  for (const setCookie of answer.setCookies) await jar.setCookie(setCookie, url.href, { ignoreError: true });
  return answer;
}

async function signIn(app: Express | string, user: DevelopmentUser): Promise<string> {
  const jar = new CookieJar();
  const appOrigin = await publicOrigin(app);
  let next = new URL('/auth/login?returnTo=/hr', appOrigin);
  let form: Record<string, string> | undefined;
  let passwordSent = false;
  for (let hop = 0; hop < 20; hop++) {
    const answer = await send(app, appOrigin, next, jar, form);
    form = undefined;
    if (next.pathname === '/auth/callback') {
      const session = /sinetti_staff=([^;]+)/.exec(answer.setCookies.join('\n'))?.[1];
      if (answer.status !== 303 || !session)
        throw new Error(`Sign-in of ${user.username} ended in ${answer.status}: ${answer.body.slice(0, 300)}`);
      return `sinetti_staff=${session}`;
    }
    if (answer.location) {
      next = new URL(answer.location, next);
      continue;
    }
    // The provider's password form: post it once, as a person would fill it in.
    const action = /<form method="post" action="([^"]+\/login)"/.exec(answer.body)?.[1];
    if (answer.status === 200 && action && !passwordSent) {
      passwordSent = true;
      next = new URL(action, next);
      form = { username: user.username, password: user.password };
      continue;
    }
    throw new Error(`Sign-in of ${user.username} stopped at ${next.href} with ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
  throw new Error(`Sign-in of ${user.username} went round in redirects`);
}

/** The app's public origin, as its sign-in names its callback to the provider: what its pages' requests carry as Origin. */
function publicOrigin(app: Express | string): Promise<string> {
  if (typeof app === 'string') return Promise.resolve(new URL(app).origin);
  let origin = publicOrigins.get(app);
  if (!origin) {
    origin = request(app)
      .get('/auth/login')
      .then((response) => {
        const location = response.headers.location as string | undefined;
        const callback = location && new URL(location).searchParams.get('redirect_uri');
        if (!callback) throw new Error(`The app's sign-in did not redirect to the provider (${response.status})`);
        return new URL(callback).origin;
      });
    publicOrigins.set(app, origin);
  }
  return origin;
}
