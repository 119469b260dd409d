import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { AuditEventModel, AuditLog } from '../audit/auditLog';
import { hashToken, LinkRejectedError, ParticipantLinkModel, ParticipantLinks } from '../links/signerLinks';
import { connectStore, disconnectStore } from '../store/connection';
import { DocumentTooLargeError, DocumentVersionModel, ChunkedDocumentStore, sha256Hex } from '../store/documentStore';
import { countLetters, LetterPageTallies } from '../store/letterPageTallies';
import { testConfig } from './support/testStack';

const pdfLike = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

beforeAll(async () => {
  await connectStore(testConfig().mongodb.uri);
});
afterAll(async () => {
  await disconnectStore();
});

describe('document store (chunked documents on the real store)', () => {
  const store = new ChunkedDocumentStore(1024);

  it('stores versions with their SHA-256 and reads back the same bytes', async () => {
    const first = await store.saveVersion({ key: randomUUID(), bytes: pdfLike('one'), fileName: 'a.pdf', kind: 'upload' });
    const second = await store.saveVersion({
      key: randomUUID(),
      documentId: first.documentId,
      bytes: pdfLike('two'),
      fileName: 'a.pdf',
      kind: 'signed',
    });
    expect(second.version).toBe(2);
    expect(first.sha256).toBe(sha256Hex(pdfLike('one')));
    expect((await store.readVersion(first.versionId)).toString()).toContain('one');
    expect((await store.listVersions(first.documentId)).map((v) => v.kind)).toEqual(['upload', 'signed']);
  });

  it('returns the already written version when a retried write repeats its key', async () => {
    const key = randomUUID();
    const a = await store.saveVersion({ key, bytes: pdfLike('x'), fileName: 'x.pdf', kind: 'upload' });
    const b = await store.saveVersion({ key, bytes: pdfLike('x'), fileName: 'x.pdf', kind: 'upload' });
    expect(b.versionId).toBe(a.versionId);
    expect(await DocumentVersionModel.countDocuments({ key })).toBe(1);
  });

  it('refuses to change or delete a version', async () => {
    const v = await store.saveVersion({ key: randomUUID(), bytes: pdfLike('keep'), fileName: 'k.pdf', kind: 'upload' });
    await expect(DocumentVersionModel.updateOne({ _id: v.versionId }, { $set: { kind: 'forged' } })).rejects.toThrow(/immutable/);
    await expect(DocumentVersionModel.deleteOne({ _id: v.versionId })).rejects.toThrow(/immutable/);
    expect((await store.getVersion(v.versionId)).kind).toBe('upload');
  });

  it('splits a large document into chunks and reads back the same bytes', async () => {
    const big = new ChunkedDocumentStore(8 * 1024 * 1024);
    const bytes = Buffer.concat([pdfLike('big'), Buffer.alloc(2_500_000, 7)]);
    const v = await big.saveVersion({ key: randomUUID(), bytes, fileName: 'big.pdf', kind: 'upload' });
    expect(Buffer.compare(await big.readVersion(v.versionId), bytes)).toBe(0);
    expect(v.sha256).toBe(sha256Hex(bytes));
  });

  it('refuses an oversize document and stores nothing', async () => {
    const key = randomUUID();
    await expect(store.saveVersion({ key, bytes: Buffer.alloc(2048, 1), fileName: 'big.pdf', kind: 'upload' })).rejects.toBeInstanceOf(
      DocumentTooLargeError,
    );
    expect(await DocumentVersionModel.countDocuments({ key })).toBe(0);
  });

  it('adds versions to an unknown document only by error', async () => {
    await expect(
      store.saveVersion({ key: randomUUID(), documentId: randomUUID(), bytes: pdfLike('y'), fileName: 'y.pdf', kind: 'upload' }),
    ).rejects.toThrow(/not found/);
  });
});

describe('participant links', () => {
  const links = new ParticipantLinks();
  const future = () => new Date(Date.now() + 3600_000);

  it('issues 256-bit tokens and stores only their hash', async () => {
    const processId = randomUUID();
    const token = await links.issue({ processId, participantId: 's1', purpose: 'sign', expiresAt: future() });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = await ParticipantLinkModel.findById(hashToken(token)).lean();
    expect(stored?.processId).toBe(processId);
    expect(stored?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    await expect(links.resolve(token)).resolves.toMatchObject({ processId, participantId: 's1', purpose: 'sign' });
  });

  it('rejects unknown, expired, superseded and revoked links with their own reason', async () => {
    const processId = randomUUID();
    await expect(links.resolve('x'.repeat(43))).rejects.toMatchObject({ reason: 'unknown', status: 404 });
    const expired = await links.issue({ processId, participantId: 'old', purpose: 'sign', expiresAt: new Date(Date.now() - 1000) });
    await expect(links.resolve(expired)).rejects.toMatchObject({ reason: 'expired' });
    const first = await links.issue({ processId, participantId: 's1', purpose: 'sign', expiresAt: future() });
    const second = await links.issue({ processId, participantId: 's1', purpose: 'sign', expiresAt: future() });
    await expect(links.resolve(first)).rejects.toMatchObject({ reason: 'revoked' });
    await expect(links.resolve(second)).resolves.toMatchObject({ participantId: 's1' });
    expect(await links.revokeAll({ processId, reason: 'cancelled' })).toBeGreaterThanOrEqual(1);
    await expect(links.resolve(second)).rejects.toBeInstanceOf(LinkRejectedError);
  });
});

describe('audit log', () => {
  const audit = new AuditLog();

  it('appends events once per id, in time order, and never updates them', async () => {
    const processId = randomUUID();
    await audit.append({
      eventId: `${processId}/1`,
      processId,
      actor: 'system',
      action: 'created',
      at: new Date(1000),
      documentSha256: 'a'.repeat(64),
    });
    await audit.append({
      eventId: `${processId}/2`,
      processId,
      actor: 'participant:s1',
      action: 'signed',
      at: new Date(2000),
      ip: '127.0.0.1',
    });
    await audit.append({
      eventId: `${processId}/2`,
      processId,
      actor: 'participant:s1',
      action: 'signed',
      at: new Date(2000),
      ip: '127.0.0.1',
    });
    const events = await audit.forProcess(processId);
    expect(events.map((e) => e.action)).toEqual(['created', 'signed']);
    await expect(AuditEventModel.updateOne({ eventId: `${processId}/1` }, { $set: { action: 'forged' } })).rejects.toThrow(/append-only/);
    expect(mongoose.connection.readyState).toBe(1);
  });

  it("lists many processes' events in one shared trail and reads each process's back from it", async () => {
    const page = `page-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    await audit.appendMany(
      [a, b].flatMap((processId) => [
        { eventId: `${processId}/letter.sent`, processId, trail: page, actor: 'system', action: 'letter.sent', at: new Date(1000) },
        { eventId: `${processId}/letter.final`, processId, trail: page, actor: 'system', action: 'letter.read', at: new Date(2000) },
      ]),
    );
    await audit.append({ eventId: `${a}/note`, processId: a, actor: 'admin:x', action: 'note', at: new Date(3000) });
    expect((await audit.forProcess(a, page)).map((e) => e.action)).toEqual(['letter.sent', 'letter.read', 'note']);
    expect((await audit.forProcess(b, page)).map((e) => e.action)).toEqual(['letter.sent', 'letter.read']);
    expect((await audit.forProcess(b)).map((e) => e.action)).toEqual([]);
    // An event whose id does not name its process could not be read back from a shared trail: refused before anything is written.
    await expect(
      audit.appendMany([{ eventId: `other/${a}`, processId: a, trail: page, actor: 'system', action: 'x', at: new Date() }]),
    ).rejects.toThrow(/does not start with its process id/);
  });
});

describe('letter page tallies', () => {
  const tallies = new LetterPageTallies();
  const sent = (channel: 'electronic' | 'paper') => ({
    status: 'sent' as const,
    channel,
    costCents: channel === 'paper' ? 120 : 10,
    paperCostCents: 120,
  });

  it('counts a batch from its pages: each sending\'s rows once however often it writes, final states moving letters out of "sent"', async () => {
    const batchId = `batch-${randomUUID()}`;
    const [first, second] = [`${batchId}-page-1`, `${batchId}-page-3`];
    await tallies.setSending(first, batchId, 'a1', countLetters([sent('electronic')]));
    await tallies.setSending(first, batchId, 'a1', countLetters([sent('electronic'), sent('paper')])); // the same sending, further on (or retried)
    await tallies.setSending(second, batchId, 'a1', countLetters([{ status: 'no_channel' }]));
    await tallies.setSending(second, batchId, 'a2', countLetters([{ status: 'failed' }])); // a later round of the page
    expect(await tallies.batchCounts(5, [first, second])).toEqual({
      settled: 4,
      byStatus: { sent: 2, no_channel: 1, failed: 1, created: 1 },
      byChannel: { electronic: 1, paper: 1 },
      costCents: 130,
      paperCostCents: 240,
    });
    await tallies.setFinals(first, batchId, { read: 1 });
    // One final state for another, every count the same: the kind of change FerretDB 1.24 would drop from a replaced embedded document.
    await tallies.setFinals(first, batchId, { receipt_confirmed: 1 });
    await tallies.setFinals(first, batchId, { receipt_confirmed: 1, delivered: 1 });
    expect((await tallies.batchCounts(5, [first, second])).byStatus).toEqual({
      receipt_confirmed: 1,
      delivered: 1,
      no_channel: 1,
      failed: 1,
      created: 1,
    });
  });
});
