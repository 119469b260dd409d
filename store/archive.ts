import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import type { RecordsMetadata } from '../config/recordsPlan';
import { addToIdList, idList, idListModel, isDuplicateKey } from './keyedWrites';
import { KeyedSince } from './keyedSince';

/**
 * The archive's catalogue: one row per finished document, naming the
 * immutable version in the document store and the records metadata it is
 * kept under. Written once per process; a retried activity finds its row.
 *
 * Rows are keyed by their archive id and listed per process (BY_ID_ONLY in
 * store/connection.ts): the catalogue only grows, and a lookup by any other
 * field scans all of it on the embedded store, once per finished process in
 * the transfer watch and once per renewal of a document's timestamp. Rows
 * stored before carry a generated _id and are found by a scan; a store
 * without them is marked so (`markKeyedOnce`), and then nothing scans.
 */

export interface ArchiveEntry {
  archiveId: string;
  processId: string;
  processType: string;
  title: string;
  versionId: string;
  documentId: string;
  sha256: string;
  /** Further files kept with the document, e.g. the audit certificate. */
  attachmentVersionIds: string[];
  metadata: RecordsMetadata;
  createdAt: Date;
  archivedAt: Date;
}

const archiveSchema = new Schema<ArchiveEntry & { _id: string }>(
  {
    _id: { type: String, required: true },
    archiveId: { type: String, required: true, unique: true },
    processId: { type: String, required: true, index: true },
    processType: { type: String, required: true },
    title: { type: String, required: true },
    versionId: { type: String, required: true },
    documentId: { type: String, required: true },
    sha256: { type: String, required: true },
    attachmentVersionIds: { type: [String], default: [] },
    metadata: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    archivedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'archive_entries' },
);

const ArchiveModel = storeModel<ArchiveEntry & { _id: string }>('ArchiveEntry', archiveSchema);
/** Each process's archive ids. */
const ProcessEntriesModel = idListModel('ArchiveProcessEntries', 'archive_process_entries', {
  appendOnly: "A process's archive entries are only ever added to",
});

/** The mark that the store holds no catalogue row from before the keying. */
export const ARCHIVE_ENTRIES_KEYED = 'archive-entries-keyed';

function withoutKey(record: ArchiveEntry & { _id?: unknown }): ArchiveEntry {
  const { _id, ...entry } = record;
  return entry;
}

export class Archive {
  private readonly keyed: KeyedSince;

  /**
   * `afterStore` runs for every stored entry, again on a retry: the worker starts the entry's timestamp keeper there.
   * `keyedMark` names the store's mark that no row from before the keying is left (tests use marks of their own).
   */
  constructor(
    private readonly afterStore?: (entry: ArchiveEntry) => Promise<void>,
    keyedMark = ARCHIVE_ENTRIES_KEYED,
  ) {
    this.keyed = new KeyedSince(keyedMark);
  }

  async store(entry: ArchiveEntry): Promise<ArchiveEntry> {
    const stored = await this.storeOnce(entry);
    await this.afterStore?.(stored);
    return stored;
  }

  /** Listed first, then stored: a crash between the two leaves an id that reads as nothing, and the retry stores it. */
  private async storeOnce(entry: ArchiveEntry): Promise<ArchiveEntry> {
    await addToIdList(ProcessEntriesModel, entry.processId, [entry.archiveId]);
    try {
      await ArchiveModel.create({ _id: entry.archiveId, ...entry });
      return entry;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await this.find(entry.archiveId)) ?? entry;
    }
  }

  private async find(archiveId: string): Promise<ArchiveEntry | undefined> {
    const record = await this.keyed.find(ArchiveModel, 'archiveId', archiveId);
    return record ? withoutKey(record) : undefined;
  }

  /**
   * The archived document is now a newer version of itself (a fresh document timestamp
   * appended); earlier versions stay in the document store. Setting the same version again is harmless.
   */
  async renewVersion(archiveId: string, version: { versionId: string; sha256: string }): Promise<void> {
    await this.keyed.update(ArchiveModel, 'archiveId', archiveId, { $set: { versionId: version.versionId, sha256: version.sha256 } });
  }

  /** Every entry's ids, streamed (for the keepers' backfill at worker start). */
  async *entries(): AsyncGenerator<Pick<ArchiveEntry, 'archiveId' | 'versionId'>> {
    for await (const entry of ArchiveModel.find({}, { _id: 0, archiveId: 1, versionId: 1 }).lean().cursor()) yield entry;
  }

  async forProcess(processId: string): Promise<ArchiveEntry[]> {
    const ids = await idList(ProcessEntriesModel, processId);
    if (ids.length === 0) return ((await this.keyed.earlier(() => ArchiveModel.find({ processId }).lean())) ?? []).map(withoutKey);
    // A row from before the keying is listed too once its activity is retried; `find` still finds it.
    const entries = await Promise.all(ids.map((id) => this.find(id)));
    return entries.filter((entry) => entry !== undefined);
  }

  /** At a worker's start: marks the store once it holds no catalogue row from before the keying (see KeyedSince). */
  markKeyedOnce() {
    return this.keyed.markOnce([ArchiveModel as never]);
  }
}
