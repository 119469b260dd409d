import { Schema } from 'mongoose';
import { storeModel } from './storeModel';

/**
 * Activities that have failed at least once and not succeeded since, one small record each, written by the
 * worker (worker/failingActivityMarks.ts). The admin's stuck list reads these few records to know which
 * processes to describe, so a step failing while its process also waits for a person is seen without
 * describing every process that waits. Ids and the activity's name only: nothing personal.
 */

export interface FailingActivity {
  processId: string;
  activityId: string;
  activityType: string;
  /** The attempt that was starting when the record was last written. */
  attempt: number;
  updatedAt: Date;
}

interface FailingActivityRecord extends FailingActivity {
  _id: string;
}

const schema = new Schema<FailingActivityRecord>(
  {
    _id: { type: String, required: true },
    processId: { type: String, required: true },
    activityId: { type: String, required: true },
    activityType: { type: String, required: true },
    attempt: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'failing_activities' },
);

const FailingActivityModel = storeModel<FailingActivityRecord>('FailingActivity', schema);

const keyOf = (processId: string, activityId: string) => `${processId}/${activityId}`;

export class FailingActivities {
  /** Another attempt of an activity that failed before is starting. */
  async attemptStarting(activity: Omit<FailingActivity, 'updatedAt'>): Promise<void> {
    await FailingActivityModel.updateOne(
      { _id: keyOf(activity.processId, activity.activityId) },
      { $set: { ...activity, updatedAt: new Date() } },
      { upsert: true },
    );
  }

  /** The activity succeeded: it is failing no more. */
  async succeeded(processId: string, activityId: string): Promise<void> {
    await FailingActivityModel.deleteOne({ _id: keyOf(processId, activityId) });
  }

  /** The processes with a failing activity, most recently attempted first; few, since failures are rare. */
  async processIds(limit: number): Promise<string[]> {
    const records = await FailingActivityModel.find({}, { processId: 1 }).sort({ updatedAt: -1 }).limit(limit).lean();
    return [...new Set(records.map((r) => r.processId))];
  }

  /** Drops the records of a process's activities that are no longer pending (it ended, or they stopped retrying). */
  async forgetAllBut(processId: string, pendingActivityIds: string[]): Promise<void> {
    await FailingActivityModel.deleteMany({ processId, activityId: { $nin: pendingActivityIds } });
  }
}
