import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import type { RecordsMetadata } from '../config/recordsPlan';
import type { Language } from '../mail/templates';
import { isDuplicateKey } from './keyedWrites';

/**
 * Applications submitted on citizen e-forms. The record, not the workflow
 * history, holds what the applicant wrote (identity codes, accounts,
 * addresses); the history carries the application id. The state fields
 * mirror the process so a round can be listed and exported without asking
 * Temporal about every application.
 */

export type DecisionOutcome = 'approve' | 'partly' | 'deny';

export interface ApplicationAttachment {
  field: string;
  fileName: string;
  contentType: string;
  versionId: string;
  sha256: string;
}

export interface ApplicationRecord {
  _id: string;
  formId: string;
  roundId: string;
  language: Language;
  values: Record<string, string>;
  attachments: ApplicationAttachment[];
  status: string;
  caseNumber?: string;
  metadata?: RecordsMetadata;
  decision?: { outcome: DecisionOutcome; amount: string; reasoning: string; decidedOn: string; versionId?: string };
  notification?: { channel: string; sentAt: string; notifiedOn: string; periodLastDay: string };
  payment?: { paymentId: string; amount: string; orderedAt: string };
  /** The open or last request for supplementation: what was asked and until when. */
  supplementation?: { fields: string[]; message: string; deadlineAt: string; answeredAt?: string };
  rectification?: { text: string; receivedAt: string; resolution?: string; decisionVersionId?: string; appealPeriodLastDay?: string };
  submittedAt: Date;
}

const applicationSchema = new Schema<ApplicationRecord>(
  {
    _id: { type: String, required: true },
    formId: { type: String, required: true },
    roundId: { type: String, required: true, index: true },
    language: { type: String, required: true },
    values: { type: Schema.Types.Mixed, required: true },
    attachments: { type: Schema.Types.Mixed, default: [] },
    status: { type: String, required: true },
    caseNumber: String,
    metadata: Schema.Types.Mixed,
    decision: Schema.Types.Mixed,
    notification: Schema.Types.Mixed,
    payment: Schema.Types.Mixed,
    supplementation: Schema.Types.Mixed,
    rectification: Schema.Types.Mixed,
    submittedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'applications' },
);

const ApplicationModel = storeModel<ApplicationRecord>('Application', applicationSchema);

/**
 * The running case number of each year: one counter document per year. The
 * counter only proposes a number: FerretDB does not make findOneAndUpdate's
 * $inc atomic across connections (the chaos run saw three numbers handed out
 * twice among twenty applications registered at once), so a number is taken
 * by inserting its claim below, whose _id only one writer can create.
 */
interface CaseCounter {
  _id: string;
  next: number;
}
const CaseCounterModel = storeModel<CaseCounter>(
  'CaseCounter',
  new Schema<CaseCounter>({ _id: String, next: Number }, { versionKey: false, collection: 'case_counters' }),
);

/** One document per running number handed out in a year ("2026/17"): the _id makes each number one process's. */
interface CaseNumberClaim {
  _id: string;
  processId: string;
}
const CaseNumberClaimModel = storeModel<CaseNumberClaim>(
  'CaseNumberClaim',
  new Schema<CaseNumberClaim>({ _id: String, processId: String }, { versionKey: false, collection: 'case_number_claims' }),
);

/** Which process got which number: a retried registration finds its number instead of taking a new one. */
interface CaseAssignment {
  _id: string;
  caseNumber: string;
  assignedAt: Date;
}
const CaseAssignmentModel = storeModel<CaseAssignment>(
  'CaseAssignment',
  new Schema<CaseAssignment>({ _id: String, caseNumber: String, assignedAt: Date }, { versionKey: false, collection: 'case_assignments' }),
);

/** "123/02.05.01/2026": running number, task class with dots, year. */
export function formatCaseNumber(running: number, taskClass: string, year: number): string {
  return `${running}/${taskClass.replace(/ /g, '.')}/${year}`;
}

export class Applications {
  async create(record: ApplicationRecord): Promise<void> {
    await ApplicationModel.create(record);
  }

  /** Creates the application unless one with its id exists (a retried submission): the first one stands. */
  async createOnce(record: ApplicationRecord): Promise<void> {
    try {
      await ApplicationModel.create(record);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async get(applicationId: string): Promise<ApplicationRecord> {
    const record = await ApplicationModel.findById(applicationId).lean();
    if (!record) throw new NotFoundError(`Application ${applicationId}`);
    return record;
  }

  async update(applicationId: string, changes: Partial<Omit<ApplicationRecord, '_id'>>): Promise<void> {
    await ApplicationModel.updateOne({ _id: applicationId }, { $set: changes });
  }

  /** Every round that has applications, for the handler to choose from. */
  async rounds(): Promise<string[]> {
    const rounds: unknown[] = await ApplicationModel.distinct('roundId');
    return rounds.filter((round): round is string => typeof round === 'string').sort();
  }

  async inRound(roundId: string): Promise<ApplicationRecord[]> {
    return ApplicationModel.find({ roundId }).sort({ submittedAt: 1 }).lean();
  }

  /** The case number of a process: taken once from the year's counter, found again on every later call. */
  async assignCaseNumber(processId: string, taskClass: string, year: number): Promise<string> {
    const existing = await CaseAssignmentModel.findById(processId).lean();
    if (existing) return existing.caseNumber;
    const caseNumber = formatCaseNumber(await this.claimRunningNumber(processId, year), taskClass, year);
    try {
      await CaseAssignmentModel.create({ _id: processId, caseNumber, assignedAt: new Date() });
      return caseNumber;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await CaseAssignmentModel.findById(processId).lean())!.caseNumber;
    }
  }

  /** The next running number of the year that no other process holds; a number lost to a crash stays a gap, never a repeat. */
  private async claimRunningNumber(processId: string, year: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The first registration of a year upserts the counter; two at once lose one upsert to the duplicate key, and try again.
        const counter = await CaseCounterModel.findOneAndUpdate(
          { _id: String(year) },
          { $inc: { next: 1 } },
          { upsert: true, returnDocument: 'after' },
        ).lean();
        await CaseNumberClaimModel.create({ _id: `${year}/${counter.next}`, processId });
        return counter.next;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 50) throw error;
      }
    }
  }
}
