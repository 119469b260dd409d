import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import { type Channel, letterProcessId } from '../rules/officialMail';

/**
 * Official letters and what became of them. The record, not the workflow
 * history, holds the recipient's identity code and address (the history
 * carries the letter id only). An address under a security ban is never
 * written here.
 */

export interface LetterAddress {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

export type LetterStatus =
  | 'created'
  | 'sent'
  | 'read'
  | 'receipt_confirmed'
  | 'delivered'
  | 'returned_to_sender'
  | 'unresolved'
  | 'unconfirmed'
  | 'no_channel'
  | 'rejected'
  | 'failed';

export interface LetterRecord {
  _id: string;
  batchId?: string;
  row?: number;
  /** The row in the uploaded CSV, when bad rows before it were skipped and it differs from `row`. */
  csvRow?: number;
  recipientId: string;
  recipientKind: 'person' | 'organisation';
  /** Given by the sender or read from the register; never for a security ban. */
  address?: LetterAddress;
  addressFrom?: 'given' | 'register' | 'security_ban' | 'none';
  title: string;
  body: string;
  /** The letter's PDF; a letter from a template has none until it is rendered at sending. */
  versionId?: string;
  /** A batch row merged into a letter template: rendered to a PDF when it is sent, never stored. */
  template?: { templateId: string; fields: Record<string, string> };
  processId: string;
  /** The workflow that follows this letter's delivery when it is not the letter's own (a batch page's tracker). */
  trackedBy?: string;
  status: LetterStatus;
  channel?: Channel;
  messageId?: string;
  pages?: number;
  sentAt?: Date;
  deemedNotifiedOn?: string;
  costCents?: number;
  /** What the letter would have cost on paper: the report's saving is measured against it. */
  paperCostCents?: number;
  failure?: { code: string; reason: string };
  events: { type: string; at: string }[];
  createdAt: Date;
}

const letterSchema = new Schema<LetterRecord>(
  {
    _id: { type: String, required: true },
    batchId: { type: String, index: true },
    row: Number,
    csvRow: Number,
    recipientId: { type: String, required: true },
    recipientKind: { type: String, required: true },
    address: { type: Schema.Types.Mixed },
    addressFrom: String,
    title: { type: String, required: true },
    body: { type: String, required: true },
    versionId: String,
    template: { type: Schema.Types.Mixed },
    processId: { type: String, required: true },
    trackedBy: String,
    status: { type: String, required: true },
    channel: String,
    messageId: String,
    pages: Number,
    sentAt: Date,
    deemedNotifiedOn: String,
    costCents: Number,
    paperCostCents: Number,
    failure: { type: Schema.Types.Mixed },
    events: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'letters' },
);
letterSchema.index({ batchId: 1, row: 1 });

export const LetterModel = storeModel<LetterRecord>('Letter', letterSchema);

export interface WorkListItem {
  _id: string;
  letterId: string;
  batchId?: string;
  row?: number;
  reason: string;
  createdAt: Date;
}

const workListSchema = new Schema<WorkListItem>(
  {
    _id: { type: String, required: true },
    letterId: { type: String, required: true },
    batchId: String,
    row: Number,
    reason: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'registry_work_list' },
);

export const WorkListModel = storeModel<WorkListItem>('RegistryWorkItem', workListSchema);

/** Where the event poller is in the feed; `newestEventAt` (the newest event read so far) shows in the admin's view how current it is. */
export interface EventCursor {
  _id: string;
  continuationToken: string;
  updatedAt: Date;
  newestEventAt?: Date;
}
const cursorSchema = new Schema<EventCursor>(
  {
    _id: { type: String, required: true },
    continuationToken: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    newestEventAt: Date,
  },
  { versionKey: false, collection: 'suomifi_event_cursors' },
);
const EventCursorModel = storeModel<EventCursor>('SuomifiEventCursor', cursorSchema);

export interface LetterBatchRecord {
  _id: string;
  total: number;
  createdBy: string;
  createdAt: Date;
  processId: string;
  /** Rows per page; a batch letter's delivery tracker follows from it. Absent for batches sent a workflow per letter. */
  pageSize?: number;
  /** Its progress is kept in page tallies (store/letterPageTallies.ts); earlier batches are counted from their letters. */
  pageTallies?: boolean;
  reportVersionId?: string;
  /** Rows left out at the clerk's choice (skipBadRows): the first BAD_ROWS_LISTED with their fields, and how many in all. */
  skippedRows?: { row?: number; field: string; code: string; message: string }[];
  skippedCount?: number;
}
const batchSchema = new Schema<LetterBatchRecord>(
  {
    _id: { type: String, required: true },
    total: { type: Number, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    processId: { type: String, required: true },
    pageSize: Number,
    pageTallies: Boolean,
    reportVersionId: String,
    skippedRows: { type: [Schema.Types.Mixed], default: undefined },
    skippedCount: Number,
  },
  { versionKey: false, collection: 'letter_batches' },
);
export const LetterBatchModel = storeModel<LetterBatchRecord>('LetterBatch', batchSchema);

/** Store commands in flight at once for one caller of the many-letter methods. */
const STORE_CONCURRENCY = 8;

async function eachAtMost<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

export class Letters {
  async create(records: LetterRecord[]): Promise<void> {
    await LetterModel.insertMany(records, { ordered: false });
  }

  async get(letterId: string): Promise<LetterRecord> {
    const record = await this.find(letterId);
    if (!record) throw new NotFoundError(`Letter ${letterId}`);
    return record;
  }

  async find(letterId: string): Promise<LetterRecord | undefined> {
    return (await LetterModel.findById(letterId).lean()) ?? undefined;
  }

  /**
   * Many letters by id, a few lookups at a time. FerretDB 1.x finds one
   * _id by its key but scans the whole collection for an $in; missing ones
   * are left out.
   */
  async getMany(letterIds: string[], projection?: Record<string, 1>): Promise<Map<string, LetterRecord>> {
    const found = new Map<string, LetterRecord>();
    await eachAtMost(letterIds, STORE_CONCURRENCY, async (letterId) => {
      // The driver's own collection: a batch's thousands of reads skip mongoose's query casting.
      const record = (await LetterModel.collection.findOne(
        { _id: letterId as never },
        projection ? { projection } : {},
      )) as LetterRecord | null;
      if (record) found.set(letterId, record);
    });
    return found;
  }

  /**
   * Many changes, one single-statement update by _id each, a few at a
   * time. FerretDB 1.x scans the collection for any filter beyond _id, and
   * 1.24 on SQLite deadlocks on an update command with many statements
   * (each statement's query holds a pooled connection until the command ends).
   */
  async updateMany(changes: { letterId: string; set: Partial<Omit<LetterRecord, '_id'>> }[]): Promise<void> {
    await eachAtMost(changes, STORE_CONCURRENCY, async (change) => {
      await LetterModel.collection.updateOne({ _id: change.letterId as never }, { $set: change.set });
    });
  }

  async update(letterId: string, changes: Partial<Omit<LetterRecord, '_id'>>): Promise<void> {
    await LetterModel.updateOne({ _id: letterId }, { $set: changes });
  }

  async addToWorkList(item: Omit<WorkListItem, '_id' | 'createdAt'>): Promise<void> {
    await WorkListModel.updateOne({ _id: item.letterId }, { $setOnInsert: { ...item, createdAt: new Date() } }, { upsert: true });
  }

  async addManyToWorkList(items: Omit<WorkListItem, '_id' | 'createdAt'>[]): Promise<void> {
    await eachAtMost(items, STORE_CONCURRENCY, (item) => this.addToWorkList(item));
  }

  async workList(limit = 500): Promise<Omit<WorkListItem, '_id'>[]> {
    return WorkListModel.find({}, { _id: 0 }).sort({ createdAt: 1 }).limit(limit).lean();
  }

  async eventCursor(pollerId: string): Promise<string | undefined> {
    return (await EventCursorModel.findById(pollerId).lean())?.continuationToken;
  }

  async saveEventCursor(pollerId: string, continuationToken: string, newestEventAt?: Date): Promise<void> {
    await EventCursorModel.updateOne(
      { _id: pollerId },
      { $set: { continuationToken, updatedAt: new Date(), ...(newestEventAt ? { newestEventAt } : {}) } },
      { upsert: true },
    );
  }

  async eventCursorRecord(pollerId: string): Promise<EventCursor | null> {
    return EventCursorModel.findById(pollerId).lean();
  }

  /** Counts of a batch's letters by status and channel, straight from the records: a pass over every letter, for batches without page tallies. */
  async batchCounts(
    batchId: string,
  ): Promise<{ byStatus: Record<string, number>; byChannel: Record<string, number>; costCents: number; paperCostCents: number }> {
    const rows = await LetterModel.aggregate<{ _id: { status: string; channel?: string }; count: number; cost: number; paper: number }>([
      { $match: { batchId } },
      {
        $group: {
          _id: { status: '$status', channel: '$channel' },
          count: { $sum: 1 },
          cost: { $sum: '$costCents' },
          paper: { $sum: '$paperCostCents' },
        },
      },
    ]);
    const byStatus: Record<string, number> = {};
    const byChannel: Record<string, number> = {};
    let costCents = 0;
    let paperCostCents = 0;
    for (const row of rows) {
      byStatus[row._id.status] = (byStatus[row._id.status] ?? 0) + row.count;
      if (row._id.channel) byChannel[row._id.channel] = (byChannel[row._id.channel] ?? 0) + row.count;
      costCents += row.cost;
      paperCostCents += row.paper;
    }
    return { byStatus, byChannel, costCents, paperCostCents };
  }

  async createBatch(batch: LetterBatchRecord): Promise<void> {
    await LetterBatchModel.create(batch);
  }

  async getBatch(batchId: string): Promise<LetterBatchRecord> {
    const batch = await LetterBatchModel.findById(batchId).lean();
    if (!batch) throw new NotFoundError(`Letter batch ${batchId}`);
    return batch;
  }

  async recentBatches(limit: number): Promise<LetterBatchRecord[]> {
    return LetterBatchModel.find().sort({ createdAt: -1 }).limit(limit).lean();
  }

  async setBatchReport(batchId: string, reportVersionId: string): Promise<void> {
    await LetterBatchModel.updateOne({ _id: batchId }, { $set: { reportVersionId } });
  }

  async discardBatch(batchId: string): Promise<void> {
    await LetterModel.deleteMany({ batchId });
    await LetterBatchModel.deleteOne({ _id: batchId });
  }

  /**
   * A batch's letters in row order, for the report: read by _id a hundred
   * rows at a time, since FerretDB would scan every letter ever stored for
   * a filter on batchId. Rows without a letter are left out.
   */
  async *batchLetters(batchId: string, total: number, projection?: Record<string, 1>): AsyncGenerator<LetterRecord> {
    for (let first = 1; first <= total; first += 100) {
      const ids = Array.from({ length: Math.min(100, total - first + 1) }, (_, i) => letterProcessId(batchId, first + i));
      const found = await this.getMany(ids, projection);
      for (const id of ids) {
        const letter = found.get(id);
        if (letter) yield letter;
      }
    }
  }
}
