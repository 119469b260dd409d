import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type Express } from 'express';
import { defaultPayloadConverter } from '@temporalio/common';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { AuditLog } from '../audit/auditLog';
import { AesGcmPayloadCodec } from '../common/payloadCodec';
import { loadPayloadCodec } from '../common/payloadKeys';
import { ChunkedDocumentStore } from '../store/documentStore';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { DeadlineAt, ProcessType, WaitingFor, WaitingUntil } from '../workflows/searchAttributes';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';
import { developmentUser, staffHeaders } from './support/staffSession';

let stack: TestStack;
let app: Express;
let deps: ReturnType<typeof createApiDeps>;
const admin = () => staffHeaders(app, 'admin');
const hr = () => staffHeaders(app, 'hr');

beforeAll(async () => {
  stack = await openTestStack('admin');
  app = createApp((deps = createApiDeps(stack.config, stack.client)));
});
afterAll(async () => {
  deps.close();
  await stack?.close();
});

async function encoded(value: unknown) {
  const [payload] = await loadPayloadCodec(stack.config).encode([defaultPayloadConverter.toPayload(value)]);
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(payload.data!).toString('base64'),
  };
}

describe('codec endpoint', () => {
  const uiOrigin = () => `http://127.0.0.1:${stack.config.temporal.uiPort}`;

  it('decodes for an admin, with CORS for the Web UI origin', async () => {
    const response = await request(app)
      .post('/codec/decode')
      .set(await admin())
      .set('Origin', uiOrigin())
      .set('X-Namespace', 'default')
      .send({ payloads: [await encoded({ name: 'Maija Meikäläinen' })] });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(uiOrigin());
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    const decoded = response.body.payloads[0];
    expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toEqual({ name: 'Maija Meikäläinen' });
  });

  it("answers the UI's preflight and ignores other origins", async () => {
    const preflight = await request(app).options('/codec/decode').set('Origin', uiOrigin()).set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Namespace/);
    const foreign = await request(app)
      .post('/codec/decode')
      .set(await admin())
      .set('Origin', 'http://evil.example')
      .send({ payloads: [] });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses anyone but an admin', async () => {
    const body = { payloads: [await encoded('secret')] };
    expect((await request(app).post('/codec/decode').send(body)).status).toBe(401);
    expect(
      (
        await request(app)
          .post('/codec/decode')
          .set(await hr())
          .send(body)
      ).status,
    ).toBe(403);
  });

  it("accepts an admin's browser session, as the Web UI sends it", async () => {
    // Signed in through the development identity provider; the browser sends only its cookie (and its page's origin).
    const { Cookie, Origin } = await staffHeaders(app, 'admin');
    const decoded = await request(app)
      .post('/codec/decode')
      .set({ Cookie, Origin })
      .send({ payloads: [await encoded('x')] });
    expect(decoded.status).toBe(200);
  });

  it('says clearly when a payload is under a key it does not have', async () => {
    const [foreign] = await new AesGcmPayloadCodec([{ id: 'other-key', key: Buffer.alloc(32, 7) }]).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const response = await request(app)
      .post('/codec/decode')
      .set(await admin())
      .send({
        payloads: [
          {
            metadata: Object.fromEntries(Object.entries(foreign.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
            data: Buffer.from(foreign.data!).toString('base64'),
          },
        ],
      });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/key "other-key"/);
  });
});

describe('admin API on real processes', () => {
  let stuckId: string;
  let finishedId: string;
  // Nobody polls this queue: these two keep the search attributes they start with.
  const idleQueue = `nobody-polls-${randomUUID()}`;
  const overdueId = `overdue-${randomUUID()}`;
  const waitingId = `waiting-${randomUUID()}`;

  beforeAll(async () => {
    // A seal of a version that does not exist fails its first step again and again: a stuck process.
    stuckId = `stuck-${randomUUID()}`;
    await stack.client.workflow.start(organisationSealWorkflow, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: stuckId,
      args: [{ versionId: randomUUID(), organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Stuck' }],
      typedSearchAttributes: [{ key: DeadlineAt, value: new Date(Date.now() - 3600_000) }],
    });
    const idle = (workflowId: string, waitingUntil: Date) =>
      stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: idleQueue,
        workflowId,
        args: [{ versionId: randomUUID(), organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Idle' }],
        typedSearchAttributes: [
          { key: ProcessType, value: 'organisationSeal' },
          { key: WaitingFor, value: 'employee' },
          { key: WaitingUntil, value: waitingUntil },
        ],
      });
    await idle(overdueId, new Date(Date.now() - 2 * 3600_000));
    await idle(waitingId, new Date(Date.now() + 24 * 3600_000));
    const store = new ChunkedDocumentStore(stack.config.maxDocumentBytes);
    const upload = await store.saveVersion({ key: randomUUID(), bytes: await samplePdf(1), fileName: 'a.pdf', kind: 'upload' });
    finishedId = `done-${randomUUID()}`;
    await stack.withWorker(async () => {
      const done = await stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: stack.config.temporal.taskQueue,
        workflowId: finishedId,
        args: [{ versionId: upload.versionId, organization: 'Esimerkkilä', requestedBy: 'staff:registry:test', title: 'Done' }],
      });
      await done.result();
      // Let the stuck one fail a few attempts (1 s, 2 s backoff).
      await new Promise((r) => setTimeout(r, 4500));
    });
  }, 60_000);

  afterAll(async () => {
    for (const id of [stuckId, overdueId, waitingId]) {
      await stack.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    }
  });

  async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined || Date.now() > until) return value as T;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('lists processes by type, status and organisation', async () => {
    const found = await eventually(async () => {
      const response = await request(app)
        .get('/api/admin/processes')
        .query({ type: 'organisationSeal', organization: 'Esimerkkilä', status: 'sealed' })
        .set(await admin());
      return response.body.processes?.find((p: { processId: string }) => p.processId === finishedId);
    });
    expect(found).toMatchObject({ processType: 'organisationSeal', processStatus: 'sealed', runStatus: 'COMPLETED' });
    expect(
      (
        await request(app)
          .get('/api/admin/processes')
          .query({ type: "x' OR 1=1" })
          .set(await admin())
      ).status,
    ).toBe(400);
  });

  it('lists the stuck process with its reasons in words', async () => {
    const entry = await eventually(async () => {
      const response = await request(app)
        .get('/api/admin/stuck')
        .query({ attemptThreshold: 1, noProgressHours: 0 })
        .set(await admin());
      const candidate = response.body.stuck?.find((s: { processId: string }) => s.processId === stuckId);
      return candidate?.failingSteps?.length && candidate.reasons.length >= 2 ? candidate : undefined;
    });
    const words = entry.reasons.map((r: { words: string }) => r.words).join('\n');
    // Its first step waits on nobody: the deadline it was started with is not a wait, and the step is the system's own.
    expect(entry.reasons.map((r: { kind: string }) => r.kind).sort()).toEqual(['failing_step', 'no_progress']);
    expect(words).toMatch(/No progress: still "being prepared" since \d{1,2}\.\d{1,2}\.\d{4} at \d{1,2}\.\d{2}/);
    expect(words).toMatch(/Step "prepareSignatureFields" has failed \d+ times/);
    expect(entry.failingSteps[0]).toMatchObject({ activityType: 'prepareSignatureFields', lastError: expect.stringMatching(/not found/i) });
    // Temporal itself holds the message encrypted, like the payloads (common/failureConverter.ts).
    const described = await stack.client.workflow.getHandle(stuckId).describe();
    const rawFailure = described.raw.pendingActivities?.find((a) => a.activityType?.name === 'prepareSignatureFields')?.lastFailure;
    expect(rawFailure?.message).toBe('Encoded failure');
    expect(
      rawFailure?.encodedAttributes?.metadata?.encoding && Buffer.from(rawFailure.encodedAttributes.metadata.encoding).toString(),
    ).toBe('binary/encrypted');
    expect(JSON.stringify(rawFailure)).not.toMatch(/not found/i);
  });

  it('tells a wait whose end has passed from one that still has time, in the language asked', async () => {
    const survey = await eventually(async () => {
      const response = await request(app)
        .get('/api/admin/stuck')
        .query({ lang: 'fi' })
        .set(await admin());
      const found = response.body.waiting?.some((w: { processId: string }) => w.processId === waitingId);
      return found && response.body.stuck?.some((s: { processId: string }) => s.processId === overdueId) ? response.body : undefined;
    });
    const overdue = survey.stuck.find((s: { processId: string }) => s.processId === overdueId);
    expect(overdue.reasons).toEqual([expect.objectContaining({ kind: 'deadline_passed', waitingFor: 'employee' })]);
    expect(overdue.reasons[0].words).toMatch(/^Odotti: työntekijä, \d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2} asti/);
    expect(survey.counts.deadline_passed).toBeGreaterThanOrEqual(1);
    expect(survey.waitingCount).toBeGreaterThanOrEqual(1);
    expect(survey.stuck.some((s: { processId: string }) => s.processId === waitingId)).toBe(false);
  });

  it('retries a failed step and audits who did it and why', async () => {
    const response = await request(app)
      .post(`/api/admin/processes/${stuckId}/actions`)
      .set(await admin())
      .send({ action: 'retry', reason: 'store was restored' });
    expect(response.status).toBe(200);
    expect(response.body.result.retried).toEqual(['prepareSignatureFields']);
    const events = await new AuditLog().forProcess(stuckId);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'admin.retry',
        actor: `staff:admin:${developmentUser('admin').name}`,
        details: { reason: 'store was restored' },
      }),
    ]);
  });

  it.each([
    ['a non-admin', 'hr', () => stuckId, { action: 'retry', reason: 'because' }, 403],
    ['a missing reason', 'admin', () => stuckId, { action: 'cancel' }, 400],
    [
      'a reassignment to an invalid e-mail',
      'admin',
      () => stuckId,
      { action: 'reassign', reason: 'on holiday', participantId: 'p1', email: 'not-an-email', name: 'X' },
      400,
    ],
    ['a finished process', 'admin', () => finishedId, { action: 'cancel', reason: 'too late' }, 409],
    ['an unknown process', 'admin', () => `nope-${randomUUID()}`, { action: 'cancel', reason: 'nothing' }, 404],
  ])('refuses %s and changes nothing', async (_what, auth, id, body, status) => {
    const before = (await new AuditLog().forProcess(id())).length;
    const response = await request(app)
      .post(`/api/admin/processes/${id()}/actions`)
      .set(await staffHeaders(app, auth))
      .send(body);
    expect(response.status).toBe(status);
    expect(response.body.message.length).toBeGreaterThan(5);
    expect((await new AuditLog().forProcess(id())).length).toBe(before);
  });

  it('exposes running processes per type and status to Prometheus', async () => {
    const response = await request(app)
      .get('/metrics')
      .set(await admin()); // admin only since issue 13 (or METRICS_TOKEN)
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/sinetti_running_processes\{process_type="organisationSeal",status="preparing"\} \d+/);
    expect(response.text).toContain('sinetti_api_process_cpu_seconds_total');
  });
});
