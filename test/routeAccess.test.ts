import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type Express } from 'express';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/apiDeps';
import { AuditLog } from '../audit/auditLog';
import { loadHttpProtectionConfig } from '../config/httpProtection';
import { ChunkedDocumentStore, DocumentVersionModel } from '../store/documentStore';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack, TEST_ENVIRONMENT } from './support/testStack';

/**
 * Issue 13's should-fixes on the routes, each as it was probed: staff of one
 * role reading another role's process, header injection through a round id,
 * bodies read before sign-in or without a cap, orphan uploads from a form
 * sent back, a forged X-Forwarded-For, and a public /metrics.
 */

let stack: TestStack;
let app: Express;
beforeAll(async () => {
  stack = await openTestStack('routeaccess');
  app = apiWith({});
});
afterAll(async () => {
  await stack?.close();
});

function apiWith(env: Record<string, string>, maxDocumentBytes?: number): Express {
  const http = loadHttpProtectionConfig({ ...TEST_ENVIRONMENT, ...env });
  return createApp(
    createApiDeps({ ...stack.config, http, maxDocumentBytes: maxDocumentBytes ?? stack.config.maxDocumentBytes }, stack.client),
  );
}

const as = (role: string) => ({ Authorization: `Bearer dev-${role}-token` });

describe("a contract's state, audit trail and versions are HR's (and admin's)", () => {
  const contractId = `contract-${randomUUID()}`;
  let versionId: string;
  let documentId: string;
  beforeAll(async () => {
    await new AuditLog().append({
      eventId: `${contractId}/probe`,
      processId: contractId,
      actor: 'staff:hr:probe',
      action: 'contract.created',
      at: new Date(),
      ip: '198.51.100.7',
      userAgent: 'probe',
    });
    const saved = await new ChunkedDocumentStore(10_000_000).saveVersion({
      key: `${contractId}/prepare`,
      bytes: await samplePdf(1),
      fileName: 'sopimus "luonnos".pdf',
      kind: 'prepared',
    });
    versionId = saved.versionId;
    documentId = saved.documentId;
  });

  it.each(['handler', 'secretary', 'registry'])('%s is refused', async (role) => {
    for (const path of [
      `/api/processes/${contractId}`,
      `/api/processes/${contractId}/audit`,
      `/api/versions/${versionId}/content`,
      `/api/documents/${documentId}/versions`,
    ]) {
      const response = await request(app).get(path).set(as(role));
      // Who may not read a process is told it does not exist (issue 14's per-unit visibility replaced the interim 403).
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  it.each(['hr', 'admin'])('%s reads them', async (role) => {
    const audit = await request(app).get(`/api/processes/${contractId}/audit`).set(as(role));
    expect(audit.status).toBe(200);
    expect(audit.body.events).toEqual([expect.objectContaining({ eventId: `${contractId}/probe` })]);
    const content = await request(app).get(`/api/versions/${versionId}/content`).set(as(role));
    expect(content.status).toBe(200);
    // Built by the content-disposition package: the quote cannot end the parameter early.
    expect(content.headers['content-disposition']).toBe('attachment; filename="sopimus \\"luonnos\\".pdf"');
  });
});

it('a CR, LF or quote in a round id is refused before it reaches a header', async () => {
  for (const roundId of ['a%0D%0ASet-Cookie:%20x=1', 'a%22b', 'round%0A']) {
    const response = await request(app).get(`/api/rounds/${roundId}/export/kulukorvaus.csv`).set(as('handler'));
    expect({ roundId, status: response.status }).toEqual({ roundId, status: 400 });
    expect(response.headers['set-cookie']).toBeUndefined();
  }
  const fine = await request(app).get('/api/rounds/spring-2026/export/kulukorvaus.csv').set(as('handler'));
  expect(fine.status).toBe(200);
  expect(fine.headers['content-disposition']).toBe('attachment; filename=spring-2026-kulukorvaus.csv');
});

it('/hr/contracts answers the sign-in page before reading a body over the limit', async () => {
  const small = apiWith({}, 100_000); // the multipart limit is then 1.1 MB
  const body = Buffer.alloc(2 * 1024 * 1024, 'a');
  const response = await request(small)
    .post('/hr/contracts')
    .set('Content-Type', 'multipart/form-data; boundary=x')
    .send(body)
    .catch((error: { response?: request.Response }) => error.response!);
  // Before the fix the body was read first and refused as too large (413).
  expect(response.status).toBe(401);
  expect(response.text).toContain('<form');
});

it("the minutes version route's non-PDF body is capped at 1 MB", async () => {
  const response = await request(app)
    .post(`/api/minutes/minutes-${randomUUID()}/versions`)
    .set(as('secretary'))
    .set('Content-Type', 'text/plain')
    .send('x'.repeat(2 * 1024 * 1024));
  expect(response.status).toBe(413);
});

it("HR's page stores the uploaded PDF only once the form is valid: a form sent back leaves no version", async () => {
  const fileName = `orphan-${randomUUID()}.pdf`;
  const response = await request(app)
    .post('/hr/contracts')
    .set(as('hr'))
    .field('source', 'pdf')
    .field('language', 'fi')
    .field('employeeSignerName', '')
    .field('hrEmail', 'not-an-address')
    .attach('pdf', await samplePdf(1), { filename: fileName, contentType: 'application/pdf' });
  expect(response.status).toBe(400);
  expect(await DocumentVersionModel.exists({ fileName })).toBeNull();
});

it('X-Forwarded-For is believed only from the proxies TRUST_PROXY names', async () => {
  const upload = async (api: Express) => {
    const response = await request(api)
      .post('/api/documents')
      .set(as('hr'))
      .set('X-Forwarded-For', '203.0.113.9')
      .set('Content-Type', 'application/pdf')
      .send(await samplePdf(1));
    expect(response.status).toBe(201);
    const [event] = await new AuditLog().forProcess(`document/${response.body.documentId}`);
    return event?.ip;
  };
  expect(await upload(app)).not.toBe('203.0.113.9');
  expect(await upload(apiWith({ TRUST_PROXY: 'loopback' }))).toBe('203.0.113.9');
});

it('/metrics needs the admin role or the metrics token', async () => {
  const withToken = apiWith({ METRICS_TOKEN: 'metrics-token-for-the-scraper' });
  expect((await request(withToken).get('/metrics')).status).toBe(401);
  expect((await request(withToken).get('/metrics').set(as('hr'))).status).toBe(403);
  expect((await request(withToken).get('/metrics').set({ Authorization: 'Bearer metrics-token-for-the-scraper' })).status).toBe(200);
  expect((await request(withToken).get('/metrics').set(as('admin'))).status).toBe(200);
});
