import { storeModel } from './storeModel';
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { isDuplicateKey } from './keyedWrites';

/**
 * One dispatcher at a time per task queue, however many worker processes
 * run: events leave the outbox in order only if one reader takes them. The
 * holder renews its lease every round; a holder that died loses it when it
 * runs out, and another worker takes over.
 */

interface LeaseRecord {
  _id: string;
  holder: string;
  until: Date;
}

const leaseSchema = new Schema<LeaseRecord>(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false, collection: 'webhook_dispatcher_leases' },
);

const LeaseModel = storeModel<LeaseRecord>('WebhookDispatcherLease', leaseSchema);

export class DispatcherLease {
  private readonly holder = randomUUID();

  constructor(
    private readonly name: string,
    private readonly durationMs: number,
  ) {}

  /** Takes or renews the lease; false while another holder's lease runs. */
  async hold(): Promise<boolean> {
    const now = new Date();
    try {
      await LeaseModel.updateOne(
        { _id: this.name, $or: [{ holder: this.holder }, { until: { $lt: now } }] },
        { $set: { holder: this.holder, until: new Date(now.getTime() + this.durationMs) } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    await LeaseModel.deleteOne({ _id: this.name, holder: this.holder });
  }
}
