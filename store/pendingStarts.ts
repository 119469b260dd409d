import { storeModel } from './storeModel';
import { type Model, Schema } from 'mongoose';
import { upsertById } from './keyedWrites';

/**
 * Processes whose record is written but whose workflow may not have
 * started: written before the start, deleted once Temporal has it. Keyed by
 * the workflow id (which is the record's id), so a retry finds the same
 * entry. The collection stays near empty, so the reconciler's listing is a
 * scan of a handful of documents. The input holds ids only, no personal data.
 */
export type StartableWorkflow = 'employmentContractWorkflow' | 'formToDecisionWorkflow';

/** A process start as noted and as made. */
export interface ProcessStart {
  workflowId: string;
  workflowType: StartableWorkflow;
  input: unknown;
  taskQueue: string;
  /** Keyed hashes of the people's names (application/nameTokens.ts), for the start's NameTokens; absent on notes from before. */
  nameTokens?: string[];
}

export interface PendingStart {
  _id: string;
  workflowType: StartableWorkflow;
  input: unknown;
  taskQueue: string;
  createdAt: Date;
  attempts: number;
  nameTokens?: string[];
  /** Set when the reconciler gave up: the record is then shown as failed, never as starting. */
  failedAt?: Date;
}

function pendingModel(): Model<PendingStart> {
  const schema = new Schema<PendingStart>(
    {
      _id: { type: String, required: true },
      workflowType: { type: String, required: true },
      input: { type: Schema.Types.Mixed, required: true },
      taskQueue: { type: String, required: true },
      createdAt: { type: Date, required: true },
      attempts: { type: Number, required: true },
      failedAt: { type: Date },
      nameTokens: { type: [String], default: undefined },
    },
    { versionKey: false, collection: 'pending_starts', minimize: false },
  );
  return storeModel<PendingStart>('PendingStart', schema);
}

export class PendingStarts {
  private readonly model = pendingModel();

  async note({ workflowId, workflowType, input, taskQueue, nameTokens = [] }: ProcessStart): Promise<void> {
    await upsertById(this.model, workflowId, {
      $setOnInsert: { workflowType, input, taskQueue, nameTokens, createdAt: new Date(), attempts: 0 },
    });
  }

  async started(workflowId: string): Promise<void> {
    await this.model.deleteOne({ _id: workflowId });
  }

  async get(workflowId: string): Promise<PendingStart | null> {
    return this.model.findById(workflowId).lean();
  }

  /** Entries older than `age` not yet given up on. */
  async waiting(age: number): Promise<PendingStart[]> {
    const all = await this.model.find({}).lean();
    return all.filter((p) => !p.failedAt && Date.now() - p.createdAt.getTime() > age);
  }

  async attempted(workflowId: string, gaveUp: boolean): Promise<void> {
    await this.model.updateOne({ _id: workflowId }, { $inc: { attempts: 1 }, ...(gaveUp ? { $set: { failedAt: new Date() } } : {}) });
  }
}
