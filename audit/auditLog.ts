import mongoose, { Schema } from 'mongoose';
import { addToIdList, idList, idListModel, isDuplicateKey } from '../store/keyedWrites';
import { forbidChanges } from '../store/writeOnce';
import { recordWebhookEvents } from '../integrations/webhooks/auditHook';

/**
 * Append-only evidence of every step: who, what, when, from where, and the
 * SHA-256 of the document version acted on. Events are written once under
 * an id of the caller's choosing, so a retried activity cannot log twice;
 * there is no update or delete path.
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

const auditSchema = new Schema<AuditEvent & { _id: string }>({
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
}, { versionKey: false, collection: 'audit_events' });
forbidChanges(auditSchema, 'The audit log is append-only');

export const AuditEventModel = mongoose.models.AuditEvent as mongoose.Model<AuditEvent & { _id: string }>
  ?? mongoose.model<AuditEvent & { _id: string }>('AuditEvent', auditSchema);

/**
 * The ids of one process's events, keyed by the process id, so the
 * certificate and the history views read a process's events by _id rather
 * than scanning the whole log (see BY_ID_ONLY in store/connection.ts).
 */
const AuditTrailModel = idListModel('AuditTrail', 'audit_trails');

function trailOf(event: AuditEvent): string {
  if (!event.trail) return event.processId;
  if (!event.eventId.startsWith(`${event.processId}/`)) throw new Error(`Audit event ${event.eventId} is listed in trail ${event.trail} but its id does not start with its process id`);
  return event.trail;
}

export class AuditLog {
  async append(event: AuditEvent): Promise<void> {
    const trail = trailOf(event);
    try {
      await AuditEventModel.create({ _id: event.eventId, ...event });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
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
    try {
      // Built here with their ids: no documents to hydrate.
      await AuditEventModel.insertMany(events.map((event) => ({ _id: event.eventId, ...event })), { ordered: false, lean: true });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (!writeErrors?.length || !writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)) throw error;
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

  /** A process's events, from its own trail and, when given, the shared trail that lists some of them (see AuditEvent.trail). */
  async forProcess(processId: string, sharedTrail?: string): Promise<AuditEvent[]> {
    const own = await idList(AuditTrailModel, processId);
    const shared = sharedTrail ? (await idList(AuditTrailModel, sharedTrail)).filter((id) => id.startsWith(`${processId}/`)) : [];
    const ids = [...new Set([...own, ...shared])];
    const events = await Promise.all(ids.map((id) => AuditEventModel.findById(id, { _id: 0 }).lean()));
    return events.filter((event): event is NonNullable<typeof event> => event !== null)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventId.localeCompare(b.eventId));
  }
}
