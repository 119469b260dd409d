import mongoose, { Schema } from 'mongoose';
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

const ArchiveModel =
  (mongoose.models.ArchiveEntry as mongoose.Model<ArchiveEntry>) ?? mongoose.model<ArchiveEntry>('ArchiveEntry', archiveSchema);

export class Archive {
  async store(entry: ArchiveEntry): Promise<ArchiveEntry> {
    try {
      await ArchiveModel.create(entry);
      return entry;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await ArchiveModel.findOne({ archiveId: entry.archiveId }, { _id: 0 }).lean();
      return existing ?? entry;
    }
  }

  async forProcess(processId: string): Promise<ArchiveEntry[]> {
    return ArchiveModel.find({ processId }, { _id: 0 }).lean();
  }
}
