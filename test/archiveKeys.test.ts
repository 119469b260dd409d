import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Archive, type ArchiveEntry } from '../store/archive';
import { WatchCursors } from '../store/watchCursors';
import { recordStoreFilters } from './support/storeFilters';

/**
 * The archive's catalogue only grows, so it is read by key (BY_ID_ONLY in store/connection.ts): the transfer
 * watch looks up every finished process and each timestamp renewal changes a row, and on the embedded store a
 * filter on any other field scans the whole catalogue. Rows stored before the keying are still found.
 */

const filters = recordStoreFilters(/^archive_/);

function entry(processId: string): ArchiveEntry {
  return {
    archiveId: `${processId}/sealed`,
    processId,
    processType: 'employmentContract',
    title: 'Työsopimus',
    versionId: `v-${randomUUID()}`,
    documentId: `d-${randomUUID()}`,
    sha256: 'ab'.repeat(32),
    attachmentVersionIds: [],
    metadata: { retention: 'permanent' } as unknown as ArchiveEntry['metadata'],
    createdAt: new Date(),
    archivedAt: new Date(),
  };
}

/** An archive on a store marked as holding no rows from before the keying. */
async function markedArchive(): Promise<Archive> {
  const mark = `test-archive-keyed-${randomUUID()}`;
  await new WatchCursors().set(mark, new Date());
  return new Archive(undefined, mark);
}

it('stores, finds, lists and renews an entry by its archive id and its process, never by a scan', async () => {
  const archive = await markedArchive();
  const processId = `contract-${randomUUID()}`;
  filters.length = 0;
  const stored = await archive.store(entry(processId));
  expect(await archive.store(entry(processId))).toEqual(stored); // a retried activity finds its row
  expect((await archive.forProcess(processId)).map((e) => e.archiveId)).toEqual([`${processId}/sealed`]);
  await archive.renewVersion(`${processId}/sealed`, { versionId: 'v-renewed', sha256: 'cd'.repeat(32) });
  expect((await archive.forProcess(processId))[0].versionId).toBe('v-renewed');
  // A cancelled process archived nothing: answered from its (absent) list, not by looking through the catalogue.
  expect(await archive.forProcess(`contract-${randomUUID()}`)).toEqual([]);

  expect(filters.length).toBeGreaterThanOrEqual(8);
  for (const filter of filters) expect(Object.keys(filter)).toEqual(['_id']);
  expect(await mongoose.connection.collection('archive_entries').countDocuments({ _id: `${processId}/sealed` as never })).toBe(1);
});

it('still finds, renews and keeps the rows stored before the keying, by a scan, on a store not marked', async () => {
  const archive = new Archive(undefined, `test-archive-keyed-${randomUUID()}`);
  const processId = `contract-${randomUUID()}`;
  const legacy = entry(processId);
  const legacyId = new mongoose.Types.ObjectId();
  await mongoose.connection.collection('archive_entries').insertOne({ _id: legacyId, ...legacy });

  expect((await archive.forProcess(processId)).map((e) => e.versionId)).toEqual([legacy.versionId]);
  await archive.renewVersion(legacy.archiveId, { versionId: 'v-renewed', sha256: 'cd'.repeat(32) });
  expect((await mongoose.connection.collection('archive_entries').findOne({ _id: legacyId }))?.versionId).toBe('v-renewed');
  // The activity retried after an upgrade finds the row from before, and no second row is made.
  expect((await archive.store(legacy)).versionId).toBe('v-renewed');
  expect(await mongoose.connection.collection('archive_entries').countDocuments({ archiveId: legacy.archiveId })).toBe(1);

  expect(await archive.markKeyedOnce()).toBe('has-earlier-rows');
  expect((await archive.forProcess(processId)).length).toBe(1);
});

it('marks a store with no rows from before the keying once, and then never scans for a miss', async () => {
  // The test store may hold rows that earlier versions wrote; rows of this version are keyed by their id.
  await mongoose.connection.collection('archive_entries').deleteMany({ _id: { $type: 'objectId' } });
  const mark = `test-archive-keyed-${randomUUID()}`;
  const archive = new Archive(undefined, mark);
  expect(await archive.markKeyedOnce()).toBe('marked');
  expect(await new Archive(undefined, mark).markKeyedOnce()).toBe('already-marked');
  filters.length = 0;
  expect(await new Archive(undefined, mark).forProcess(`contract-${randomUUID()}`)).toEqual([]);
  expect(filters.map((filter) => Object.keys(filter))).toEqual([['_id']]);
});
