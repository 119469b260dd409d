import { storeModel } from './storeModel';
import { type Model, Schema } from 'mongoose';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { isDuplicateKey } from './keyedWrites';

/**
 * express-rate-limit's counters in the shared store, so every API process
 * counts the same hits. FerretDB 1.x loses concurrent `$inc`s on one
 * document (50 at once left a counter at 4), but a duplicate _id is always
 * refused. So a hit is a ticket: the document `<key>|<window>#<n>` for the
 * lowest n not yet taken, and n is the client's count in that fixed window.
 * Every read and write is by _id, the only filter FerretDB pushes down
 * (store/connection.ts). Past the limit no more tickets are written, so a
 * refused burst costs nothing; ended windows are deleted now and then.
 *
 * Counts only go up: `decrement` is not supported, so limiters on this
 * store must not use skipSuccessfulRequests/skipFailedRequests
 * (api/signInLimit.ts counts failed sign-ins itself).
 */

interface TicketRecord {
  _id: string;
  expiresAt: Date;
}

function ticketModel(): Model<TicketRecord> {
  const schema = new Schema<TicketRecord>(
    { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
    { versionKey: false, collection: 'rate_limit_tickets' },
  );
  return storeModel<TicketRecord>('RateLimitTicket', schema);
}

const SWEEP_EVERY_MS = 10 * 60_000;

export class MongoRateLimitStore implements Store {
  /** Not local: the counters are shared by every API process. */
  readonly localKeys = false;
  private windowMs = 60_000;
  private limit = Number.POSITIVE_INFINITY;
  private readonly tickets = ticketModel();
  /** The highest ticket this process has seen taken per key and window: where the next try starts. */
  private readonly taken = new Map<string, number>();
  private lastSweep = Date.now();

  /** `prefix` keeps one limiter's counters (and one deployment's) apart from another's. */
  constructor(readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
    if (typeof options.limit === 'number') this.limit = options.limit;
  }

  private window(key: string, now = Date.now()): { base: string; resetTime: Date } {
    const index = Math.floor(now / this.windowMs);
    return { base: `${this.prefix}${key}|${index}`, resetTime: new Date((index + 1) * this.windowMs) };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { base, resetTime } = this.window(key);
    let n = this.taken.get(base) ?? 0;
    while (n <= this.limit && (await this.tickets.exists({ _id: `${base}#${n + 1}` }))) n++;
    return n ? { totalHits: n, resetTime } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { base, resetTime } = this.window(key);
    this.tidy();
    // One ticket past the limit is enough to refuse; beyond it nothing is written.
    for (let n = (this.taken.get(base) ?? 0) + 1; n <= this.limit + 1; n++) {
      try {
        await this.tickets.create({ _id: `${base}#${n}`, expiresAt: resetTime });
        this.taken.set(base, n);
        return { totalHits: n, resetTime };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    this.taken.set(base, this.limit + 1);
    return { totalHits: this.limit + 1, resetTime };
  }

  decrement(): void {
    throw new Error('MongoRateLimitStore only counts up; do not combine it with skipSuccessfulRequests or skipFailedRequests.');
  }

  async resetKey(key: string): Promise<void> {
    const { base } = this.window(key);
    const last = Math.min(this.taken.get(base) ?? 0, 10_000) + 1;
    await this.tickets.deleteMany({ _id: { $in: Array.from({ length: last }, (_, i) => `${base}#${i + 1}`) } });
    this.taken.delete(base);
  }

  /** Drops ended windows: from this process's hints every time it grows, from the store every ten minutes. */
  private tidy(): void {
    const now = Date.now();
    if (this.taken.size > 10_000) this.taken.clear();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.tickets.deleteMany({ expiresAt: { $lt: new Date(now) } }).catch(() => undefined); // tidying only; tried again next time
  }
}
