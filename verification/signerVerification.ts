import { storeModel } from '../store/storeModel';
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Schema } from 'mongoose';
import type { SmsSender } from '../integrations/sms/smsSender';
import { maskPhone } from '../integrations/sms/smsSender';
import type { MailSender } from '../mail/mailer';
import type { Language } from '../mail/templates';
import type { IdentificationEvidence, StrongIdentification } from './strongIdentification';

/**
 * How a signer shows, before their decision counts, that they are the person
 * who was invited. The sender chooses the method per contract; the signer's
 * page only talks to this interface.
 *
 * A method has two steps, `begin` and `complete`, and then a proof (kept in
 * an HttpOnly cookie of the browser that completed it) that `check` accepts
 * for a while. Strong identification (Suomi.fi e-Identification, or any
 * OIDC provider) fits the same shape and is left for later:
 *   - `begin` returns `{ kind: 'redirect', url }` to the provider's
 *     authorisation endpoint, with state and nonce bound to this subject;
 *   - `complete` receives the callback's `code` and `state`, exchanges the
 *     code, checks the ID token, and compares its name (and, where the
 *     contract names one, the identity code's hash) with the signer;
 *   - the evidence then says which provider and assurance level, never the
 *     identity code itself.
 */

export const VERIFICATION_METHODS = ['none', 'emailCode', 'smsCode'] as const;
/** The codes HR picks as `verification`; strong identification is chosen as `identification: "strong"` (verification/strongIdentification.ts). */
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number] | 'strongIdentification';

/** Who is being verified: one participant of one process, and how to reach them. */
export interface VerificationSubject {
  processId: string;
  participantId: string;
  name: string;
  email: string;
  phone?: string;
  language: Language;
  documentTitle: string;
  /** Who is told when the link is locked after too many wrong codes (HR, for a contract). */
  staffContact?: { name: string; email: string; language: Language };
}

export type Challenge =
  | { kind: 'none' }
  /** A code went out; `sentTo` is masked for the page. */
  | { kind: 'code'; channel: 'email' | 'sms'; sentTo: string }
  /** No code went out: the link is locked, or it has had its codes for this hour. */
  | { kind: 'refused'; reason: 'link_locked' | 'too_many_codes' };

export type VerificationFailure = 'wrong_code' | 'expired_code' | 'too_many_attempts' | 'no_code' | 'link_locked' | 'too_many_codes';

export type Completion = { ok: true; proof: string; proofExpiresAt: Date } | { ok: false; reason: VerificationFailure };

/** What the audit log keeps about a verification. */
export interface VerificationEvidence {
  method: VerificationMethod;
  verifiedAt?: Date;
  /** Strong identification only: provider, level of assurance, transaction; never the identity code. */
  identification?: IdentificationEvidence;
}

export interface SignerVerifier {
  readonly method: VerificationMethod;
  begin(subject: VerificationSubject): Promise<Challenge>;
  complete(subject: VerificationSubject, response: { code?: string }): Promise<Completion>;
  /** The evidence when `proof` (from the browser) is a live proof for this subject; undefined otherwise. */
  check(subject: VerificationSubject, proof: string | undefined): Promise<VerificationEvidence | undefined>;
}

/** The default: the personal link alone lets the signer decide. */
export const noVerification: SignerVerifier = {
  method: 'none',
  begin: async () => ({ kind: 'none' }),
  complete: async () => ({ ok: true, proof: '', proofExpiresAt: new Date(8.64e15) }),
  check: async () => ({ method: 'none' }),
};

interface CodeRecord {
  challengeId: string;
  processId: string;
  participantId: string;
  channel: 'email' | 'sms';
  codeHash: string;
  expiresAt: Date;
  attempts: number;
  verifiedAt?: Date;
  proofHash?: string;
  proofExpiresAt?: Date;
  createdAt: Date;
}

const codeSchema = new Schema<CodeRecord>(
  {
    challengeId: { type: String, required: true, unique: true },
    processId: { type: String, required: true, index: true },
    participantId: { type: String, required: true },
    channel: { type: String, required: true },
    codeHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
    verifiedAt: Date,
    proofHash: String,
    proofExpiresAt: Date,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'signer_verifications' },
);

export const OneTimeCodeModel = storeModel<CodeRecord>('SignerVerification', codeSchema);

/**
 * What one link (a participant of a process) has used up, across all its
 * codes: wrong guesses (a new code does not give new guesses, or five
 * guesses a code and unlimited codes would let anyone try every code), and
 * codes sent per hour (each is a mail or an SMS). Keyed by _id: the link's
 * record, and one counter per link and hour.
 */
interface LinkLimitRecord {
  _id: string;
  wrongGuesses: number;
  lockedAt?: Date;
}
interface CodeRequestsRecord {
  _id: string;
  requests: number;
}

const LinkLimitModel = storeModel<LinkLimitRecord>(
  'SignerVerificationLimit',
  new Schema<LinkLimitRecord>(
    {
      _id: { type: String, required: true },
      wrongGuesses: { type: Number, required: true },
      lockedAt: Date,
    },
    { versionKey: false, collection: 'signer_verification_limits' },
  ),
);
const CodeRequestsModel = storeModel<CodeRequestsRecord>(
  'SignerCodeRequests',
  new Schema<CodeRequestsRecord>(
    {
      _id: { type: String, required: true },
      requests: { type: Number, required: true },
    },
    { versionKey: false, collection: 'signer_code_requests' },
  ),
);

const linkKey = (subject: VerificationSubject) => `${subject.processId}/${subject.participantId}`;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(1, local.length - 1))}@${domain}`;
}

const SMS_TEXT: Record<Language, (code: string, title: string) => string> = {
  fi: (code, title) => `Vahvistuskoodi asiakirjaan "${title}": ${code}. Voimassa 10 minuuttia.`,
  sv: (code, title) => `Verifieringskod för "${title}": ${code}. Gäller i 10 minuter.`,
  en: (code, title) => `Verification code for "${title}": ${code}. Valid for 10 minutes.`,
};

export interface OneTimeCodeOptions {
  channel: 'email' | 'sms';
  mail: MailSender;
  sms: SmsSender;
  organization: string;
  /** How long a code may be entered (the mail says 10 minutes). */
  codeTtlMs?: number;
  /** How long a verified browser may then sign. */
  proofTtlMs?: number;
  /** Wrong codes a link may enter, all its codes together, before it is locked. */
  maxAttempts?: number;
  /** Codes a link may ask for in one clock hour. */
  maxCodesPerHour?: number;
}

/**
 * A six-digit code by e-mail or SMS. Only the code's hash is stored; a new
 * code replaces the previous one. Five wrong tries, over all of a link's
 * codes, lock the link, and HR is told; a link gets at most five codes an hour.
 */
export class OneTimeCodeVerifier implements SignerVerifier {
  readonly method: VerificationMethod;
  private readonly codeTtlMs: number;
  private readonly proofTtlMs: number;
  private readonly maxAttempts: number;
  private readonly maxCodesPerHour: number;

  constructor(private readonly options: OneTimeCodeOptions) {
    this.method = options.channel === 'email' ? 'emailCode' : 'smsCode';
    this.codeTtlMs = options.codeTtlMs ?? 10 * 60_000;
    this.proofTtlMs = options.proofTtlMs ?? 30 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxCodesPerHour = options.maxCodesPerHour ?? 5;
  }

  async begin(subject: VerificationSubject): Promise<Challenge> {
    const { channel } = this.options;
    if (channel === 'sms' && !subject.phone) throw new Error(`Participant ${subject.participantId} has no phone number for an SMS code`);
    if ((await LinkLimitModel.findById(linkKey(subject)).lean())?.lockedAt) return { kind: 'refused', reason: 'link_locked' };
    const hour = new Date().toISOString().slice(0, 13);
    const counted = await CodeRequestsModel.findOneAndUpdate(
      { _id: `${linkKey(subject)}/${hour}` },
      { $inc: { requests: 1 } },
      { upsert: true, new: true },
    ).lean();
    if ((counted?.requests ?? 0) > this.maxCodesPerHour) return { kind: 'refused', reason: 'too_many_codes' };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = randomUUID();
    const now = new Date();
    // Only the newest code counts.
    await OneTimeCodeModel.deleteMany({ processId: subject.processId, participantId: subject.participantId, verifiedAt: null });
    await OneTimeCodeModel.create({
      challengeId,
      processId: subject.processId,
      participantId: subject.participantId,
      channel,
      codeHash: sha256(`${challengeId}:${code}`),
      expiresAt: new Date(now.getTime() + this.codeTtlMs),
      attempts: 0,
      createdAt: now,
    });
    if (channel === 'email') {
      await this.options.mail.send({
        idempotencyKey: `one-time-code/${challengeId}`,
        to: subject.email,
        language: subject.language,
        template: 'oneTimeCode',
        data: { organization: this.options.organization, recipientName: subject.name, documentTitle: subject.documentTitle, reason: code },
      });
      return { kind: 'code', channel, sentTo: maskEmail(subject.email) };
    }
    await this.options.sms.send({
      idempotencyKey: `one-time-code/${challengeId}`,
      to: subject.phone!,
      text: SMS_TEXT[subject.language](code, subject.documentTitle),
    });
    return { kind: 'code', channel, sentTo: maskPhone(subject.phone!) };
  }

  async complete(subject: VerificationSubject, response: { code?: string }): Promise<Completion> {
    if ((await LinkLimitModel.findById(linkKey(subject)).lean())?.lockedAt) return { ok: false, reason: 'link_locked' };
    const pending = await OneTimeCodeModel.findOne({ processId: subject.processId, participantId: subject.participantId, verifiedAt: null })
      .sort({ createdAt: -1 })
      .lean();
    if (!pending) return { ok: false, reason: 'no_code' };
    if (pending.attempts >= this.maxAttempts) return { ok: false, reason: 'too_many_attempts' };
    if (pending.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired_code' };
    const code = (response.code ?? '').replace(/\s/g, '');
    if (!/^\d{6}$/.test(code) || !sameHash(sha256(`${pending.challengeId}:${code}`), pending.codeHash)) {
      await OneTimeCodeModel.updateOne({ challengeId: pending.challengeId }, { $inc: { attempts: 1 } });
      return (await this.wrongGuess(subject)) ? { ok: false, reason: 'link_locked' } : { ok: false, reason: 'wrong_code' };
    }
    const proof = randomBytes(32).toString('base64url');
    const proofExpiresAt = new Date(Date.now() + this.proofTtlMs);
    const claimed = await OneTimeCodeModel.updateOne(
      { challengeId: pending.challengeId, verifiedAt: null },
      { $set: { verifiedAt: new Date(), proofHash: sha256(proof), proofExpiresAt } },
    );
    // Two tabs entering the same code at once: only one gets the proof.
    if (claimed.modifiedCount !== 1) return { ok: false, reason: 'no_code' };
    return { ok: true, proof, proofExpiresAt };
  }

  /** Counts a wrong code against the link; locks it (and tells HR, once) at the limit. True when the link is now locked. */
  private async wrongGuess(subject: VerificationSubject): Promise<boolean> {
    const key = linkKey(subject);
    const counted = await LinkLimitModel.findOneAndUpdate({ _id: key }, { $inc: { wrongGuesses: 1 } }, { upsert: true, new: true }).lean();
    if ((counted?.wrongGuesses ?? 0) < this.maxAttempts) return false;
    const locked = await LinkLimitModel.updateOne({ _id: key, lockedAt: null }, { $set: { lockedAt: new Date() } });
    if (locked.modifiedCount === 1 && subject.staffContact) {
      await this.options.mail.send({
        idempotencyKey: `link-locked/${key}`,
        to: subject.staffContact.email,
        language: subject.staffContact.language,
        template: 'signerLinkLocked',
        data: {
          organization: this.options.organization,
          recipientName: subject.staffContact.name,
          documentTitle: subject.documentTitle,
          actorName: subject.name,
        },
      });
    }
    return true;
  }

  async check(subject: VerificationSubject, proof: string | undefined): Promise<VerificationEvidence | undefined> {
    if (!proof || proof.length > 100) return undefined;
    const record = await OneTimeCodeModel.findOne({ proofHash: sha256(proof) }).lean();
    if (!record || record.processId !== subject.processId || record.participantId !== subject.participantId) return undefined;
    if (!record.proofExpiresAt || record.proofExpiresAt.getTime() <= Date.now()) return undefined;
    return { method: this.method, verifiedAt: record.verifiedAt };
  }
}

/**
 * Strong identification as a verifier: its two steps are the redirect to the
 * provider and the callback (api/routes/signerIdentification.ts); here only
 * the check of the proof the callback left in the browser.
 */
export function strongIdentificationVerifier(strong: StrongIdentification): SignerVerifier {
  return {
    method: 'strongIdentification',
    begin: async () => ({ kind: 'none' }),
    complete: async () => ({ ok: false, reason: 'no_code' }),
    async check(subject, proof) {
      const identification = await strong.check(subject.processId, subject.participantId, proof);
      return identification ? { method: 'strongIdentification', verifiedAt: identification.identifiedAt, identification } : undefined;
    },
  };
}

/** The verifier for a contract's chosen method. */
export function verifierFor(
  method: VerificationMethod | undefined,
  deps: Omit<OneTimeCodeOptions, 'channel'> & { strong?: StrongIdentification },
): SignerVerifier {
  if (method === 'strongIdentification') {
    if (!deps.strong) throw new Error('Strong identification is not configured');
    return strongIdentificationVerifier(deps.strong);
  }
  if (method === 'emailCode') return new OneTimeCodeVerifier({ ...deps, channel: 'email' });
  if (method === 'smsCode') return new OneTimeCodeVerifier({ ...deps, channel: 'sms' });
  return noVerification;
}
