import request from 'supertest';
import { type Express } from 'express';
import { createApp } from '../../api/app';
import { createApiDeps } from '../../api/apiDeps';
import { staffHeaders } from '../support/staffSession';
import { openTestStack, type TestStack } from '../support/testStack';

/**
 * Issue 13's should-fix on staff sessions, as probed: a session cookie kept
 * working for its 8 hours after sign-out, and a state-changing request from a
 * foreign Origin was carried out (SameSite=Lax only).
 */

let stack: TestStack;
let app: Express;
beforeAll(async () => {
  stack = await openTestStack('staffsessions');
  app = createApp(createApiDeps(stack.config, stack.client));
});
afterAll(async () => {
  await stack?.close();
});

/** A session of its own, signed in through the development identity provider (these tests sign out). */
async function signIn(who: 'admin' | 'hr'): Promise<string> {
  return (await staffHeaders(app, who, { fresh: true })).Cookie;
}

it('signing out revokes the session: the same cookie, kept and sent again, is no longer accepted', async () => {
  const cookie = await signIn('admin');
  expect((await request(app).get('/metrics').set('Cookie', cookie)).status).toBe(200);

  const signedOut = await request(app).delete('/api/session').set('Cookie', cookie);
  expect(signedOut.status).toBe(204);
  expect(String(signedOut.headers['set-cookie'])).toMatch(/sinetti_staff=;/);

  // A copy of the cookie (a shared computer, a proxy log) is worth nothing now, on every API process.
  expect((await request(app).get('/metrics').set('Cookie', cookie)).status).toBe(401);
  const otherProcess = createApp(createApiDeps(stack.config, stack.client));
  expect((await request(otherProcess).get('/metrics').set('Cookie', cookie)).status).toBe(401);
  // Another session of the same person is not affected.
  expect(
    (
      await request(app)
        .get('/metrics')
        .set('Cookie', await signIn('admin'))
    ).status,
  ).toBe(200);
});

it("HR's page sign-out revokes the session too", async () => {
  const cookie = await signIn('hr');
  // Signed in, the page offers signing out; signed out, it is the sign-in form again.
  expect((await request(app).get('/hr?lang=en').set('Cookie', cookie)).text).toContain('/hr/sign-out');
  expect((await request(app).post('/hr/sign-out?lang=en').set('Cookie', cookie)).status).toBe(303);
  const after = await request(app).get('/hr?lang=en').set('Cookie', cookie);
  expect(after.text).not.toContain('/hr/sign-out');
  expect(after.text).toContain('action="/hr/session');
});

it('a state-changing request from a foreign Origin is refused and changes nothing; Sinetti’s own origin and clients without Origin pass', async () => {
  const cookie = await signIn('admin');
  const foreign = 'https://attacker.example';

  const forgedSignOut = await request(app).delete('/api/session').set('Cookie', cookie).set('Origin', foreign);
  expect(forgedSignOut.status).toBe(403);
  expect(forgedSignOut.body.error).toBe('foreign_origin');
  expect(forgedSignOut.headers['set-cookie']).toBeUndefined();
  expect((await request(app).get('/metrics').set('Cookie', cookie)).status).toBe(200);

  const forgedForm = await request(app)
    .post('/hr/contracts?lang=fi')
    .set('Cookie', cookie)
    .set('Origin', foreign)
    .type('form')
    .send({ title: 'Forged' });
  expect(forgedForm.status).toBe(403);
  // The development tokens' own sign-in (development mode only) is checked for its origin too: the tokens stay here on purpose.
  const forgedSignIn = await request(app).post('/api/session').set('Origin', 'null').send({ token: 'dev-hr-token' });
  expect(forgedSignIn.status).toBe(403);
  expect(forgedSignIn.headers['set-cookie']).toBeUndefined();

  const crossSite = await request(app).delete('/api/session').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site');
  expect(crossSite.status).toBe(403);

  // Reading is not refused (a link followed from elsewhere), and Sinetti's own pages post with its origin, or with
  // Origin: null under its no-referrer policy and the browser's Sec-Fetch-Site: same-origin.
  const ownFormNoReferrer = await request(app)
    .post('/api/session')
    .set('Origin', 'null')
    .set('Sec-Fetch-Site', 'same-origin')
    .send({ token: 'dev-hr-token' });
  expect(ownFormNoReferrer.status).toBe(200);
  expect((await request(app).get('/metrics').set('Cookie', cookie).set('Origin', foreign)).status).toBe(200);
  const own = new URL(stack.config.publicUrl).origin;
  expect((await request(app).delete('/api/session').set('Cookie', cookie).set('Origin', own)).status).toBe(204);
  expect((await request(app).post('/api/session').send({ token: 'dev-hr-token' })).status).toBe(200);
});
