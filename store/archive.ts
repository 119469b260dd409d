import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import type { RecordsMetadata } from '../config/recordsPlan';
import { isDuplicateKey } from './keyedWrites';

/**
 * The archive's catalogue: one row per finished document, naming the
 * immutable version in the document store and the records metadata it is
 * kept under. Written once per process; a retried activity finds its row.
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

const archiveSchema = new Schema<ArchiveEntry>(
  {
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

const ArchiveModel = storeModel<ArchiveEntry>('ArchiveEntry', archiveSchema);

export class Archive {
  /** `afterStore` runs for every stored entry, again on a retry: the worker starts the entry's timestamp keeper there. */
  constructor(private readonly afterStore?: (entry: ArchiveEntry) => Promise<void>) {}

  async store(entry: ArchiveEntry): Promise<ArchiveEntry> {
    const stored = await this.storeOnce(entry);
    await this.afterStore?.(stored);
    return stored;
  }

  private async storeOnce(entry: ArchiveEntry): Promise<ArchiveEntry> {
    try {
      await ArchiveModel.create(entry);
      return entry;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await ArchiveModel.findOne({ archiveId: entry.archiveId }, { _id: 0 }).lean();
      return existing ?? entry;
    }
  }

  /**
   * The archived document is now a newer version of itself (a fresh document timestamp
   * appended); earlier versions stay in the document store. Setting the same version again is harmless.
   */
  async renewVersion(archiveId: string, version: { versionId: string; sha256: string }): Promise<void> {
    await ArchiveModel.updateOne({ archiveId }, { $set: { versionId: version.versionId, sha256: version.sha256 } });
  }

  /** Every entry's ids, streamed (for the keepers' backfill at worker start). */
  async *entries(): AsyncGenerator<Pick<ArchiveEntry, 'archiveId' | 'versionId'>> {
    for await (const entry of ArchiveModel.find({}, { _id: 0, archiveId: 1, versionId: 1 }).lean().cursor()) yield entry;
  }

  async forProcess(processId: string): Promise<ArchiveEntry[]> {
    return ArchiveModel.find({ processId }, { _id: 0 }).lean();
  }
}
