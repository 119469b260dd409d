import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, REFUSED_PLAINTEXT_ENCODING, UnknownPayloadKeyError } from '../common/payloadCodec';
import { AuditLog } from '../audit/auditLog';
import { contractStateQuery } from '../workflows/employmentContract';
import { extendDeadlineUpdate } from '../workflows/adminUpdates';
import { type ContractHarness, contractRequest, invitationLink, openContractHarness, uniqueEmail } from './support/contractHarness';
import { ChunkedDocumentStore } from '../store/documentStore';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('AES-256-GCM payload codec', () => {
  const personal = { name: 'Maija Meikäläinen', email: 'maija@example.fi', identityCode: '131052-308T' };

  it('encrypts so that no personal data is readable, and decodes back to the same payload', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const payload = defaultPayloadConverter.toPayload(personal);
    const [encoded] = await codec.encode([payload]);
    const raw = Buffer.from(encoded.data!).toString('latin1');
    for (const value of Object.values(personal)) expect(raw).not.toContain(value);
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(personal);
  });

  it('rotates: new payloads use the newest key and old ones still decode', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const before = await new AesGcmPayloadCodec([k1]).encode([defaultPayloadConverter.toPayload('old')]);
    const rotated = new AesGcmPayloadCodec([k2, k1]);
    const after = await rotated.encode([defaultPayloadConverter.toPayload('new')]);
    expect(Buffer.from(after[0].metadata!['encryption-key-id']).toString()).toBe('k2');
    expect((await rotated.decode([...before, ...after])).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['old', 'new']);
  });

  it('fails with a clear error, not garbage, for a payload under an unknown key id', async () => {
    const encoded = await new AesGcmPayloadCodec([key('retired')]).encode([defaultPayloadConverter.toPayload('x')]);
    await expect(new AesGcmPayloadCodec([key('k9')]).decode(encoded)).rejects.toThrow(UnknownPayloadKeyError);
    await expect(new AesGcmPayloadCodec([key('k9')]).decode(encoded)).rejects.toThrow(/key "retired"/);
  });

  it('refuses a plaintext payload: it decodes to one no converter reads', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [decoded] = await codec.decode([
      defaultPayloadConverter.toPayload({ deadlineAt: '2030-01-01T00:00:00Z', actor: 'staff:hr:forged' }),
    ]);
    expect(Buffer.from(decoded.metadata!.encoding).toString()).toBe(REFUSED_PLAINTEXT_ENCODING);
    expect(decoded.data).toHaveLength(0);
    expect(() => defaultPayloadConverter.fromPayload(decoded)).toThrow(/Unknown encoding/);
  });

  it('refuses a tampered payload', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const data = Buffer.from(encoded.data!);
    data[20] ^= 1;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow();
  });
});

describe('what Temporal stores', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack('codec');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("holds only ciphertext in a raw history, while Sinetti's client reads the values", async () => {
    const marker = `Maija Meikäläinen 131052-308T ${randomUUID()}`;
    const store = new ChunkedDocumentStore(stack.config.maxDocumentBytes);
    const upload = await store.saveVersion({ key: randomUUID(), bytes: await samplePdf(1), fileName: 'a.pdf', kind: 'upload' });
    const workflowId = `codec-${randomUUID()}`;
    await stack.withWorker(async () => {
      const handle = await stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: stack.config.temporal.taskQueue,
        workflowId,
        args: [{ versionId: upload.versionId, organization: 'K', requestedBy: 'staff:registry:test', title: marker }],
      });
      await handle.result();
    });
    // A client without the codec sees what the database holds.
    const plainClient = new Client({ connection: stack.client.connection, namespace: stack.config.temporal.namespace });
    const rawHistory = JSON.stringify(await plainClient.workflow.getHandle(workflowId).fetchHistory());
    expect(rawHistory).not.toContain('131052-308T');
    expect(rawHistory).not.toContain('Meik');
    expect(rawHistory).toContain(Buffer.from('binary/encrypted').toString('base64'));
    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe('organisationSealWorkflow');
  });
});

describe('a plaintext Update sent straight to the Temporal port', () => {
  let harness: ContractHarness;
  beforeAll(async () => {
    harness = await openContractHarness('codec-forgery');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('is refused by the running contract and changes nothing: no new deadline, no forged actor in the trail', async () => {
    const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send(contractRequest(who));
      expect(created.status).toBe(201);
      const contractId = created.body.contractId as string;
      await invitationLink(who.employee);
      const sinetti = harness.stack.client.workflow.getHandle(contractId);
      const before = await sinetti.query(contractStateQuery);

      // What `temporal workflow update execute --name extendDeadline --input '{…}'` sends: JSON, no codec.
      const attacker = new Client({ connection: harness.stack.client.connection, namespace: harness.stack.config.temporal.namespace });
      const forged = { deadlineAt: new Date(Date.now() + 90 * 24 * 3600_000).toISOString(), actor: 'staff:hr:forged' };
      await expect(attacker.workflow.getHandle(contractId).executeUpdate(extendDeadlineUpdate, { args: [forged] })).rejects.toThrow(); // its reason is encrypted: the attacker's client cannot even read why

      const after = await sinetti.query(contractStateQuery);
      expect(after.round.deadlineAt).toBe(before.round.deadlineAt);
      expect(after.status).toBe(before.status);
      const trail = await new AuditLog().forProcess(contractId);
      expect(trail.map((event) => event.actor)).not.toContain(forged.actor);
      // The contract still works for Sinetti's own (encrypted) Update.
      const later = new Date(Date.now() + 20 * 24 * 3600_000).toISOString();
      const extended = await sinetti.executeUpdate(extendDeadlineUpdate, { args: [{ deadlineAt: later, actor: 'staff:hr:test' }] });
      expect(extended.deadlineAt).toBe(later);
    });
  });
});
