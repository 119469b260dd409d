import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type Express } from 'express';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/apiDeps';
import { loadHttpProtectionConfig } from '../config/httpProtection';
import { freshIdentityCode, waitUntil } from './support/officialMailHarness';
import { mailTo } from './support/mailbox';
import { openTestStack, type TestStack, TEST_ENVIRONMENT } from './support/testStack';
import { staffHeaders } from './support/staffSession';

/**
 * Issue 13, item 6: bursts are refused with 429 and Retry-After, counted in
 * the shared store so two API processes (here two apps with limiters of
 * their own) enforce one limit, and nothing behind a refused request runs.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('ratelimit');
});
const started: string[] = [];
afterAll(async () => {
  for (const id of started)
    await stack.client.workflow
      .getHandle(id)
      .terminate('test finished')
      .catch(() => undefined);
  await stack?.close();
});

/** An API process with the given limits; counters under a prefix of this test's own. */
function apiWithLimits(limits: Record<string, string>, prefix: string): Express {
  const http = loadHttpProtectionConfig({ ...TEST_ENVIRONMENT, ...limits, RATE_LIMIT_PREFIX: prefix });
  return createApp(createApiDeps({ ...stack.config, http }, stack.client));
}

it('20 anonymous form posts in a burst across two API processes: 5 are taken, the rest get 429 and make no case and no mail', async () => {
  const prefix = `t-${randomUUID()}`;
  const apis = [apiWithLimits({ RATE_LIMIT_FORMS: '5/600' }, prefix), apiWithLimits({ RATE_LIMIT_FORMS: '5/600' }, prefix)];
  const roundId = `burst-${randomUUID().slice(0, 8)}`;
  const email = `burst-${randomUUID().slice(0, 8)}@example.fi`;
  const body = () => ({
    roundId,
    language: 'en',
    values: {
      fullName: 'Maija Meikäläinen',
      identityCode: freshIdentityCode(),
      email,
      meetingDate: '2026-04-12',
      trips: 'Koti–kunnantalo',
      kilometres: '12',
      amountClaimed: '25',
      iban: 'FI2112345600000785',
    },
  });

  await stack.withWorker(async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(apis[i % 2])
          .post('/api/forms/kulukorvaus/applications')
          .set('Accept-Language', 'en')
          .send(body()),
      ),
    );
    for (const r of responses) if (r.status === 201) started.push(r.body.applicationId);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const refused = responses.find((r) => r.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toEqual({
      error: 'too_many_requests',
      message: expect.stringMatching(/Wait \d+ min/),
      details: { retryAfterSeconds: expect.any(Number) },
    });

    const cases = await request(apis[0])
      .get(`/api/rounds/${roundId}/applications`)
      .set(await staffHeaders(apis[0], 'handler'));
    expect(cases.body).toHaveLength(5);
    // Every accepted application is acknowledged; the refused ones never reach a workflow, so no sixth mail follows.
    await waitUntil('5 acknowledgements', async () => (await mailTo(email)).length >= 5, 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await mailTo(email)).toHaveLength(5);
  });
}, 90_000);

// About the bearer tokens' failed sign-ins: the development tokens stay in this test on purpose.
it('50 wrong staff tokens: then even the right one is refused for the window, whatever X-Forwarded-For says', async () => {
  const prefix = `t-${randomUUID()}`;
  const api = apiWithLimits({ RATE_LIMIT_SIGN_IN: '20/900' }, prefix);

  // Staff working normally are not counted.
  for (let i = 0; i < 25; i++)
    expect((await request(api).get('/api/contracts').set({ Authorization: 'Bearer dev-hr-token' })).status).toBe(200);

  const wrong = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      request(api)
        .get('/api/contracts')
        .set({ Authorization: `Bearer guess-${i}`, 'X-Forwarded-For': `203.0.113.${i}` }),
    ),
  );
  expect(wrong.filter((r) => r.status === 401)).toHaveLength(20);
  expect(wrong.filter((r) => r.status === 429)).toHaveLength(30);

  const right = await request(api).get('/api/contracts').set({ Authorization: 'Bearer dev-hr-token' });
  expect(right.status).toBe(429);
  // Fixed windows of 15 minutes: the wait is what is left of the current one.
  expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(900);
  expect(right.body.message).toMatch(/Too many failed sign-ins/);
  expect((await request(api).post('/api/session').send({ token: 'dev-hr-token' })).status).toBe(429);
  expect((await request(api).post('/hr/session?lang=sv').type('form').send({ token: 'dev-hr-token' })).status).toBe(429);
  // Pages that need no sign-in are not affected.
  expect((await request(api).get('/api/forms')).status).toBe(200);
}, 60_000);

it("a personal link's page refused past its limit says so in the person's language", async () => {
  const api = apiWithLimits({ RATE_LIMIT_LINKS: '3/600' }, `t-${randomUUID()}`);
  for (let i = 0; i < 3; i++) expect((await request(api).get('/s/no-such-link?lang=sv')).status).toBe(404);
  const refused = await request(api).get('/s/no-such-link?lang=sv');
  expect(refused.status).toBe(429);
  expect(refused.headers['content-type']).toMatch(/text\/html/);
  expect(refused.headers['retry-after']).toBeDefined();
  expect(refused.text).toContain('För många förfrågningar');
  expect(refused.text).toContain('lang="sv"');
  // The applicant's API under the same family answers in JSON.
  expect((await request(api).get('/api/applicant/no-such-link').set('Accept-Language', 'fi')).body.message).toMatch(/Odota \d+ min/);
});

it('the codec endpoint past its limit answers 429 before it decodes anything, and one-time code requests are limited per address', async () => {
  const prefix = `t-${randomUUID()}`;
  const api = apiWithLimits({ RATE_LIMIT_CODEC: '3/60', RATE_LIMIT_CODES: '2/3600' }, prefix);
  const ADMIN = await staffHeaders(api, 'admin');
  for (let i = 0; i < 3; i++) expect((await request(api).post('/codec/decode').set(ADMIN).send({ payloads: [] })).status).toBe(200);
  const refused = await request(api).post('/codec/decode').set(ADMIN).send({ payloads: [] });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(refused.body.message).toMatch(/Too many codec calls from this address; try again in \d+ s\./);

  // Code requests are counted per address across links (each sends a mail or a text message): unknown links count too.
  for (let i = 0; i < 2; i++) expect((await request(api).post(`/s/no-such-link-${i}/code?lang=en`).type('form').send({})).status).toBe(404);
  const tooMany = await request(api).post('/s/no-such-link-3/code?lang=en').type('form').send({});
  expect(tooMany.status).toBe(429);
  expect(tooMany.text).toContain('lang="en"');
});

it('/health/deep past its limit answers 429 in JSON without asking Temporal, the store or SMTP, while /health still answers', async () => {
  const api = apiWithLimits({ RATE_LIMIT_DEEP_HEALTH: '2/60' }, `t-${randomUUID()}`);
  for (let i = 0; i < 2; i++) expect((await request(api).get('/health/deep')).status).toBe(200);
  const refused = await request(api).get('/health/deep');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(refused.body.message).toMatch(/Too many deep health checks from this address; use \/health/);
  expect((await request(api).get('/health')).status).toBe(200);
});
