import { X509Certificate } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApiDeps } from '../../api/apiDeps';
import { createApp } from '../../api/app';
import { addArchivalTimestamp } from '../../signing/longTermValidity';
import { prepareSignatureFields } from '../../signing/prepareSignatureFields';
import { signField } from '../../signing/signField';
import { timestampNewestSignature } from '../../signing/signatureTimestamp';
import { openTestStack, type TestStack } from '../support/testStack';
import { trustServices } from './ltvFixtures';
import { makeTextPdf } from './signingFixtures';

let stack: TestStack;
let app: Express;
let deps: ReturnType<typeof createApiDeps>;
let trust: Awaited<ReturnType<typeof trustServices>>;
let basic: Buffer;
let archival: Buffer;

beforeAll(async () => {
  stack = await openTestStack('validate', { MAX_DOCUMENT_BYTES: String(2 * 1024 * 1024) });
  app = createApp((deps = createApiDeps(stack.config, stack.client)));
  trust = await trustServices();
  const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1), [{ name: 'organisation-seal', label: 'Sinetti' }]);
  basic = signField(
    pdf,
    plan,
    'organisation-seal',
    { signerName: 'Esimerkkilän kunta', role: 'Sinetti', signedAt: new Date() },
    trust.pki.seal,
  );
  archival = (await addArchivalTimestamp((await timestampNewestSignature(basic, trust.services.timestamps)).pdf, trust.services)).pdf;
});
afterAll(async () => {
  deps?.close();
  await stack?.close();
});

const validate = (body: Buffer, query = '') => request(app).post(`/api/validate${query}`).set('Content-Type', 'application/pdf').send(body);

describe('POST /api/validate', () => {
  it('reports each signature of a B-LTA PDF in words, without a staff token', async () => {
    const response = await validate(archival);
    expect(response.status).toBe(200);
    expect(response.body.documentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(response.body.signatures).toHaveLength(2);
    expect(response.body.signatures[0]).toMatchObject({
      kind: 'signature',
      level: 'B-LTA',
      indication: 'valid',
      signer: { subject: 'C=FI, O=Esimerkkilän kunta, CN=Esimerkkilän kunta', trusted: true },
      revocation: { status: 'good', source: 'dss-ocsp' },
      covers: { wholeDocument: false, laterChanges: 'validation-data-and-timestamps' },
    });
    expect(response.body.signatures[0].timestampedTime).toBeDefined();
    expect(response.body.signatures[1]).toMatchObject({ kind: 'document-timestamp', indication: 'valid', covers: { wholeDocument: true } });
  });

  it('validates at a chosen date: after the seal certificate expires only the B-LTA PDF stays valid', async () => {
    const after = new Date(new Date(new X509Certificate(trust.pki.seal.certificate).validTo).getTime() + 40 * 24 * 3600 * 1000)
      .toISOString()
      .slice(0, 10);
    const basicLater = await validate(basic, `?at=${after}`);
    expect(basicLater.body.signatures[0]).toMatchObject({ level: 'B-B', indication: 'indeterminate' });
    const archivalLater = await validate(archival, `?at=${after}`);
    expect(archivalLater.body.signatures.map((s: { indication: string }) => s.indication)).toEqual(['valid', 'valid']);
  });

  it('answers bad input with a clear 4xx', async () => {
    expect((await validate(Buffer.from('not a pdf'))).status).toBe(422);
    expect((await request(app).post('/api/validate').set('Content-Type', 'text/plain').send('hello')).status).toBe(415);
    expect((await validate(archival, '?at=tomorrow')).status).toBe(400);
    const tooLarge = await validate(Buffer.concat([archival, Buffer.alloc(3 * 1024 * 1024, 0x20)]));
    expect(tooLarge.status).toBe(413);
  });
});
