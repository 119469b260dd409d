import type { Model, UpdateQuery } from 'mongoose';

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

/**
 * An upsert by _id that survives a concurrent first write: when two
 * writers both find no document, one insert loses on the duplicate key.
 * MongoDB retries that itself; FerretDB does not, so we do, as an update.
 */
export async function upsertById<T>(model: Model<T>, id: string, update: UpdateQuery<T>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await model.updateOne({ _id: id }, update, { upsert: true });
      return;
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
}
