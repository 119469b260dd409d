import mongoose, { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import { SignaturePlan } from '../signing/signatureFieldPlan';

/**
 * Where each document's signature fields sit (object numbers, pages, boxes),
 * saved when the fields are created so every later signature can be written
 * without re-parsing the PDF. Kept as JSON text: the plan holds arrays
 * inside arrays, which FerretDB 1.x does not store.
 */
interface PlanRecord { documentId: string; planJson: string; createdAt: Date }

const planSchema = new Schema<PlanRecord>({
  documentId: { type: String, required: true, unique: true },
  planJson: { type: String, required: true },
  createdAt: { type: Date, required: true },
}, { versionKey: false, collection: 'signature_plans' });

const SignaturePlanModel = mongoose.models.SignaturePlan as mongoose.Model<PlanRecord>
  ?? mongoose.model<PlanRecord>('SignaturePlan', planSchema);

export class SignaturePlans {
  async save(documentId: string, plan: SignaturePlan): Promise<void> {
    await SignaturePlanModel.updateOne(
      { documentId },
      { $setOnInsert: { documentId, planJson: JSON.stringify(plan), createdAt: new Date() } },
      { upsert: true },
    );
  }

  async get(documentId: string): Promise<SignaturePlan> {
    const record = await SignaturePlanModel.findOne({ documentId }).lean();
    if (!record) throw new NotFoundError(`Signature plan of document ${documentId}`);
    return JSON.parse(record.planJson) as SignaturePlan;
  }
}
