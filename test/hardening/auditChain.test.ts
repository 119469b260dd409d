import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { type AuditEvent, AuditLog } from '../../audit/auditLog';
import { idListModel } from '../../store/keyedWrites';
import { type ContractHarness, openContractHarness } from '../support/contractHarness';
import { staffHeaders } from '../support/staffSession';

/**
 * Tampering through the database's own driver, as the probe did it: an
 * updateOne on an audit event (the actor changed) and a $pull from a trail
 * (an event vanished) both went unnoticed. The admin's chain check finds both.
 */

const ADMIN = () => staffHeaders(harness.baseUrl, 'admin');
let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('audit-chain');
});
afterAll(async () => {
  await harness?.close();
});

const raw = (collection: string) => mongoose.connection.db!.collection(collection);
const check = async (processId: string) => {
  const response = await harness
    .api()
    .get(`/api/admin/processes/${encodeURIComponent(processId)}/audit-chain`)
    .set(await ADMIN());
  expect(response.status).toBe(200);
  return response.body as {
    intact: boolean;
    chained: number;
    head?: { seq: number; hash: string };
    problems: { problem: string; eventId?: string }[];
  };
};

function eventsOf(processId: string, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `${processId}/e${i}`,
    processId,
    actor: i === 0 ? 'staff:hr:hanna' : `participant:signer-${i}`,
    action: `contract.step${i}`,
    at: new Date(Date.now() + i),
    ip: '192.0.2.7',
    userAgent: 'Firefox',
    details: { round: i, when: new Date(1_700_000_000_000 + i) },
  }));
}

it("chains a process's events and the admin check finds the chain intact", async () => {
  const processId = `chain-${randomUUID()}`;
  const audit = new AuditLog();
  for (const event of eventsOf(processId, 4)) await audit.append(event);
  await audit.append(eventsOf(processId, 1)[0]); // a retried activity: written once
  const report = await check(processId);
  expect(report).toMatchObject({ intact: true, chained: 4, problems: [] });
  expect(report.head!.seq).toBe(4);
  expect(
    (
      await harness
        .api()
        .get(`/api/admin/processes/${processId}/audit-chain`)
        .set(await staffHeaders(harness.baseUrl, 'hr'))
    ).status,
  ).toBe(403);
});

it('detects an updateOne on an event made with the raw driver', async () => {
  const processId = `chain-${randomUUID()}`;
  const audit = new AuditLog();
  for (const event of eventsOf(processId, 3)) await audit.append(event);
  const changed = await raw('audit_events').updateOne({ _id: `${processId}/e1` as never }, { $set: { actor: 'staff:hr:forged' } });
  expect(changed.modifiedCount).toBe(1);
  const report = await check(processId);
  expect(report.intact).toBe(false);
  expect(report.problems).toContainEqual(expect.objectContaining({ problem: 'altered', eventId: `${processId}/e1` }));
});

it('detects a $pull from a trail made with the raw driver, and mongoose refuses one', async () => {
  const processId = `chain-${randomUUID()}`;
  const audit = new AuditLog();
  for (const event of eventsOf(processId, 3)) await audit.append(event);
  const trails = idListModel('AuditTrail', 'audit_trails');
  await expect(trails.updateOne({ _id: processId }, { $pull: { ids: `${processId}/e2` } })).rejects.toThrow(/only ever added to/);
  await expect(trails.deleteOne({ _id: processId })).rejects.toThrow(/only ever added to/);
  const pulled = await raw('audit_trails').updateOne({ _id: processId as never }, { $pull: { ids: `${processId}/e2` } as never });
  expect(pulled.modifiedCount).toBe(1);
  expect((await audit.forProcess(processId)).map((e) => e.eventId)).not.toContain(`${processId}/e2`);
  const report = await check(processId);
  expect(report.intact).toBe(false);
  expect(report.problems).toContainEqual(expect.objectContaining({ problem: 'unlisted', eventId: `${processId}/e2` }));
});

it('detects an event deleted with the raw driver from the middle of the chain', async () => {
  const processId = `chain-${randomUUID()}`;
  const audit = new AuditLog();
  for (const event of eventsOf(processId, 3)) await audit.append(event);
  await raw('audit_events').deleteOne({ _id: `${processId}/e1` as never });
  await raw('audit_trails').updateOne({ _id: processId as never }, { $pull: { ids: `${processId}/e1` } as never });
  const report = await check(processId);
  expect(report.intact).toBe(false);
  expect(report.problems).toContainEqual(expect.objectContaining({ problem: 'missing' }));
});

it('keeps one chain when writers race for the same process, and for batch letters in a shared trail', async () => {
  const processId = `chain-${randomUUID()}`;
  const writers = [new AuditLog(), new AuditLog(), new AuditLog()];
  await Promise.all(eventsOf(processId, 12).map((event, i) => writers[i % 3].append(event)));
  expect(await check(processId)).toMatchObject({ intact: true, chained: 12 });

  const page = `tracker-${randomUUID()}`;
  const letters = [0, 1, 2].map((i) => `letter-${randomUUID()}-${i}`);
  const batch = letters.flatMap((letter) => eventsOf(letter, 2).map((event) => ({ ...event, trail: page })));
  await new AuditLog().appendMany(batch);
  await new AuditLog().appendMany(batch); // retried page: nothing written twice
  for (const letter of letters) {
    const report = await new AuditLog().verifyChain(letter, page);
    expect(report).toMatchObject({ intact: true, chained: 2 });
  }
});
