import { storeModel } from '../../store/storeModel';
import mongoose, { Schema } from 'mongoose';
import { ConflictError } from '../../common/errors';
import { isDuplicateKey } from '../../store/keyedWrites';

/**
 * The finance system's side of a grant or expense payment (maksatus). The
 * real system takes payment orders over its own interface; the local
 * simulator writes a payment record. Both refuse a second order with the
 * same idempotency key (one decision pays once).
 */

export interface PaymentOrder {
  /** One per decision: "<case number>/<application id>". */
  idempotencyKey: string;
  caseNumber: string;
  payeeName: string;
  iban: string;
  /** Euros with two decimals, e.g. "1500.00". */
  amount: string;
  reference: string;
}

export interface PaymentReceipt {
  paymentId: string;
  orderedAt: string;
}

export class PaymentAlreadyOrderedError extends ConflictError {
  constructor(readonly existing: PaymentReceipt) {
    super('payment_already_ordered', `This decision has already been paid (payment ${existing.paymentId}); a second payment is refused.`, {
      paymentId: existing.paymentId,
    });
  }
}

export interface FinanceSystem {
  /** Orders the payment; throws PaymentAlreadyOrderedError for a key already used. */
  orderPayment(order: PaymentOrder): Promise<PaymentReceipt>;
}

interface PaymentRecord extends PaymentOrder {
  _id: string;
  orderedAt: Date;
}
const PaymentModel = storeModel<PaymentRecord>(
  'SimulatedPayment',
  new Schema<PaymentRecord>(
    {
      _id: String,
      idempotencyKey: { type: String, required: true, unique: true },
      caseNumber: String,
      payeeName: String,
      iban: String,
      amount: String,
      reference: String,
      orderedAt: Date,
    },
    { versionKey: false, collection: 'finance_simulator_payments' },
  ),
);

export class LocalFinanceSimulator implements FinanceSystem {
  async orderPayment(order: PaymentOrder): Promise<PaymentReceipt> {
    const existing = await PaymentModel.findOne({ idempotencyKey: order.idempotencyKey }).lean();
    if (existing) throw new PaymentAlreadyOrderedError({ paymentId: existing._id, orderedAt: existing.orderedAt.toISOString() });
    const record: PaymentRecord = { ...order, _id: `payment-${new mongoose.Types.ObjectId().toHexString()}`, orderedAt: new Date() };
    try {
      await PaymentModel.create(record);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const raced = (await PaymentModel.findOne({ idempotencyKey: order.idempotencyKey }).lean())!;
      throw new PaymentAlreadyOrderedError({ paymentId: raced._id, orderedAt: raced.orderedAt.toISOString() });
    }
    return { paymentId: record._id, orderedAt: record.orderedAt.toISOString() };
  }

  /** The simulator's ledger, for tests and the handler's view. */
  async paymentsFor(caseNumber: string): Promise<PaymentRecord[]> {
    return PaymentModel.find({ caseNumber }).lean();
  }
}
