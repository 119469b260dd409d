import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from '../store/documentStore';
import { forbidChanges } from '../store/writeOnce';

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
}

const auditSchema = new Schema<AuditEvent>({
  eventId: { type: String, required: true, unique: true },
  processId: { type: String, required: true, index: true },
  actor: { type: String, required: true },
  action: { type: String, required: true },
  at: { type: Date, required: true },
  ip: String,
  userAgent: String,
  documentSha256: String,
  details: Schema.Types.Mixed,
}, { versionKey: false, collection: 'audit_events' });
forbidChanges(auditSchema, 'The audit log is append-only');

export const AuditEventModel = mongoose.models.AuditEvent as mongoose.Model<AuditEvent>
  ?? mongoose.model<AuditEvent>('AuditEvent', auditSchema);

export class AuditLog {
  async append(event: AuditEvent): Promise<void> {
    try {
      await AuditEventModel.create(event);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** Many events in one round trip (a batch's letters); events already written under their ids are left as they are. */
  async appendMany(events: AuditEvent[]): Promise<void> {
    if (!events.length) return;
    try {
      await AuditEventModel.insertMany(events, { ordered: false, lean: true }); // built by the caller: no documents to hydrate
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
      if (!writeErrors?.length || !writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)) throw error;
    }
  }

  async forProcess(processId: string): Promise<AuditEvent[]> {
    const events = await AuditEventModel.find({ processId }, { _id: 0 }).sort({ at: 1 }).lean();
    return events;
  }
}
