import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { type Express } from 'express';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { HEALTH_REFRESH_MS } from '../api/dependencyHealth';
import { connectStore, disconnectStore } from '../store/connection';
import { DocumentVersionModel } from '../store/documentStore';
import { samplePdf } from './support/samplePdf';
import { type StaffHeaders, staffHeaders } from './support/staffSession';
import { openTestStack, type TestStack } from './support/testStack';

let stack: TestStack;
let app: Express;
let deps: ReturnType<typeof createApiDeps>;
let hr: StaffHeaders;
let registry: StaffHeaders;

beforeAll(async () => {
  stack = await openTestStack('api', { MAX_DOCUMENT_BYTES: String(200 * 1024) });
  app = createApp((deps = createApiDeps(stack.config, stack.client)));
  hr = await staffHeaders(app, 'hr');
  registry = await staffHeaders(app, 'registry');
});
afterAll(async () => {
  deps.close();
  await stack?.close();
});

function encryptedPdf(bytes: Buffer): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-enc-'));
  fs.writeFileSync(path.join(dir, 'in.pdf'), bytes);
  execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
  return fs.readFileSync(path.join(dir, 'out.pdf'));
}

describe('API skeleton', () => {
  it('reports Temporal, the store and SMTP in /health (as last checked, saying when) and in /health/deep (checked now)', async () => {
    const response = await request(app).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      temporal: true,
      store: true,
      smtp: true,
      checkedAt: expect.any(String),
      refreshSeconds: 5,
    });
    expect(Date.now() - Date.parse(response.body.checkedAt)).toBeLessThan(HEALTH_REFRESH_MS + 2_000);
    const deep = await request(app).get('/health/deep');
    expect(deep.body).toEqual({ status: 'ok', temporal: true, store: true, smtp: true, checkedAt: expect.any(String) });
    expect(Date.parse(deep.body.checkedAt)).toBeGreaterThanOrEqual(Date.parse(response.body.checkedAt));
  });

  it('publishes an OpenAPI document naming the routes and their roles', async () => {
    const response = await request(app).get('/openapi.json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/api/documents'].post['x-roles']).toEqual(['hr', 'secretary', 'handler', 'registry']);
    expect(response.body.paths['/api/versions/{versionId}/seal'].post.requestBody.content['application/json'].schema.required).toEqual([
      'title',
    ]);
  });

  it('answers an unknown route with JSON 404', async () => {
    const response = await request(app).get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not_found', message: expect.stringContaining('/api/nothing-here') });
  });

  it('asks for a token (401) and refuses the wrong role (403)', async () => {
    expect((await request(app).post('/api/documents').send(Buffer.from('x'))).status).toBe(401);
    const forbidden = await request(app).post('/api/versions/x/seal').set(hr).send({ title: 'T' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/registry/);
  });

  it('stores an uploaded PDF with its SHA-256 and lets staff download it unchanged', async () => {
    const pdf = await samplePdf(2);
    const upload = await request(app)
      .post('/api/documents')
      .set(hr)
      .set('Content-Type', 'application/pdf')
      .set('X-File-Name', 'sopimus.pdf')
      .send(pdf);
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ version: 1, pages: 2, size: pdf.length, fileName: 'sopimus.pdf' });
    const download = await request(app)
      .get(`/api/versions/${upload.body.versionId}/content`)
      .set(hr)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(Buffer.compare(download.body as Buffer, pdf)).toBe(0);
    expect(download.headers['x-content-sha256']).toBe(upload.body.sha256);
  });

  it.each([
    ['a non-PDF', () => Promise.resolve(Buffer.from('Hello, not a PDF')), 422, 'not_pdf'],
    ['a malformed PDF', () => Promise.resolve(Buffer.from('%PDF-1.7\n1 0 obj garbage\n%%EOF')), 422, 'malformed'],
    ['an encrypted PDF', async () => encryptedPdf(await samplePdf(1)), 422, 'encrypted'],
    [
      'an oversize PDF',
      () => Promise.resolve(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300 * 1024, 32)])),
      413,
      'document_too_large',
    ],
    ['an empty body', () => Promise.resolve(Buffer.alloc(0)), 400, 'empty_upload'],
  ])('refuses %s with a reason and stores nothing', async (_what, make, status, code) => {
    const before = await DocumentVersionModel.countDocuments();
    const response = await request(app)
      .post('/api/documents')
      .set(hr)
      .set('Content-Type', 'application/pdf')
      .send(await make());
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(code);
    expect(response.body.message.length).toBeGreaterThan(10);
    expect(await DocumentVersionModel.countDocuments()).toBe(before);
  });

  it('validates request bodies with field-level messages', async () => {
    const response = await request(app).post('/api/versions/anything/seal').set(registry).send({ title: '' });
    expect(response.status).toBe(400);
    expect(response.body.details[0].field).toBe('title');
  });

  it('answers 503 with Retry-After while the store is unreachable, then recovers', async () => {
    await disconnectStore();
    try {
      const response = await request(app).get('/api/documents/some-id/versions').set(hr);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.body.error).toBe('store_unavailable');
      const deep = await request(app).get('/health/deep');
      expect(deep.status).toBe(503);
      expect(deep.body).toMatchObject({ store: false, temporal: true });
      // The cheap answer says so within one refresh period.
      expect(await healthWithin(HEALTH_REFRESH_MS, (body) => body.store === false)).toMatchObject({ status: 'degraded', temporal: true });
    } finally {
      await connectStore(stack.config.mongodb.uri);
    }
    expect((await request(app).get('/health/deep')).status).toBe(200);
    expect(await healthWithin(HEALTH_REFRESH_MS, (body) => body.status === 'ok')).toMatchObject({ store: true });
  }, 30_000);
});

/** Asks /health until its answer matches, for at most `ms` plus one check's timeout; the last answer either way. */
async function healthWithin(ms: number, matches: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const until = Date.now() + ms + 2_000;
  for (;;) {
    const { body } = await request(app).get('/health');
    if (matches(body) || Date.now() > until) return body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
