import mongoose, { Schema } from 'mongoose';
import type { Channel } from '../rules/officialMail';
import { upsertById } from './keyedWrites';
import type { LetterStatus } from './letters';

/**
 * What became of each row of a batch page, one document per page, so a
 * batch's progress is a few reads by _id instead of a pass over every
 * letter ever sent (FerretDB 1.x scans the collection for any filter but
 * _id: 2 s for one batch of 10,000 letters, and growing with every batch,
 * while the registry page asks every 3 s). Whoever settles a page's letters
 * writes here after the letters themselves; each row's fields are set,
 * never counted up, so a retried write changes nothing. The page's counts
 * are kept apart from its rows: reading 250 rows back costs FerretDB 15 ms
 * a page, the counts well under one.
 */

export interface RowTally { status: LetterStatus; channel?: Channel; costCents?: number; paperCostCents?: number }

interface PageTallyRecord { _id: string; batchId: string; rows: Record<string, Partial<RowTally>> }

export interface BatchCounts { settled: number; byStatus: Record<string, number>; byChannel: Record<string, number>; costCents: number; paperCostCents: number }

/** A page's counts, summed from its rows at each write: what a progress read needs, a few hundred bytes instead of every row. */
interface PageCountsRecord { _id: string; batchId: string; counts: BatchCounts }

const pageTallySchema = new Schema<PageTallyRecord>({
  _id: { type: String, required: true },
  batchId: { type: String, required: true },
  rows: { type: Schema.Types.Mixed, default: {} },
}, { versionKey: false, minimize: false, collection: 'letter_page_tallies' });

const pageCountsSchema = new Schema<PageCountsRecord>({
  _id: { type: String, required: true },
  batchId: { type: String, required: true },
  counts: { type: Schema.Types.Mixed, required: true },
}, { versionKey: false, minimize: false, collection: 'letter_page_counts' });

const PageTallyModel = mongoose.models.LetterPageTally as mongoose.Model<PageTallyRecord>
  ?? mongoose.model<PageTallyRecord>('LetterPageTally', pageTallySchema);
const PageCountsModel = mongoose.models.LetterPageCounts as mongoose.Model<PageCountsRecord>
  ?? mongoose.model<PageCountsRecord>('LetterPageCounts', pageCountsSchema);

/** Pages read at once when a batch's counts are summed. */
const READ_CONCURRENCY = 8;

function noCounts(): BatchCounts {
  return { settled: 0, byStatus: {}, byChannel: {}, costCents: 0, paperCostCents: 0 };
}

/**
 * Every status and channel, in one order, zeros included. FerretDB 1.24
 * takes a $set of an embedded document whose keys changed but whose values
 * did not ({read: 1, sent: 1} to {read: 1, unconfirmed: 1}) for no change
 * and keeps the old one, so a page's stored counts always have these keys.
 */
const ALL_STATUSES: Record<Exclude<LetterStatus, 'created'>, 0> = {
  sent: 0, read: 0, receipt_confirmed: 0, delivered: 0, returned_to_sender: 0, unresolved: 0, unconfirmed: 0, no_channel: 0, rejected: 0, failed: 0,
};
const ALL_CHANNELS: Record<Channel, 0> = { electronic: 0, paper: 0 };

function storedCounts(rows: Partial<RowTally>[]): BatchCounts {
  const counts: BatchCounts = { ...noCounts(), byStatus: { ...ALL_STATUSES }, byChannel: { ...ALL_CHANNELS } };
  for (const row of rows) addRow(counts, row);
  return counts;
}

function addRow(counts: BatchCounts, row: Partial<RowTally>): void {
  if (!row.status) return;
  counts.settled += 1;
  counts.byStatus[row.status] = (counts.byStatus[row.status] ?? 0) + 1;
  if (row.channel) counts.byChannel[row.channel] = (counts.byChannel[row.channel] ?? 0) + 1;
  counts.costCents += row.costCents ?? 0;
  counts.paperCostCents += row.paperCostCents ?? 0;
}

function addCounts(into: BatchCounts, page: BatchCounts): void {
  into.settled += page.settled;
  for (const [status, n] of Object.entries(page.byStatus)) if (n) into.byStatus[status] = (into.byStatus[status] ?? 0) + n;
  for (const [channel, n] of Object.entries(page.byChannel)) if (n) into.byChannel[channel] = (into.byChannel[channel] ?? 0) + n;
  into.costCents += page.costCents;
  into.paperCostCents += page.paperCostCents;
}

export class LetterPageTallies {
  /**
   * Sets the given fields of some of a page's rows (a field left out keeps
   * its value: a final status keeps the channel and cost), then the page's
   * counts from all its rows. A page's writers take turns (its sending,
   * then its tracker); should a killed worker's attempt still write beside
   * its retry, the counts may lag by that write until the page's next one.
   */
  async setRows(pageKey: string, batchId: string, rows: { row: number; tally: Partial<RowTally> }[]): Promise<void> {
    const set: Record<string, unknown> = { batchId };
    for (const { row, tally } of rows) {
      for (const [field, value] of Object.entries(tally)) if (value !== undefined) set[`rows.r${row}.${field}`] = value;
    }
    if (Object.keys(set).length === 1) return;
    await upsertById(PageTallyModel, pageKey, { $set: set });
    // Read back rather than returned by findAndModify, which on FerretDB 1.24 can hand back a changed field's old value.
    const page = await PageTallyModel.findById(pageKey, { rows: 1 }).lean();
    const counts = storedCounts(Object.values(page?.rows ?? {}));
    await upsertById(PageCountsModel, pageKey, { $set: { batchId, counts } });
  }

  /** A batch's counts summed over its pages; rows no page has settled yet count as "created". */
  async batchCounts(total: number, pageKeys: string[]): Promise<BatchCounts> {
    const counts = noCounts();
    for (let i = 0; i < pageKeys.length; i += READ_CONCURRENCY) {
      const pages = await Promise.all(pageKeys.slice(i, i + READ_CONCURRENCY).map((key) => PageCountsModel.findById(key, { counts: 1 }).lean()));
      for (const page of pages) if (page) addCounts(counts, page.counts);
    }
    if (total > counts.settled) counts.byStatus.created = total - counts.settled;
    return counts;
  }
}
