import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import { upsertById } from './keyedWrites';
import { type SignaturePlan } from '../signing/signatureFieldPlan';

/**
 * Where each document's signature fields sit (object numbers, pages, boxes),
 * saved when the fields are created so every later signature can be written
 * without re-parsing the PDF. Kept as JSON text: the plan holds arrays
 * inside arrays, which FerretDB 1.x does not store.
 */
interface PlanRecord {
  _id: string;
  documentId: string;
  planJson: string;
  createdAt: Date;
}

// Keyed by document id: see BY_ID_ONLY in store/connection.ts.
const planSchema = new Schema<PlanRecord>(
  {
    _id: { type: String, required: true },
    documentId: { type: String, required: true, unique: true },
    planJson: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'signature_plans' },
);

const SignaturePlanModel = storeModel<PlanRecord>('SignaturePlan', planSchema);

export class SignaturePlans {
  async save(documentId: string, plan: SignaturePlan): Promise<void> {
    await upsertById(SignaturePlanModel, documentId, {
      $setOnInsert: { documentId, planJson: JSON.stringify(plan), createdAt: new Date() },
    });
  }

  async get(documentId: string): Promise<SignaturePlan> {
    const record = await SignaturePlanModel.findById(documentId).lean();
    if (!record) throw new NotFoundError(`Signature plan of document ${documentId}`);
    return JSON.parse(record.planJson) as SignaturePlan;
  }
}
