import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import type { Channel } from '../rules/officialMail';
import { upsertById } from './keyedWrites';
import type { LetterRecord, LetterStatus } from './letters';

/**
 * How far each page of a batch has got, one small document per page, so a
 * batch's progress is a few reads by _id instead of a pass over every
 * letter ever sent (FerretDB 1.x scans the collection for any filter but
 * _id: 2 s for one batch of 10,000 letters, growing with every batch,
 * while the registry page asks every 3 s).
 *
 * Every write replaces a whole count with what its writer knows, never
 * adds to one, so a retried write changes nothing: each sending activity
 * of the page sets the counts of all the rows it has settled, and the
 * page's tracker sets how many of the sent letters have reached each
 * final state. No writer reads the document first.
 */

export type FinalStatus = Extract<
  LetterStatus,
  'read' | 'receipt_confirmed' | 'delivered' | 'returned_to_sender' | 'unresolved' | 'unconfirmed'
>;

export interface BatchCounts {
  settled: number;
  byStatus: Record<string, number>;
  byChannel: Record<string, number>;
  costCents: number;
  paperCostCents: number;
}

interface PageTallyRecord {
  _id: string;
  batchId: string;
  /** Per sending activity (its own key): the rows it has settled, counted. */
  sending: Record<string, BatchCounts>;
  /** Of the page's sent letters, how many have reached each final state. */
  finals?: Record<FinalStatus, number>;
}

const pageTallySchema = new Schema<PageTallyRecord>(
  {
    _id: { type: String, required: true },
    batchId: { type: String, required: true },
    sending: { type: Schema.Types.Mixed, default: {} },
    finals: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false, collection: 'letter_page_tallies' },
);

const PageTallyModel = storeModel<PageTallyRecord>('LetterPageTally', pageTallySchema);

/**
 * Every status and channel, in one order, zeros included. FerretDB 1.24
 * takes a $set of an embedded document whose keys changed but whose values
 * did not ({read: 1, sent: 1} to {read: 1, unconfirmed: 1}) for no change
 * and keeps the old one, so stored counts always have all these keys.
 */
const NO_STATUSES: Record<Exclude<LetterStatus, 'created'>, 0> = {
  sent: 0,
  read: 0,
  receipt_confirmed: 0,
  delivered: 0,
  returned_to_sender: 0,
  unresolved: 0,
  unconfirmed: 0,
  no_channel: 0,
  rejected: 0,
  failed: 0,
};
const NO_FINALS: Record<FinalStatus, 0> = {
  read: 0,
  receipt_confirmed: 0,
  delivered: 0,
  returned_to_sender: 0,
  unresolved: 0,
  unconfirmed: 0,
};
const NO_CHANNELS: Record<Channel, 0> = { electronic: 0, paper: 0 };

/** Pages read at once when a batch's counts are summed. */
const READ_CONCURRENCY = 8;

export function countLetters(letters: Pick<LetterRecord, 'status' | 'channel' | 'costCents' | 'paperCostCents'>[]): BatchCounts {
  const counts: BatchCounts = { settled: 0, byStatus: { ...NO_STATUSES }, byChannel: { ...NO_CHANNELS }, costCents: 0, paperCostCents: 0 };
  for (const letter of letters) {
    if (letter.status === 'created') continue;
    counts.settled += 1;
    counts.byStatus[letter.status] = (counts.byStatus[letter.status] ?? 0) + 1;
    if (letter.channel) counts.byChannel[letter.channel] = (counts.byChannel[letter.channel] ?? 0) + 1;
    counts.costCents += letter.costCents ?? 0;
    counts.paperCostCents += letter.paperCostCents ?? 0;
  }
  return counts;
}

function add(into: Record<string, number>, counts: Record<string, number>, sign = 1): void {
  for (const [key, n] of Object.entries(counts)) if (n) into[key] = (into[key] ?? 0) + sign * n;
}

export class LetterPageTallies {
  /** What one sending activity (`activityKey`, the same across its retries) has settled of the page so far. */
  async setSending(pageKey: string, batchId: string, activityKey: string, counts: BatchCounts): Promise<void> {
    await upsertById(PageTallyModel, pageKey, { $set: { batchId, [`sending.${activityKey}`]: counts } });
  }

  /** How many of the page's sent letters have reached each final state so far. */
  async setFinals(pageKey: string, batchId: string, finals: Partial<Record<FinalStatus, number>>): Promise<void> {
    await upsertById(PageTallyModel, pageKey, { $set: { batchId, finals: { ...NO_FINALS, ...finals } } });
  }

  /** A batch's counts summed over its pages: a final state moves a letter out of "sent"; rows no page has settled count as "created". */
  async batchCounts(total: number, pageKeys: string[]): Promise<BatchCounts> {
    const counts: BatchCounts = { settled: 0, byStatus: {}, byChannel: {}, costCents: 0, paperCostCents: 0 };
    for (let i = 0; i < pageKeys.length; i += READ_CONCURRENCY) {
      const pages = await Promise.all(pageKeys.slice(i, i + READ_CONCURRENCY).map((key) => PageTallyModel.findById(key).lean()));
      for (const page of pages) {
        for (const sent of Object.values(page?.sending ?? {})) {
          counts.settled += sent.settled;
          add(counts.byStatus, sent.byStatus);
          add(counts.byChannel, sent.byChannel);
          counts.costCents += sent.costCents;
          counts.paperCostCents += sent.paperCostCents;
        }
        const finals: Record<string, number> = page?.finals ?? {};
        add(counts.byStatus, finals);
        add(counts.byStatus, { sent: Object.values(finals).reduce((a, b) => a + b, 0) }, -1);
      }
    }
    for (const [status, n] of Object.entries(counts.byStatus)) if (!n) delete counts.byStatus[status];
    if (total > counts.settled) counts.byStatus.created = total - counts.settled;
    return counts;
  }
}

/** A sending activity's key in its page's tally: its run and activity id, which its retries share. */
export function activityTallyKey(info: { workflowExecution?: { runId: string }; activityId: string }): string {
  return `a${info.workflowExecution?.runId ?? 'standalone'}-${info.activityId}`.replace(/[.$]/g, '_');
}
