import { storeModel } from '../store/storeModel';
import { createHash, randomBytes } from 'node:crypto';
import { Schema } from 'mongoose';
import { SinettiError } from '../common/errors';
import { upsertById } from '../store/keyedWrites';

/**
 * Personal links for people without an account (signers, checkers,
 * applicants). The token is 256 random bits handed only to the mail that
 * carries it; the store keeps its SHA-256, so neither staff nor a database
 * dump can open someone else's link.
 */

interface LinkRecord {
  /** The token's SHA-256: links are opened by it, and FerretDB answers only _id lookups without a scan. */
  _id: string;
  tokenHash: string;
  processId: string;
  participantId: string;
  purpose: string;
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: string;
  createdAt: Date;
}

const linkSchema = new Schema<LinkRecord>(
  {
    _id: { type: String, required: true },
    tokenHash: { type: String, required: true, unique: true },
    processId: { type: String, required: true, index: true },
    participantId: { type: String, required: true },
    purpose: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    revokedReason: String,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'participant_links' },
);

export const ParticipantLinkModel = storeModel<LinkRecord>('ParticipantLink', linkSchema);

/**
 * The links issued in one process (whose and what for), keyed by the
 * process id, so that revoking or extending a process's links reads them by
 * _id instead of scanning every link ever issued (see BY_ID_ONLY in
 * store/connection.ts). Entries are only ever added.
 */
interface IssuedLink {
  tokenHash: string;
  participantId: string;
  purpose: string;
}
interface ProcessLinksRecord {
  _id: string;
  links: IssuedLink[];
}
const processLinksSchema = new Schema<ProcessLinksRecord>(
  {
    _id: { type: String, required: true },
    links: { type: [{ _id: false, tokenHash: String, participantId: String, purpose: String }], required: true },
  },
  { versionKey: false, collection: 'process_links' },
);
const ProcessLinksModel = storeModel<ProcessLinksRecord>('ProcessLinks', processLinksSchema);

export type LinkRejection = 'unknown' | 'expired' | 'revoked';

export class LinkRejectedError extends SinettiError {
  /** For a revoked link, why it was revoked ("cancelled", "declined", "superseded", …). */
  constructor(
    readonly reason: LinkRejection,
    readonly revokedReason?: string,
  ) {
    super(
      `link_${reason}`,
      {
        unknown: 'This link is not valid. Check that you opened the whole link from your e-mail.',
        expired: 'This link has expired.',
        revoked: 'This link is no longer in use.',
      }[reason],
      reason === 'unknown' ? 404 : 410,
    );
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
    const tokenHash = hashToken(token);
    await this.revokeAll({ ...input, reason: 'superseded' });
    // The process's list first: a link it does not list could never be revoked.
    const issued: IssuedLink = { tokenHash, participantId: input.participantId, purpose: input.purpose };
    await upsertById(ProcessLinksModel, input.processId, { $push: { links: issued } });
    await ParticipantLinkModel.create({ ...input, _id: tokenHash, tokenHash, createdAt: new Date() });
    return token;
  }

  async resolve(token: string, now = new Date()): Promise<ResolvedLink> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new LinkRejectedError('unknown');
    const record = await ParticipantLinkModel.findById(hashToken(token)).lean();
    if (!record) throw new LinkRejectedError('unknown');
    if (record.revokedAt) throw new LinkRejectedError('revoked', record.revokedReason);
    if (record.expiresAt <= now) throw new LinkRejectedError('expired');
    return { processId: record.processId, participantId: record.participantId, purpose: record.purpose, expiresAt: record.expiresAt };
  }

  async revokeAll(input: { processId: string; participantId?: string; purpose?: string; reason: string }): Promise<number> {
    const live = await this.liveLinks(
      input.processId,
      (link) => (!input.participantId || link.participantId === input.participantId) && (!input.purpose || link.purpose === input.purpose),
    );
    const revokedAt = new Date();
    await Promise.all(
      live.map((link) => ParticipantLinkModel.updateOne({ _id: link._id }, { $set: { revokedAt, revokedReason: input.reason } })),
    );
    return live.length;
  }

  async extend(input: { processId: string; expiresAt: Date }): Promise<void> {
    const live = await this.liveLinks(input.processId, () => true);
    await Promise.all(live.map((link) => ParticipantLinkModel.updateOne({ _id: link._id }, { $set: { expiresAt: input.expiresAt } })));
  }

  /** The process's links that `matches` picks and that are not revoked yet. */
  private async liveLinks(processId: string, matches: (link: IssuedLink) => boolean): Promise<LinkRecord[]> {
    const issued = (await ProcessLinksModel.findById(processId).lean())?.links ?? [];
    const records = await Promise.all(issued.filter(matches).map((link) => ParticipantLinkModel.findById(link.tokenHash).lean()));
    return records.filter((record): record is NonNullable<typeof record> => record !== null && !record.revokedAt);
  }
}
