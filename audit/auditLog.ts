import { storeModel } from '../store/storeModel';
import { Schema } from 'mongoose';
import { LRUCache } from 'lru-cache';
import { addToIdList, idList, idListModel, isDuplicateKey } from '../store/keyedWrites';
import { forbidChanges } from '../store/writeOnce';
import { recordWebhookEvents } from '../integrations/webhooks/auditHook';
import { type ChainLink, type ChainReport, eventHash, genesisHash, walkChain } from './auditChain';

/**
 * Append-only evidence of every step: who, what, when, from where, and the
 * SHA-256 of the document version acted on. Events are written once under
 * an id of the caller's choosing, so a retried activity cannot log twice;
 * there is no update or delete path. Each process's events form a hash
 * chain (audit/auditChain.ts), so a change made behind the application's
 * back, through the database's own driver, is found by walking it.
 */

export interface AuditEvent {
  eventId: string;
  processId: string;
  /** "staff:<name>", "participant:<id>", "system", "admin:<name>". */
  actor: string;
  action: string;
  at: Date;
  ip?: string;
  userAgent?: string;
  documentSha256?: string;
  details?: Record<string, unknown>;
  /**
   * The trail that lists this event when it is not its process's own: a
   * batch letter's events are listed with its page's, so a page of letters
   * costs one trail write per hundred events instead of one per letter.
   * Such an event's id starts with "<processId>/", which is how the shared
   * trail is read back per process.
   */
  trail?: string;
}

type StoredEvent = AuditEvent & Partial<ChainLink> & { _id: string; chainKey?: string };

const auditSchema = new Schema<StoredEvent>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true, unique: true },
    processId: { type: String, required: true, index: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    ip: String,
    userAgent: String,
    documentSha256: String,
    details: Schema.Types.Mixed,
    trail: String,
    seq: Number,
    prevHash: String,
    hash: String,
    /**
     * "<processId>#<seq>", unique: two writers (the API and a worker) that
     * both take the same place in a process's chain cannot both succeed; the
     * loser reads the new head and takes the next place. Sparse, because
     * events written before chaining began have none.
     */
    chainKey: { type: String, unique: true, sparse: true },
  },
  { versionKey: false, collection: 'audit_events' },
);
forbidChanges(auditSchema, 'The audit log is append-only');

export const AuditEventModel = storeModel<StoredEvent>('AuditEvent', auditSchema);

/**
 * The ids of one process's events, keyed by the process id, so the
 * certificate and the history views read a process's events by _id rather
 * than scanning the whole log (see BY_ID_ONLY in store/connection.ts).
 */
const AuditTrailModel = idListModel('AuditTrail', 'audit_trails', { appendOnly: 'An audit trail is only ever added to' });

/**
 * The last link each process's chain is known to end with, kept by the
 * writer so appending reads nothing. When another process has appended
 * meanwhile (or this one has forgotten), the write collides on chainKey and
 * the head is read then.
 */
const knownHeads = new LRUCache<string, { seq: number; hash: string }>({ max: 200_000 });
let indexesReady: Promise<unknown> | undefined;

function trailOf(event: AuditEvent): string {
  if (!event.trail) return event.processId;
  if (!event.eventId.startsWith(`${event.processId}/`))
    throw new Error(`Audit event ${event.eventId} is listed in trail ${event.trail} but its id does not start with its process id`);
  return event.trail;
}

export class AuditLog {
  async append(event: AuditEvent): Promise<void> {
    const trail = trailOf(event);
    await this.chainIn(event);
    // Also after a duplicate: the first attempt may have died before listing the event.
    await addToIdList(AuditTrailModel, trail, [event.eventId]);
    await recordWebhookEvents([event]);
  }

  /**
   * Many events in one round trip (a batch's letters); events already
   * written under their ids are left as they are. Each process's trail is
   * then brought up to date, a few processes at a time.
   */
  async appendMany(events: AuditEvent[]): Promise<void> {
    if (!events.length) return;
    events.forEach(trailOf); // refuses an event a shared trail could not give back, before anything is written
    await ensureIndexes();
    // One event per process per round trip: the next one's link depends on this one's place.
    const rounds: AuditEvent[][] = [];
    const perProcess = new Map<string, number>();
    for (const event of events) {
      const round = perProcess.get(event.processId) ?? 0;
      perProcess.set(event.processId, round + 1);
      (rounds[round] ??= []).push(event);
    }
    for (const round of rounds) {
      const linked = round.map((event) => linkedAfter(event, knownHeads.get(event.processId)));
      let failed: number[] = [];
      try {
        // Built here with their ids: no documents to hydrate.
        await AuditEventModel.insertMany(linked, { ordered: false, lean: true });
      } catch (error) {
        const writeErrors = (error as { writeErrors?: { index: number; code?: number; err?: { code?: number; index?: number } }[] })
          .writeErrors;
        if (!writeErrors?.length || !writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)) throw error;
        failed = writeErrors.map((e) => e.index ?? e.err?.index ?? -1);
      }
      const failedSet = new Set(failed);
      round.forEach((event, index) => {
        if (!failedSet.has(index)) knownHeads.set(event.processId, { seq: linked[index].seq!, hash: linked[index].hash! });
      });
      // A collision: either the event was written before (a retry) or another writer took that place.
      for (const index of failed) await this.chainIn(round[index]);
    }
    const byTrail = new Map<string, string[]>();
    for (const event of events) {
      const trail = trailOf(event);
      byTrail.set(trail, [...(byTrail.get(trail) ?? []), event.eventId]);
    }
    const trails = [...byTrail];
    for (let i = 0; i < trails.length; i += 8) {
      await Promise.all(trails.slice(i, i + 8).map(([trail, eventIds]) => addToIdList(AuditTrailModel, trail, eventIds)));
    }
    await recordWebhookEvents(events);
  }

  /** Writes the event at the end of its process's chain, once. */
  private async chainIn(event: AuditEvent): Promise<void> {
    await ensureIndexes();
    let head = knownHeads.get(event.processId);
    for (let attempt = 1; ; attempt++) {
      const linked = linkedAfter(event, head);
      try {
        await AuditEventModel.create(linked);
        knownHeads.set(event.processId, { seq: linked.seq!, hash: linked.hash! });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await AuditEventModel.findById(event.eventId, { seq: 1, hash: 1 }).lean();
      if (existing) return; // written by an earlier attempt
      if (attempt >= 50) throw new Error(`Could not find the end of process ${event.processId}'s audit chain`);
      head = await this.headAt(event, linked.seq!);
    }
  }

  /**
   * The newest head at or past place `seq` (the place just found taken),
   * through the trails (by _id, see BY_ID_ONLY in store/connection.ts): the
   * last chained event listed. Just written by another writer, it may not be
   * listed yet; then, after a few tries, by a query on the process id.
   */
  private async headAt(event: AuditEvent, seq: number): Promise<{ seq: number; hash: string }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const own = await idList(AuditTrailModel, event.processId);
      const shared = event.trail ? (await idList(AuditTrailModel, event.trail)).filter((id) => id.startsWith(`${event.processId}/`)) : [];
      for (const id of [...own, ...shared].reverse()) {
        const listed = await AuditEventModel.findById(id, { seq: 1, hash: 1 }).lean();
        if (listed?.seq === undefined || !listed.hash) continue; // written before chaining began
        if (listed.seq >= seq) return { seq: listed.seq, hash: listed.hash };
        break; // the event at `seq` is not listed yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
    const [last] = await AuditEventModel.find({ processId: event.processId, seq: { $gte: seq } }, { seq: 1, hash: 1 })
      .sort({ seq: -1 })
      .limit(1)
      .lean();
    if (!last?.hash) throw new Error(`Place ${seq} of process ${event.processId}'s audit chain is taken, but no event holds it`);
    return { seq: last.seq!, hash: last.hash };
  }

  /** A process's events, from its own trail and, when given, the shared trail that lists some of them (see AuditEvent.trail). */
  async forProcess(processId: string, sharedTrail?: string): Promise<AuditEvent[]> {
    const own = await idList(AuditTrailModel, processId);
    const shared = sharedTrail ? (await idList(AuditTrailModel, sharedTrail)).filter((id) => id.startsWith(`${processId}/`)) : [];
    const ids = [...new Set([...own, ...shared])];
    const events = await Promise.all(ids.map((id) => AuditEventModel.findById(id, { _id: 0, chainKey: 0 }).lean()));
    return events
      .filter((event): event is NonNullable<typeof event> => event !== null)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventId.localeCompare(b.eventId));
  }

  /**
   * Walks the process's chain: every event's hash, every link, no gaps, and
   * no event of the process that its trail no longer lists. Reads every
   * event the store holds for the process by its process id, which on the
   * embedded store scans the collection: an admin's check, not a busy path.
   */
  async verifyChain(processId: string, sharedTrail?: string): Promise<ChainReport> {
    const listed = await this.forProcess(processId, sharedTrail);
    const stored = await AuditEventModel.find({ processId }, { _id: 0, chainKey: 0 }).lean();
    return walkChain(processId, listed, stored);
  }
}

function ensureIndexes(): Promise<unknown> {
  indexesReady ??= AuditEventModel.init();
  return indexesReady;
}

/** The event as stored at the place after `head` (or first, when no head is known: a new process's usual case). */
function linkedAfter(event: AuditEvent, head: { seq: number; hash: string } | undefined): StoredEvent {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? genesisHash(event.processId);
  return { _id: event.eventId, ...event, seq, prevHash, hash: eventHash(event, seq, prevHash), chainKey: `${event.processId}#${seq}` };
}
