import { createHash, randomBytes } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { SinettiError } from '../common/errors';

/**
 * Personal links for people without an account (signers, checkers,
 * applicants). The token is 256 random bits handed only to the mail that
 * carries it; the store keeps its SHA-256, so neither staff nor a database
 * dump can open someone else's link.
 */

interface LinkRecord {
  tokenHash: string;
  processId: string;
  participantId: string;
  purpose: string;
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: string;
  createdAt: Date;
}

const linkSchema = new Schema<LinkRecord>({
  tokenHash: { type: String, required: true, unique: true },
  processId: { type: String, required: true, index: true },
  participantId: { type: String, required: true },
  purpose: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  revokedAt: Date,
  revokedReason: String,
  createdAt: { type: Date, required: true },
}, { versionKey: false, collection: 'participant_links' });

export const ParticipantLinkModel = mongoose.models.ParticipantLink as mongoose.Model<LinkRecord>
  ?? mongoose.model<LinkRecord>('ParticipantLink', linkSchema);

export type LinkRejection = 'unknown' | 'expired' | 'revoked';

export class LinkRejectedError extends SinettiError {
  constructor(readonly reason: LinkRejection) {
    super(`link_${reason}`, {
      unknown: 'This link is not valid. Check that you opened the whole link from your e-mail.',
      expired: 'This link has expired.',
      revoked: 'This link is no longer in use.',
    }[reason], reason === 'unknown' ? 404 : 410);
  }
}

export interface ResolvedLink {
  processId: string;
  participantId: string;
  purpose: string;
  expiresAt: Date;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class ParticipantLinks {
  /** Issues a fresh link and revokes earlier live links of the same participant and purpose. */
  async issue(input: { processId: string; participantId: string; purpose: string; expiresAt: Date }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.revokeAll({ ...input, reason: 'superseded' });
    await ParticipantLinkModel.create({ ...input, tokenHash: hashToken(token), createdAt: new Date() });
    return token;
  }

  async resolve(token: string, now = new Date()): Promise<ResolvedLink> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new LinkRejectedError('unknown');
    const record = await ParticipantLinkModel.findOne({ tokenHash: hashToken(token) }).lean();
    if (!record) throw new LinkRejectedError('unknown');
    if (record.revokedAt) throw new LinkRejectedError('revoked');
    if (record.expiresAt <= now) throw new LinkRejectedError('expired');
    return { processId: record.processId, participantId: record.participantId, purpose: record.purpose, expiresAt: record.expiresAt };
  }

  async revokeAll(input: { processId: string; participantId?: string; purpose?: string; reason: string }): Promise<number> {
    const filter: Record<string, unknown> = { processId: input.processId, revokedAt: null };
    if (input.participantId) filter.participantId = input.participantId;
    if (input.purpose) filter.purpose = input.purpose;
    const result = await ParticipantLinkModel.updateMany(filter, { $set: { revokedAt: new Date(), revokedReason: input.reason } });
    return result.modifiedCount;
  }

  async extend(input: { processId: string; expiresAt: Date }): Promise<void> {
    await ParticipantLinkModel.updateMany({ processId: input.processId, revokedAt: null }, { $set: { expiresAt: input.expiresAt } });
  }
}
