import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import express from 'express';
import request from 'supertest';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { errorHandler } from '../api/httpErrors';
import { logger } from '../observability/logger';
import { connectStore, disconnectStore } from '../store/connection';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';
import { startTcpProxy } from './support/tcpProxy';
import { HEALTH_REFRESH_MS } from '../api/dependencyHealth';

/**
 * An outage is said as an outage: with Temporal unreachable the API answers
 * 503 with Retry-After (never 400 or 404, which would tell a person their
 * request was wrong), and what is logged names the route, never a personal
 * link's token.
 */

let stack: TestStack;
let deps: ReturnType<typeof createApiDeps>;
let connection: Connection;

beforeAll(async () => {
  stack = await openTestStack('outages');
  // Nothing listens on port 1: every call to Temporal fails as UNAVAILABLE (tried twice here, not for the client's default minute).
  connection = Connection.lazy({
    address: '127.0.0.1:1',
    connectTimeout: '1 second',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2, initialIntervalMs: () => 50 }))],
  });
  deps = createApiDeps(stack.config, new Client({ connection, namespace: stack.config.temporal.namespace }));
});
afterAll(async () => {
  deps.close();
  await connection.close().catch(() => undefined);
  await stack?.close();
});

it('answers 503 with Retry-After, not 404, when Temporal cannot be reached', async () => {
  const app = createApp(deps);
  for (const path of ['/api/processes/contract-anything', '/api/admin/processes']) {
    const response = await request(app)
      .get(path)
      .set(await staffHeaders(app, 'admin'));
    expect({ path, status: response.status, error: response.body.error, retryAfter: response.headers['retry-after'] }).toEqual({
      path,
      status: 503,
      error: 'temporal_unavailable',
      retryAfter: '30',
    });
  }
}, 30_000);

it('says in /health within one refresh period that Temporal went down, and in /health/deep at once', async () => {
  // The API reaches the shared Temporal through a relay that the test cuts: Temporal goes away for this API only.
  const relay = await startTcpProxy({ host: '127.0.0.1', port: Number(stack.config.temporal.address.split(':').pop()) });
  const relayed = Connection.lazy({
    address: relay.address,
    connectTimeout: '1 second',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2, initialIntervalMs: () => 50 }))],
  });
  const relayedDeps = createApiDeps(stack.config, new Client({ connection: relayed, namespace: stack.config.temporal.namespace }));
  try {
    const app = createApp(relayedDeps);
    expect((await request(app).get('/health')).body).toMatchObject({ status: 'ok', temporal: true });
    await relay.cut();
    const cutAt = Date.now();
    const deep = await request(app).get('/health/deep');
    expect({ status: deep.status, temporal: deep.body.temporal, store: deep.body.store }).toEqual({
      status: 503,
      temporal: false,
      store: true,
    });
    let health = await request(app).get('/health');
    while (health.body.temporal !== false && Date.now() - cutAt < HEALTH_REFRESH_MS + 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = await request(app).get('/health');
    }
    expect({ status: health.status, temporal: health.body.temporal, retryAfter: health.headers['retry-after'] }).toEqual({
      status: 503,
      temporal: false,
      retryAfter: '30',
    });
    expect(Date.parse(health.body.checkedAt)).toBeGreaterThanOrEqual(cutAt);
  } finally {
    relayedDeps.close();
    await relayed.close().catch(() => undefined);
  }
}, 30_000);

it('answers 503, not 400 or 404, when the store is unreachable behind a check that used to turn any error into one', async () => {
  const app = createApp(createApiDeps(stack.config, stack.client));
  // Signed in while the store is up: the session itself lives there.
  const hr = await staffHeaders(app, 'hr');
  const secretary = await staffHeaders(app, 'secretary');
  await disconnectStore();
  try {
    // Each of these once caught every error as "unknown document" (400) or "not found" (404).
    const contract = await request(app)
      .post('/api/contracts')
      .set(hr)
      .send({
        documentVersionId: 'some-version',
        signers: [{ role: 'employee', name: 'Maija', email: 'maija@example.test' }],
        hr: { email: 'hr@example.test' },
      });
    const minutes = await request(app).get('/api/minutes/minutes-anything').set(secretary);
    const sealed = await request(app).get('/api/contracts/contract-anything/sealed.pdf').set(hr);
    for (const response of [contract, minutes, sealed]) {
      expect({ status: response.status, error: response.body.error, retryAfter: response.headers['retry-after'] }).toEqual({
        status: 503,
        error: 'store_unavailable',
        retryAfter: '30',
      });
    }
  } finally {
    await connectStore(stack.config.mongodb.uri);
  }
}, 30_000);

it('logs the route template of a failed request, never the token in its path', async () => {
  const lines: unknown[] = [];
  const spy = jest.spyOn(logger, 'error').mockImplementation((entry: unknown) => {
    lines.push(entry);
  });
  try {
    const app = express();
    app.get('/s/:token', () => {
      throw new Error('boom');
    });
    app.use(errorHandler);
    const response = await request(app).get('/s/secret-token-abc123');
    expect(response.status).toBe(500);
    expect(JSON.stringify(lines)).toContain('/s/:token');
    expect(JSON.stringify(lines)).not.toContain('secret-token-abc123');
  } finally {
    spy.mockRestore();
  }
});

it('with Temporal down, no link family writes its token into any log line', async () => {
  const app = createApp(deps);
  const token = `probe-token-${Date.now()}`;
  const lines: unknown[] = [];
  const spies = (['error', 'warn', 'info'] as const).map((level) =>
    jest.spyOn(logger, level).mockImplementation((entry: unknown, message?: unknown) => {
      lines.push([entry, message]);
    }),
  );
  try {
    for (const path of [`/s/${token}`, `/m/${token}`, `/hakemus/${token}`, `/api/applicant/${token}`]) await request(app).get(path);
    expect(JSON.stringify(lines)).not.toContain(token);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}, 60_000);
