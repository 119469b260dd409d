import { storeModel } from './storeModel';
import { createHash, randomBytes } from 'node:crypto';
import { Schema } from 'mongoose';
import { type StaffRole } from '../config/config';
import { type UnitLimits } from '../config/identity';

/**
 * Staff browser sessions, kept server-side so signing out ends them for
 * good. The cookie holds a random id; the store keeps only its SHA-256 as
 * _id (FerretDB pushes _id lookups down), so a copy of the database
 * cannot be replayed as a cookie.
 */
export interface StaffSessionRecord {
  _id: string;
  name: string;
  subject: string;
  roles: StaffRole[];
  /** The units a role is limited to, from the identity provider's claim. */
  units?: UnitLimits;
  /** For RP-initiated logout at the identity provider (id_token_hint). */
  idToken?: string;
  createdAt: Date;
  lastSeenAt: Date;
  revokedAt?: Date;
}

const sessionSchema = new Schema<StaffSessionRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    subject: { type: String, required: true },
    roles: { type: [String], required: true },
    units: Schema.Types.Mixed,
    idToken: String,
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    revokedAt: Date,
  },
  { versionKey: false, collection: 'staff_sessions' },
);

const StaffSessionModel = storeModel<StaffSessionRecord>('StaffSession', sessionSchema);

function storedId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** How often a session's last-seen time is written: reads stay cheap, idle time stays accurate to a minute. */
const TOUCH_EVERY_MS = 60_000;

export class StaffSessions {
  constructor(private readonly limits: { idleMs: number; absoluteMs: number }) {}

  /** A fresh random id for every sign-in; the caller puts it in the cookie. */
  async start(
    person: { name: string; subject: string; roles: StaffRole[]; units?: UnitLimits; idToken?: string },
    now = new Date(),
  ): Promise<string> {
    const sessionId = randomBytes(32).toString('base64url');
    await StaffSessionModel.create({ _id: storedId(sessionId), ...person, createdAt: now, lastSeenAt: now });
    return sessionId;
  }

  /** The live session for a cookie's id, or undefined when unknown, revoked, idle too long or too old. */
  async find(sessionId: string, now = new Date()): Promise<StaffSessionRecord | undefined> {
    const session = await StaffSessionModel.findById(storedId(sessionId)).lean();
    if (!session || session.revokedAt) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() > this.limits.idleMs) return undefined;
    if (now.getTime() - session.createdAt.getTime() > this.limits.absoluteMs) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await StaffSessionModel.updateOne({ _id: session._id }, { $set: { lastSeenAt: now } });
    }
    return session;
  }

  /** Ends the session; the same cookie never signs anyone in again. Returns what was ended, for the IdP logout. */
  async revoke(sessionId: string, now = new Date()): Promise<StaffSessionRecord | undefined> {
    const session = await StaffSessionModel.findById(storedId(sessionId)).lean();
    if (!session) return undefined;
    await StaffSessionModel.updateOne({ _id: session._id }, { $set: { revokedAt: now }, $unset: { idToken: 1 } });
    return session;
  }
}
