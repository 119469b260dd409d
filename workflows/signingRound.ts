import { ApplicationFailure, defineUpdate, patched, setHandler } from '@temporalio/workflow';
import { type AdminActionsOfRound, type DeadlineExtension, type Reassignment, type RoundStanding } from './adminUpdates';
import { DecisionQueue, isValidNewDeadline, nextReminderAt, type ReminderRule, waitUntil } from './roundMechanics';

/**
 * A signing round, shared by every process where people sign one document:
 * signers are invited by order (equal orders sign in parallel), each
 * decision arrives as a validated Update, reminders go out on durable
 * timers, and the round ends when everyone has signed, someone declines,
 * the deadline passes or staff cancel. The process around it decides what
 * the document is and what happens afterwards; the round only knows
 * participant ids and roles, never who the people are. The admin's
 * actions (workflows/adminUpdates.ts) reach it through `admin`.
 */

export interface RoundSigner {
  participantId: string;
  role: string;
  order: number;
}

export type SignerStatus = 'waiting' | 'invited' | 'deciding' | 'signed' | 'declined';

export interface SignerProgress extends RoundSigner {
  status: SignerStatus;
  invitedAt?: string;
  decidedAt?: string;
  remindersSent: number;
  invitationsSent: number;
  lastRemindedAt?: string;
  /** The participant this one took over from (an admin's reassignment). */
  replaces?: string;
}

export interface DocumentRef {
  versionId: string;
  documentId: string;
  sha256: string;
}

/** What the signer's page sends; the API has already checked the link's token and stored the evidence. */
export interface SignerDecision {
  participantId: string;
  decision: 'sign' | 'decline';
  /** SHA-256 of the version the signer was shown. */
  documentSha256: string;
  /** The page's evidence (typed name, reason, IP, browser), kept outside the history. */
  evidenceId: string;
}

export interface DecisionReceipt {
  participantId: string;
  decision: 'sign' | 'decline';
  decidedAt: string;
  /** The document after the decision: for a signature, the newly signed version. */
  documentSha256: string;
}

export type RoundOutcome =
  | { kind: 'signed'; document: DocumentRef }
  | { kind: 'declined'; participantId: string; evidenceId: string }
  | { kind: 'expired' }
  | { kind: 'cancelled'; reason: string; actor: string };

export interface RoundSnapshot {
  status: 'open' | RoundOutcome['kind'];
  deadlineAt: string;
  /** The version signers are shown now, and its SHA-256. */
  documentVersionId?: string;
  documentSha256?: string;
  /** Participant ids whose decision is awaited now. */
  awaited: string[];
  signers: SignerProgress[];
}

export const decideUpdate = defineUpdate<DecisionReceipt, [SignerDecision]>('decide');
export const resendInvitationUpdate = defineUpdate<RoundSnapshot, [{ participantId: string; actor: string }]>('resendInvitation');

/** Why an Update was refused; the API maps the type to an HTTP status. */
export const REJECTIONS = {
  unknown_signer: 'There is no such signer in this process.',
  round_closed: 'Signing has ended; nothing can be signed or changed any more.',
  not_open_yet: 'The document is still being prepared; try again in a moment.',
  not_your_turn: "It is not this signer's turn yet: earlier signers must sign first.",
  already_decided: 'This signer has already made their decision.',
  stale_document: 'The document has changed since it was shown; reload it and review it again.',
  invalid_deadline: 'The new deadline must be in the future.',
  not_invited: 'This signer has not been invited yet, so there is nothing to resend.',
  nobody_to_remind: 'Nobody has been invited and is still to decide, so there is nobody to remind.',
  invalid_replacement: 'The replacement must be a new participant of this process.',
} as const;
export type RejectionType = keyof typeof REJECTIONS;

function reject(type: RejectionType): never {
  throw ApplicationFailure.create({ type, message: REJECTIONS[type], nonRetryable: true });
}

/** The side effects the round needs; the process supplies them as activities. */
export interface RoundActions {
  invite(signer: RoundSigner, deadlineAt: Date, kind: 'invitation' | 'reminder' | 'resend'): Promise<void>;
  sign(signer: RoundSigner, decision: SignerDecision, document: DocumentRef): Promise<DocumentRef>;
  decline(signer: RoundSigner, decision: SignerDecision): Promise<void>;
  deadlineExtended(deadlineAt: Date, actor: string): Promise<void>;
  /** The replaced person's links stop working (and they are told, if they had been invited). */
  reassigned(previous: RoundSigner, replacement: RoundSigner, wasInvited: boolean, request: Reassignment): Promise<void>;
  /** Called whenever what the round waits for changes, to keep the admin's view true. */
  show(snapshot: RoundSnapshot): void;
}

export interface SigningRoundOptions {
  signers: RoundSigner[];
  deadlineAt: Date;
  reminders: ReminderRule;
  actions: RoundActions;
}

export class SigningRound {
  private readonly signers: SignerProgress[];
  private deadlineAt: Date;
  private document?: DocumentRef;
  /** Versions since preparation: each adds only signatures, so a signer who saw any of them saw the same content. */
  private readonly acceptedHashes = new Set<string>();
  private readonly decisions = new DecisionQueue<SignerDecision, DecisionReceipt, RejectionType>();
  private outcome?: RoundOutcome;
  private wake = false;
  /** See run(): whether automatic reminders count from the latest reminder of any kind. */
  private remindFromLatest = false;

  /** The admin's actions on this round; the process registers them (registerAdminUpdates) and routes them here while the round runs. */
  readonly admin: AdminActionsOfRound = {
    remindNow: {
      validate: () => {
        this.requireOpen();
        if (!this.document) reject('not_open_yet');
        if (!this.awaited().some((s) => s.status === 'invited')) reject('nobody_to_remind');
      },
      run: () => this.remindNow(),
    },
    extendDeadline: {
      validate: ({ deadlineAt }) => {
        this.requireOpen();
        if (!isValidNewDeadline(deadlineAt)) reject('invalid_deadline');
      },
      run: (request) => this.extendDeadline(request),
    },
    reassignParticipant: {
      validate: ({ participantId, replacementId }) => {
        this.requireOpen();
        const signer = this.signer(participantId);
        if (signer.status === 'signed' || signer.status === 'declined' || signer.status === 'deciding') reject('already_decided');
        if (!replacementId || this.signers.some((s) => s.participantId === replacementId || s.replaces === replacementId))
          reject('invalid_replacement');
      },
      run: (request) => this.reassign(request),
    },
    cancel: {
      validate: () => this.requireOpen(),
      run: ({ reason, actor }) => {
        this.outcome = { kind: 'cancelled', reason: reason ?? 'cancelled', actor };
        this.wake = true;
        return this.standing();
      },
    },
  };

  /** Registers the round's own Updates at once, so no message arrives before its handler. */
  constructor(private readonly options: SigningRoundOptions) {
    this.signers = options.signers.map((s) => ({ ...s, status: 'waiting', remindersSent: 0, invitationsSent: 0 }));
    this.deadlineAt = options.deadlineAt;
    setHandler(decideUpdate, (decision) => this.acceptDecision(decision), { validator: (decision) => this.validateDecision(decision) });
    setHandler(resendInvitationUpdate, (request) => this.resendInvitation(request), {
      validator: ({ participantId }) => {
        this.requireOpen();
        const signer = this.signer(participantId);
        if (signer.status === 'signed' || signer.status === 'declined' || signer.status === 'deciding') reject('already_decided');
        if (signer.status !== 'invited') reject('not_invited');
      },
    });
  }

  snapshot(): RoundSnapshot {
    return {
      status: this.outcome?.kind ?? 'open',
      deadlineAt: this.deadlineAt.toISOString(),
      documentVersionId: this.document?.versionId,
      documentSha256: this.document?.sha256,
      awaited: this.outcome ? [] : this.awaited().map((s) => s.participantId),
      signers: this.signers.map((s) => ({ ...s })),
    };
  }

  /** What the admin Updates answer. */
  standing(): RoundStanding {
    const { status, deadlineAt, awaited, signers } = this.snapshot();
    return { round: 'signing', status: status === 'open' ? 'open' : 'ended', deadlineAt, awaited, participants: signers };
  }

  /** Signers who have taken part and should hear how the round ended. */
  contacted(): SignerProgress[] {
    return this.signers.filter((s) => s.status !== 'waiting');
  }

  /** Runs the round on the prepared document until it ends. */
  async run(document: DocumentRef): Promise<RoundOutcome> {
    // Since admins can remind at any moment, the next automatic reminder is
    // due one interval after the latest reminder, not on the fixed schedule
    // from the invitation. Runs started before this change keep the fixed
    // schedule: replaying them must make the same timers and reminders.
    this.remindFromLatest = patched('reminders-from-latest-reminder');
    this.document = document;
    this.acceptedHashes.add(document.sha256);
    for (;;) {
      const decision = this.decisions.next();
      if (decision) {
        await this.carryOut(decision);
        continue;
      }
      if (this.outcome) break;
      if (this.signers.every((s) => s.status === 'signed')) {
        this.outcome = { kind: 'signed', document: this.document };
        break;
      }
      if (await this.inviteNextSigners()) continue;
      if (Date.now() >= this.deadlineAt.getTime()) {
        this.outcome = { kind: 'expired' };
        break;
      }
      if (await this.sendDueReminders()) continue;

      this.options.actions.show(this.snapshot());
      this.wake = false;
      const wakeAt = Math.min(this.deadlineAt.getTime(), ...this.signers.map((s) => this.nextReminderAt(s)));
      await waitUntil(() => !this.decisions.isEmpty || this.outcome !== undefined || this.wake, wakeAt);
    }
    for (const late of this.decisions.refuseRemaining('round_closed')) this.signer(late.participantId).status = 'invited';
    this.options.actions.show(this.snapshot());
    return this.outcome;
  }

  private signer(participantId: string): SignerProgress {
    const signer = this.signers.find((s) => s.participantId === participantId);
    if (!signer) reject('unknown_signer');
    return signer;
  }

  /** The lowest order that still has someone unsigned: those signers are awaited. */
  private awaited(): SignerProgress[] {
    const open = this.signers.filter((s) => s.status !== 'signed');
    if (open.length === 0) return [];
    const order = Math.min(...open.map((s) => s.order));
    return open.filter((s) => s.order === order);
  }

  private requireOpen(): void {
    if (this.outcome) reject('round_closed');
  }

  private validateDecision(decision: SignerDecision): void {
    this.requireOpen();
    if (!this.document) reject('not_open_yet');
    const signer = this.signer(decision.participantId);
    if (signer.status === 'signed' || signer.status === 'declined' || signer.status === 'deciding') reject('already_decided');
    if (signer.status !== 'invited') reject('not_your_turn');
    if (!this.acceptedHashes.has(decision.documentSha256)) reject('stale_document');
  }

  private async acceptDecision(decision: SignerDecision): Promise<DecisionReceipt> {
    this.signer(decision.participantId).status = 'deciding';
    const settled = await this.decisions.submit(decision);
    if ('rejected' in settled) reject(settled.rejected);
    return settled.receipt;
  }

  /** Decisions are carried out one at a time: each signature is an incremental update of the one before. */
  private async carryOut(decision: SignerDecision): Promise<void> {
    const signer = this.signer(decision.participantId);
    if (decision.decision === 'sign') {
      const signed = await this.options.actions.sign(signer, decision, this.document!);
      this.document = signed;
      this.acceptedHashes.add(signed.sha256);
      signer.status = 'signed';
    } else {
      await this.options.actions.decline(signer, decision);
      signer.status = 'declined';
      this.outcome ??= { kind: 'declined', participantId: signer.participantId, evidenceId: decision.evidenceId };
    }
    signer.decidedAt = new Date().toISOString();
    this.decisions.settle(signer.participantId, {
      receipt: {
        participantId: signer.participantId,
        decision: decision.decision,
        decidedAt: signer.decidedAt,
        documentSha256: this.document!.sha256,
      },
    });
  }

  private async inviteNextSigners(): Promise<boolean> {
    const next = this.awaited().filter((s) => s.status === 'waiting');
    if (next.length === 0) return false;
    for (const signer of next) {
      signer.status = 'invited';
      signer.invitedAt = new Date().toISOString();
      signer.invitationsSent++;
    }
    this.options.actions.show(this.snapshot());
    await Promise.all(next.map((signer) => this.options.actions.invite(signer, this.deadlineAt, 'invitation')));
    return true;
  }

  private nextReminderAt(signer: SignerProgress): number {
    if (signer.status !== 'invited') return Infinity;
    return nextReminderAt(signer, this.options.reminders, this.deadlineAt, !this.remindFromLatest);
  }

  private async sendDueReminders(): Promise<boolean> {
    const due = this.signers.filter((s) => this.nextReminderAt(s) <= Date.now());
    if (due.length === 0) return false;
    await this.remind(due);
    return true;
  }

  private async remind(signers: SignerProgress[]): Promise<void> {
    const now = new Date().toISOString();
    for (const signer of signers) {
      signer.remindersSent++;
      signer.lastRemindedAt = now;
    }
    await Promise.all(signers.map((signer) => this.options.actions.invite(signer, this.deadlineAt, 'reminder')));
  }

  /** An admin's reminder counts like any other: the automatic ones continue an interval later, up to the maximum. */
  private async remindNow(): Promise<RoundStanding> {
    await this.remind(this.awaited().filter((s) => s.status === 'invited'));
    this.wake = true;
    return this.standing();
  }

  /**
   * The replacement takes the place (and the signature field) of the
   * replaced signer at once, so the replaced person's decisions are refused
   * from this moment. If it was their turn, the run loop invites the
   * replacement as it would any signer whose turn has come.
   */
  private async reassign(request: Reassignment): Promise<RoundStanding> {
    const signer = this.signer(request.participantId);
    const previous: RoundSigner = { participantId: signer.participantId, role: signer.role, order: signer.order };
    const wasInvited = signer.status === 'invited';
    Object.assign(signer, {
      participantId: request.replacementId,
      replaces: previous.participantId,
      status: 'waiting',
      invitedAt: undefined,
      lastRemindedAt: undefined,
      remindersSent: 0,
      invitationsSent: 0,
    } satisfies Partial<SignerProgress>);
    await this.options.actions.reassigned(previous, signer, wasInvited, request);
    this.wake = true;
    return this.standing();
  }

  private async extendDeadline({ deadlineAt, actor }: DeadlineExtension): Promise<RoundStanding> {
    this.deadlineAt = new Date(deadlineAt);
    this.wake = true;
    await this.options.actions.deadlineExtended(this.deadlineAt, actor);
    this.options.actions.show(this.snapshot());
    return this.standing();
  }

  private async resendInvitation({ participantId }: { participantId: string; actor: string }): Promise<RoundSnapshot> {
    const signer = this.signer(participantId);
    signer.invitationsSent++;
    await this.options.actions.invite(signer, this.deadlineAt, 'resend');
    return this.snapshot();
  }
}
