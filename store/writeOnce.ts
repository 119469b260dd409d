import { type Schema } from 'mongoose';

const CHANGING_OPERATIONS = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const;

/** Makes a collection write-once through mongoose: every update or delete query throws. */
export function forbidChanges(schema: Schema, message: string): void {
  for (const operation of CHANGING_OPERATIONS) {
    schema.pre(operation, () => {
      throw new Error(message);
    });
  }
}
