import mongoose, { type Model, Schema, type UpdateQuery } from 'mongoose';

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

/**
 * Ids kept in order under one key (a process's audit events, a document's
 * versions), so the whole list is one _id lookup. Only ever added to.
 */
export interface IdListRecord {
  _id: string;
  ids: string[];
}

export function idListModel(modelName: string, collection: string, options: { appendOnly?: string } = {}): Model<IdListRecord> {
  const existing = mongoose.models[modelName] as Model<IdListRecord> | undefined;
  if (existing) return existing;
  const schema = new Schema<IdListRecord>(
    { _id: { type: String, required: true }, ids: { type: [String], required: true } },
    { versionKey: false, collection },
  );
  if (options.appendOnly) onlyAddedTo(schema, options.appendOnly);
  return mongoose.model<IdListRecord>(modelName, schema);
}

/** Like store/writeOnce.ts for lists: the one change allowed is adding ids ($addToSet). */
function onlyAddedTo(schema: Schema<IdListRecord>, message: string): void {
  for (const operation of ['updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
    schema.pre(operation, () => {
      throw new Error(message);
    });
  }
  schema.pre('updateOne', function () {
    const update = this.getUpdate() as Record<string, unknown> | null;
    if (!update || Object.keys(update).some((operator) => operator !== '$addToSet')) throw new Error(message);
  });
}

export async function addToIdList(model: Model<IdListRecord>, key: string, ids: string[]): Promise<void> {
  await upsertById(model, key, { $addToSet: { ids: { $each: ids } } });
}

export async function idList(model: Model<IdListRecord>, key: string): Promise<string[]> {
  return (await model.findById(key).lean())?.ids ?? [];
}
