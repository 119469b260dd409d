import { storeModel } from '../store/storeModel';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { Schema } from 'mongoose';
import type { AuditLog } from '../audit/auditLog';
import type { AesGcmPayloadCodec } from '../common/payloadCodec';
import type { MailSender } from '../mail/mailer';
import type { Language } from '../mail/templates';
import { type SealedSecret, sealSecret } from '../store/sealedSecrets';
import type { StrongIdentificationConfig } from '../config/strongIdentification';
import { identityCodeHash, type IdentificationResult, StrongIdentification } from './strongIdentification';

/**
 * The provider's answer matched against the person a link was sent to, the
 * same for every process whose signers identify strongly (a contract's
 * signers, the minutes' chair and secretary). The identity code's keyed hash
 * must be the one registered for the person; a match leaves a proof for
 * this browser, a mismatch is refused, audited and told to the staff member
 * who follows the process. After `MAX_REFUSED_IDENTIFICATIONS` mismatches
 * the link is locked until staff unlock it: someone holding another
 * person's link cannot keep trying identities. Only outcomes and the
 * provider's transaction are recorded, never an identity code or its hash.
 */

export const MAX_REFUSED_IDENTIFICATIONS = 3;

/** A person's identity code as it is stored: encrypted with the payload keys, and as the keyed hash it is matched by. */
export interface RegisteredIdentity {
  sealed: SealedSecret;
  hash: string;
}

export async function registerIdentity(codec: AesGcmPayloadCodec, hashKey: Buffer, identityCode: string): Promise<RegisteredIdentity> {
  return { sealed: await sealSecret(codec, identityCode), hash: identityCodeHash(hashKey, identityCode) };
}

/** The person behind one link, as the process that sent it knows them. */
export interface PersonToIdentify {
  processId: string;
  participantId: string;
  name: string;
  documentTitle: string;
  /** The keyed hash of the identity code registered for the person; without one nobody matches. */
  identityCodeHash?: string;
  /** Who is told of a refusal and a lock: HR for a contract, the secretary for minutes. */
  staffContact: { name: string; email: string; language: Language };
}

export type IdentificationOutcome =
  | { ok: true; proof: string; expiresAt: Date }
  | { ok: false; reason: 'identity_mismatch' | 'cancelled' | 'failed' | 'link_locked' | 'undecryptable' };

/** A link's refused identifications, keyed by process and participant: a new link for the same person does not reset them. */
interface RefusalRecord {
  _id: string;
  refused: number;
  lockedAt?: Date;
}

const RefusalModel = storeModel<RefusalRecord>(
  'IdentificationRefusals',
  new Schema<RefusalRecord>(
    { _id: { type: String, required: true }, refused: { type: Number, required: true }, lockedAt: Date },
    { versionKey: false, collection: 'identification_refusals' },
  ),
);

const refusalKey = (processId: string, participantId: string) => `${processId}/${participantId}`;

export interface IdentityMatchingDeps {
  strong: StrongIdentification;
  audit: AuditLog;
  mail: MailSender;
  organization: string;
  /** The audit actions' prefix: "contract" or "minutes". */
  processKind: 'contract' | 'minutes';
  maxRefusals?: number;
}

export class IdentityMatching {
  private readonly maxRefusals: number;

  constructor(private readonly deps: IdentityMatchingDeps) {
    this.maxRefusals = deps.maxRefusals ?? MAX_REFUSED_IDENTIFICATIONS;
  }

  /** True when the link has had too many refused identifications and staff have not unlocked it. */
  async locked(processId: string, participantId: string): Promise<boolean> {
    return Boolean((await RefusalModel.findById(refusalKey(processId, participantId)).lean())?.lockedAt);
  }

  async identified(
    person: PersonToIdentify,
    result: IdentificationResult,
    by: { actor: string; ip?: string; userAgent?: string },
  ): Promise<IdentificationOutcome> {
    const audit = (action: string, details: Record<string, unknown>) =>
      this.deps.audit.append({
        eventId: `${person.processId}/identification/${randomUUID()}`,
        processId: person.processId,
        actor: by.actor,
        action: `${this.deps.processKind}.${action}`,
        at: new Date(),
        ip: by.ip,
        userAgent: by.userAgent,
        details,
      });
    // A locked link is refused before its answer is even looked at: the right person too waits for staff.
    if (await this.locked(person.processId, person.participantId)) {
      await audit('identification_refused', { method: 'strongIdentification', reason: 'link_locked' });
      return { ok: false, reason: 'link_locked' };
    }
    const expected = Buffer.from(person.identityCodeHash ?? '', 'hex');
    const matched = result.ok && expected.length === 32 && timingSafeEqual(expected, Buffer.from(result.identityCodeHash, 'hex'));
    if (result.ok && matched) {
      await audit('identified', { method: 'strongIdentification', ...result.evidence });
      return { ok: true, ...(await this.deps.strong.recordProof(person.processId, person.participantId, result.evidence)) };
    }
    // An ID token encrypted to another key is the service's fault, told apart from a cancel (verification/strongIdentification.ts).
    const reason = result.ok
      ? 'identity_mismatch'
      : result.reason === 'cancelled' || result.reason === 'undecryptable'
        ? result.reason
        : 'failed';
    await audit('identification_refused', {
      method: 'strongIdentification',
      reason: result.ok ? reason : result.reason,
      ...(result.ok ? { provider: result.evidence.provider, transactionId: result.evidence.transactionId } : {}),
    });
    if (reason !== 'identity_mismatch') return { ok: false, reason };
    if (await this.countRefusal(person)) {
      await audit('identification_locked', { method: 'strongIdentification', refused: this.maxRefusals });
      return { ok: false, reason: 'link_locked' };
    }
    await this.tellStaff(person, 'signerIdentityMismatch', randomUUID());
    return { ok: false, reason };
  }

  /** Staff open a locked link again (after checking who holds it); its count starts over. False when it was not locked. */
  async unlock(processId: string, participantId: string, by: { actor: string; ip?: string; userAgent?: string }): Promise<boolean> {
    const removed = await RefusalModel.deleteOne({ _id: refusalKey(processId, participantId), lockedAt: { $ne: null } });
    if (removed.deletedCount !== 1) return false;
    await this.deps.audit.append({
      eventId: `${processId}/identification/${randomUUID()}`,
      processId,
      actor: by.actor,
      action: `${this.deps.processKind}.identification_unlocked`,
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      details: { participantId },
    });
    return true;
  }

  /** Counts a mismatch; at the limit locks the link and tells staff, once. True when this mismatch locked it. */
  private async countRefusal(person: PersonToIdentify): Promise<boolean> {
    const key = refusalKey(person.processId, person.participantId);
    const counted = await RefusalModel.findOneAndUpdate(
      { _id: key },
      { $inc: { refused: 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    if ((counted?.refused ?? 0) < this.maxRefusals) return false;
    const locked = await RefusalModel.updateOne({ _id: key, lockedAt: null }, { $set: { lockedAt: new Date() } });
    if (locked.modifiedCount === 1) await this.tellStaff(person, 'signerIdentificationLocked', `${key}/${counted?.refused ?? 0}`);
    return true;
  }

  private async tellStaff(
    person: PersonToIdentify,
    template: 'signerIdentityMismatch' | 'signerIdentificationLocked',
    key: string,
  ): Promise<void> {
    await this.deps.mail.send({
      idempotencyKey: `${template}/${person.processId}/${person.participantId}/${key}`,
      to: person.staffContact.email,
      language: person.staffContact.language,
      template,
      data: {
        organization: this.deps.organization,
        recipientName: person.staffContact.name,
        documentTitle: person.documentTitle,
        actorName: person.name,
      },
    });
  }
}

/** A process's relying party and its matching, from the configuration the services are given. */
export function strongIdentificationFor(
  deps: {
    config: { strongIdentification: StrongIdentificationConfig; publicUrl: string; organization: string };
    audit: AuditLog;
    mail: MailSender;
  },
  processKind: IdentityMatchingDeps['processKind'],
): { strong: StrongIdentification; matching: IdentityMatching } {
  const strong = new StrongIdentification(deps.config.strongIdentification, deps.config.publicUrl);
  return {
    strong,
    matching: new IdentityMatching({ strong, audit: deps.audit, mail: deps.mail, organization: deps.config.organization, processKind }),
  };
}
