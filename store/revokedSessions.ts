import mongoose, { type Model, Schema } from 'mongoose';
import { upsertById } from './keyedWrites';

/**
 * Staff sessions ended by signing out. A session cookie is signed and carries
 * its own expiry, so without this list a copied cookie would stay valid after
 * sign-out until it expired; every API process reads the same list. An entry
 * is only needed until the session would have expired anyway.
 */
interface RevokedSession {
  _id: string;
  expiresAt: Date;
}

function revokedModel(): Model<RevokedSession> {
  const existing = mongoose.models.RevokedSession as Model<RevokedSession> | undefined;
  if (existing) return existing;
  const schema = new Schema<RevokedSession>(
    { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
    { versionKey: false, collection: 'revoked_sessions' },
  );
  return mongoose.model<RevokedSession>('RevokedSession', schema);
}

export class RevokedSessions {
  private readonly model = revokedModel();

  async revoke(sessionId: string, expiresAt: Date): Promise<void> {
    await upsertById(this.model, sessionId, { $setOnInsert: { expiresAt } });
    // Entries past their session's expiry say nothing any more.
    await this.model.deleteMany({ expiresAt: { $lt: new Date() } });
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.model.exists({ _id: sessionId })) !== null;
  }
}
