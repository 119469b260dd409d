import { storeModel } from './storeModel';
import { Schema } from 'mongoose';

/** How far a watch that reads Temporal visibility in time order has read (e.g. the archive transfer's "closed since"), by the watch's name. */

interface CursorRecord {
  _id: string;
  at: Date;
}

const cursorSchema = new Schema<CursorRecord>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, collection: 'watch_cursors' },
);

const CursorModel = storeModel<CursorRecord>('WatchCursor', cursorSchema);

export class WatchCursors {
  async get(name: string): Promise<Date | undefined> {
    return (await CursorModel.findById(name).lean())?.at;
  }

  async set(name: string, at: Date): Promise<void> {
    await CursorModel.updateOne({ _id: name }, { $set: { at } }, { upsert: true });
  }
}
