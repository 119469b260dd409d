import type { Model, UpdateQuery } from 'mongoose';
import { WatchCursors } from './watchCursors';

/**
 * Collections keyed by their rows' own id (BY_ID_ONLY in store/connection.ts) since a later version, whose
 * earlier rows carry a generated _id and their id in a field. A lookup by key that misses looks for such a
 * row by that field, which scans the collection on the embedded store, until a worker's start has found none
 * left in the store and marked it so (`markOnce`); from then on nothing scans. Earlier rows are never
 * rewritten: they are records, and a copy-then-delete cut short could lose one.
 */
export class KeyedSince {
  private marked = false;

  /** `mark` names the store's mark (tests use marks of their own). */
  constructor(
    private readonly mark: string,
    private readonly cursors = new WatchCursors(),
  ) {}

  /** Runs `scan` only while the store may still hold earlier rows. */
  async earlier<T>(scan: () => Promise<T>): Promise<T | undefined> {
    this.marked ||= Boolean(await this.cursors.get(this.mark));
    return this.marked ? undefined : scan();
  }

  /** The row stored under `id`, or an earlier row whose `field` is `id`. */
  async find<T>(model: Model<T>, field: string, id: string): Promise<T | undefined> {
    const keyed = (await model.findById(id).lean()) as T | null;
    return keyed ?? ((await this.earlier(() => model.findOne({ [field]: id } as never).lean())) as T | null | undefined) ?? undefined;
  }

  /** Changes the row stored under `id`, or else an earlier row whose `field` is `id`. */
  async update<T>(model: Model<T>, field: string, id: string, update: UpdateQuery<T>): Promise<void> {
    const { matchedCount } = await model.updateOne({ _id: id } as never, update);
    if (matchedCount === 0) await this.earlier(() => model.updateOne({ [field]: id } as never, update));
  }

  /** At a worker's start: marks the store once none of `models` holds an earlier row (one scan each, until marked). */
  async markOnce(models: Model<never>[]): Promise<'marked' | 'already-marked' | 'has-earlier-rows'> {
    if (await this.cursors.get(this.mark)) return 'already-marked';
    for (const model of models) if (await model.exists({ _id: { $type: 'objectId' } } as never)) return 'has-earlier-rows';
    await this.cursors.set(this.mark, new Date());
    this.marked = true;
    return 'marked';
  }
}
