import { storeModel } from './storeModel';
import { Schema } from 'mongoose';

/**
 * What the stuck-process watch (admin/stuckProcessWatch.ts) last said about
 * a process: stuck or recovered, in which episode, and whether that was
 * announced yet. One small record per process that was ever stuck, keyed
 * by the process id, so an episode's "stuck" and "recovered" events get
 * ids of their own and are written once however often the watch runs or
 * crashes in between.
 */

export interface StuckProcessMark {
  processId: string;
  stuck: boolean;
  /** Counts the times the process became stuck; names the episode's events. */
  episode: number;
  /** The current state's event is in the audit trail. */
  announced: boolean;
  changedAt: Date;
}

interface MarkRecord extends Omit<StuckProcessMark, 'processId'> {
  _id: string;
}

const markSchema = new Schema<MarkRecord>(
  {
    _id: { type: String, required: true },
    stuck: { type: Boolean, required: true },
    episode: { type: Number, required: true },
    announced: { type: Boolean, required: true },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'stuck_process_marks' },
);

const MarkModel = storeModel<MarkRecord>('StuckProcessMark', markSchema);

const view = ({ _id, ...rest }: MarkRecord): StuckProcessMark => ({ processId: _id, ...rest });

export class StuckProcessMarks {
  /** The processes marked stuck now, and any whose last change is not announced yet: a few records, not the whole store. */
  async open(): Promise<StuckProcessMark[]> {
    return (await MarkModel.find({ $or: [{ stuck: true }, { announced: false }] }).lean()).map(view);
  }

  async get(processId: string): Promise<StuckProcessMark | undefined> {
    const record = await MarkModel.findById(processId).lean();
    return record ? view(record) : undefined;
  }

  /** Marks the process stuck in a new episode (the last one's number plus one); its event is not announced yet. */
  async markStuck(processId: string, previousEpisode: number): Promise<StuckProcessMark> {
    const mark = { stuck: true, episode: previousEpisode + 1, announced: false, changedAt: new Date() };
    await MarkModel.updateOne({ _id: processId }, { $set: mark }, { upsert: true });
    return { processId, ...mark };
  }

  async markRecovered(processId: string): Promise<void> {
    await MarkModel.updateOne({ _id: processId }, { $set: { stuck: false, announced: false, changedAt: new Date() } });
  }

  async markAnnounced(processId: string): Promise<void> {
    await MarkModel.updateOne({ _id: processId }, { $set: { announced: true } });
  }
}
