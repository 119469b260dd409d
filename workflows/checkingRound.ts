import { ApplicationFailure, defineUpdate, setHandler } from '@temporalio/workflow';
import { type AdminActionsOfRound, type DeadlineExtension, type Reassignment, type RoundStanding } from './adminUpdates';
import { DecisionQueue, isValidNewDeadline, nextReminderAt, type ReminderRule, waitUntil } from './roundMechanics';

/**
 * The checking of minutes (pöytäkirjan tarkastus), beside the signing
 * round and built the same way: the minute-checkers review the current
 * version through their links and approve it or ask for corrections; each
 * decision arrives as a validated Update and is carried out on the main
 * loop, one at a time. A correction request reaches the secretary at once,
 * and the secretary's new version opens a new round. Reminders follow the
 * signing round's rule; when the deadline passes the secretary is told and
 * decides (extend, replace a checker, cancel). Checking ends when every
 * checker has approved the same version, or when it is cancelled.
 *
 * The round knows participant ids, hashes and times only: names, e-mail
 * addresses and the checkers' comments stay in the review's record.
 */

export interface ReviewVersion {
  number: number;
  versionId: string;
  documentId: string;
  sha256: string;
  submittedAt: string;
}

export interface CheckerProgress {
  participantId: string;
  status: 'reviewing' | 'approved' | 'corrections';
  /** When this round's link went out; a replacement is invited on the main loop. */
  invitedAt?: string;
  decidedAt?: string;
  /** The feedback record (comments and evidence) of the decision. */
  feedbackId?: string;
  remindersSent: number;
  lastRemindedAt?: string;
  /** The checker this one took over from (an admin's reassignment). */
  replaces?: string;
}

export interface ReviewRound {
  number: number;
  version: ReviewVersion;
  openedAt: string;
  checkers: CheckerProgress[];
  outcome?: 'approved' | 'superseded' | 'cancelled';
}

export type CheckingStatus = 'in_review' | 'awaiting_correction' | 'approved' | 'cancelled';

export interface CheckingSnapshot {
  status: CheckingStatus;
  checkingDeadlineAt: string;
  /** When the secretary was told that the deadline had passed; cleared by an extension. */
  escalatedAt?: string;
  rounds: ReviewRound[];
}

/** What a checker's page sends once the API has checked the link and stored the comments and evidence. */
export interface CheckerReview {
  participantId: string;
  decision: 'approve' | 'corrections';
  /** SHA-256 of the version the checker was shown. */
  documentSha256: string;
  feedbackId: string;
}

export interface ReviewReceipt {
  round: number;
  versionNumber: number;
  decision: 'approve' | 'corrections';
  decidedAt: string;
}

export interface NewVersion {
  versionId: string;
  documentId: string;
  sha256: string;
  actor: string;
}

export const reviewUpdate = defineUpdate<ReviewReceipt, [CheckerReview]>('review');
export const submitVersionUpdate = defineUpdate<CheckingSnapshot, [NewVersion]>('submitVersion');

/** Why an Update was refused; the API maps the type to an HTTP status. */
export const CHECKING_REJECTIONS = {
  unknown_participant: 'There is no such checker or signer in this review.',
  not_a_checker: 'Only the minute-checkers review the minutes.',
  not_in_review: 'The checking has ended; the minutes can no longer be reviewed or replaced.',
  already_reviewed: 'This checker has already reviewed this version.',
  stale_version: 'There is a newer version of the minutes; review that one.',
  identical_version: 'The new version is identical to the current one.',
  invalid_deadline: 'The new deadline must be in the future.',
  review_ended: 'This review has ended.',
} as const;
export type CheckingRejection = keyof typeof CHECKING_REJECTIONS;

function reject(type: CheckingRejection, details?: unknown): never {
  throw ApplicationFailure.create({
    type,
    message: CHECKING_REJECTIONS[type],
    nonRetryable: true,
    details: details === undefined ? undefined : [details],
  });
}

export type CheckingOutcome = { kind: 'approved'; round: ReviewRound } | { kind: 'cancelled'; reason: string; actor: string };

/** Someone the process names beside the checkers (the chair, the secretary): an admin may hand their role on while checking runs. */
export interface OtherParticipant {
  participantId: string;
  role: string;
}

/** The side effects checking needs; the process supplies them as activities. */
export interface CheckingActions {
  /** A round opens on a version: recorded, before the checkers are invited. */
  roundOpened(round: ReviewRound): Promise<void>;
  invite(checkerId: string, kind: 'invitation' | 'newVersion' | 'reminder', deadlineAt: Date): Promise<void>;
  recordReview(review: CheckerReview, round: ReviewRound): Promise<void>;
  /** The secretary hears of a correction request at once, not at the deadline. */
  correctionsRequested(review: CheckerReview, round: ReviewRound): Promise<void>;
  versionSubmitted(version: NewVersion, versionNumber: number): Promise<void>;
  /** The secretary is told who is still awaited: at the deadline, or on an admin's reminder while the secretary is awaited. */
  tellSecretary(awaited: string[], deadlineAt: Date, why: 'overdue' | 'reminder'): Promise<void>;
  deadlineExtended(deadlineAt: Date, request: DeadlineExtension): Promise<void>;
  /** The replaced person's links stop working (and a checker who had been invited is told). */
  reassigned(previous: OtherParticipant, replacementId: string, wasInvited: boolean, request: Reassignment): Promise<void>;
  /** Called whenever what checking waits for changes, to keep the admin's view true. */
  show(snapshot: CheckingSnapshot): void;
}

export interface CheckingRoundOptions {
  checkerIds: string[];
  others: OtherParticipant[];
  deadlineAt: Date;
  reminders: ReminderRule;
  actions: CheckingActions;
}

/** The secretary's new version waits in the same queue as the checkers' reviews, under a key of its own. */
const NEW_VERSION = 'new-version';
type CheckingDecision = { participantId: string; review: CheckerReview } | { participantId: typeof NEW_VERSION; version: NewVersion };

export class CheckingRound {
  private readonly rounds: ReviewRound[] = [];
  private status: CheckingStatus = 'in_review';
  private deadlineAt: Date;
  private escalatedAt?: string;
  private readonly others: OtherParticipant[];
  private readonly decisions = new DecisionQueue<CheckingDecision, ReviewReceipt | CheckingSnapshot, CheckingRejection>();
  /** Decisions accepted but not yet carried out, so a second one from the same person is refused. */
  private readonly pending = new Set<string>();
  private outcome?: CheckingOutcome;
  private wake = false;

  /** The admin's actions while checking runs; the process registers them (registerAdminUpdates) and routes them here. */
  readonly admin: AdminActionsOfRound = {
    remindNow: {
      validate: () => this.requireOpen(),
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
        const checker = this.checkerOf(participantId);
        if (!checker && !this.others.some((o) => o.participantId === participantId)) reject('unknown_participant');
        if (checker && (checker.status === 'approved' || this.pending.has(participantId))) reject('already_reviewed');
        if (!replacementId || this.isKnown(replacementId)) reject('unknown_participant');
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

  /** Registers the checkers' and the secretary's Updates at once, so no message arrives before its handler. */
  constructor(private readonly options: CheckingRoundOptions) {
    this.deadlineAt = options.deadlineAt;
    this.others = options.others.map((o) => ({ ...o }));
    setHandler(reviewUpdate, (review) => this.acceptReview(review), { validator: (review) => this.validateReview(review) });
    setHandler(submitVersionUpdate, (version) => this.acceptVersion(version), { validator: (version) => this.validateVersion(version) });
  }

  snapshot(): CheckingSnapshot {
    return {
      status: this.status,
      checkingDeadlineAt: this.deadlineAt.toISOString(),
      escalatedAt: this.escalatedAt,
      rounds: this.rounds.map((r) => ({ ...r, version: { ...r.version }, checkers: r.checkers.map((c) => ({ ...c })) })),
    };
  }

  /** What the admin Updates answer. */
  standing(): RoundStanding {
    const checkers = this.rounds.at(-1)?.checkers ?? [];
    return {
      round: 'checking',
      status: this.outcome ? 'ended' : 'open',
      deadlineAt: this.deadlineAt.toISOString(),
      awaited: this.awaitedCheckers().map((c) => c.participantId),
      participants: checkers.map(({ participantId, status, remindersSent, lastRemindedAt, replaces }) => ({
        participantId,
        role: 'checker',
        status,
        remindersSent,
        lastRemindedAt,
        replaces,
      })),
    };
  }

  /** Who holds a role beside the checkers now (an admin may have handed it on). */
  holderOf(role: string): string | undefined {
    return this.others.find((o) => o.role === role)?.participantId;
  }

  /** Runs checking from the draft until every checker approves one version, or it is cancelled. */
  async run(draft: Omit<ReviewVersion, 'number' | 'submittedAt'>): Promise<CheckingOutcome> {
    await this.openRound({ number: 1, ...draft, submittedAt: new Date().toISOString() }, this.options.checkerIds);
    for (;;) {
      const decision = this.decisions.next();
      if (decision) {
        await this.carryOut(decision);
        continue;
      }
      if (this.outcome) break;
      const round = this.current();
      if (round.checkers.every((c) => c.status === 'approved')) {
        round.outcome = 'approved';
        this.status = 'approved';
        this.outcome = { kind: 'approved', round };
        break;
      }
      if (await this.inviteReplacements()) continue;
      if (await this.sendDueReminders()) continue;
      if (!this.escalatedAt && Date.now() >= this.deadlineAt.getTime()) {
        // The deadline passed: the secretary decides what to do (extend, replace a checker, cancel).
        this.escalatedAt = new Date().toISOString();
        await this.options.actions.tellSecretary(
          this.awaitedCheckers().map((c) => c.participantId),
          this.deadlineAt,
          'overdue',
        );
        continue;
      }

      this.options.actions.show(this.snapshot());
      this.wake = false;
      const wakeAt = Math.min(
        this.escalatedAt ? Infinity : this.deadlineAt.getTime(),
        ...round.checkers.map((c) => this.nextReminderAt(c)),
      );
      await waitUntil(() => !this.decisions.isEmpty || this.outcome !== undefined || this.wake, wakeAt);
    }
    if (this.outcome.kind === 'cancelled') {
      this.current().outcome = 'cancelled';
      this.status = 'cancelled';
    }
    this.decisions.refuseRemaining('not_in_review');
    this.pending.clear();
    this.options.actions.show(this.snapshot());
    return this.outcome;
  }

  private current(): ReviewRound {
    return this.rounds[this.rounds.length - 1];
  }

  private checkerOf(participantId: string): CheckerProgress | undefined {
    return this.rounds.at(-1)?.checkers.find((c) => c.participantId === participantId);
  }

  private isKnown(participantId: string): boolean {
    return (
      this.rounds.some((r) => r.checkers.some((c) => c.participantId === participantId || c.replaces === participantId)) ||
      this.others.some((o) => o.participantId === participantId)
    );
  }

  /** Checkers whose review of the current version is awaited; none while the secretary corrects the minutes. */
  private awaitedCheckers(): CheckerProgress[] {
    if (this.status !== 'in_review') return [];
    return this.current().checkers.filter((c) => c.status === 'reviewing' && !this.pending.has(c.participantId));
  }

  /** Open from the moment the first round opens (in the workflow's first task) until checking ends. */
  private requireOpen(): void {
    if (this.outcome) reject(this.outcome.kind === 'cancelled' ? 'review_ended' : 'not_in_review');
    if (this.rounds.length === 0) reject('not_in_review');
  }

  private validateReview(review: CheckerReview): void {
    if (this.rounds.length === 0) reject('not_in_review');
    if (!this.isKnown(review.participantId)) reject('unknown_participant');
    const round = this.current();
    const checker = round.checkers.find((c) => c.participantId === review.participantId);
    if (!checker) reject('not_a_checker');
    // While the secretary corrects, the other checkers may still review the version they have.
    if (this.outcome) reject('not_in_review');
    const current = { versionNumber: round.version.number, sha256: round.version.sha256 };
    if (review.documentSha256 !== round.version.sha256) reject('stale_version', current);
    if (checker.status !== 'reviewing' || this.pending.has(review.participantId)) reject('already_reviewed', current);
  }

  private validateVersion(version: NewVersion): void {
    if (this.outcome || this.rounds.length === 0 || this.pending.has(NEW_VERSION)) reject('not_in_review');
    const round = this.current();
    if (this.rounds.some((r) => r.version.sha256 === version.sha256))
      reject('identical_version', { versionNumber: round.version.number, sha256: round.version.sha256 });
  }

  private async acceptReview(review: CheckerReview): Promise<ReviewReceipt> {
    this.pending.add(review.participantId);
    const settled = await this.decisions.submit({ participantId: review.participantId, review });
    if ('rejected' in settled) reject(settled.rejected);
    return settled.receipt as ReviewReceipt;
  }

  private async acceptVersion(version: NewVersion): Promise<CheckingSnapshot> {
    this.pending.add(NEW_VERSION);
    const settled = await this.decisions.submit({ participantId: NEW_VERSION, version });
    if ('rejected' in settled) reject(settled.rejected);
    return settled.receipt as CheckingSnapshot;
  }

  /** Decisions are carried out one at a time, in the order they were accepted. */
  private async carryOut(decision: CheckingDecision): Promise<void> {
    this.pending.delete(decision.participantId);
    if ('version' in decision) {
      await this.replaceVersion(decision.version);
      this.decisions.settle(decision.participantId, { receipt: this.snapshot() });
      return;
    }
    const { review } = decision;
    const round = this.current();
    const checker = round.checkers.find((c) => c.participantId === review.participantId);
    // While the review waited in the queue, a new version may have opened a new round.
    if (!checker || round.version.sha256 !== review.documentSha256) {
      this.decisions.settle(review.participantId, { rejected: checker ? 'stale_version' : 'unknown_participant' });
      return;
    }
    checker.status = review.decision === 'approve' ? 'approved' : 'corrections';
    checker.decidedAt = new Date().toISOString();
    checker.feedbackId = review.feedbackId;
    if (review.decision === 'corrections') this.status = 'awaiting_correction';
    await this.options.actions.recordReview(review, round);
    if (review.decision === 'corrections') await this.options.actions.correctionsRequested(review, round);
    this.decisions.settle(review.participantId, {
      receipt: { round: round.number, versionNumber: round.version.number, decision: review.decision, decidedAt: checker.decidedAt },
    });
  }

  /** A correction means a new version and a new round, for the same checkers. */
  private async replaceVersion(version: NewVersion): Promise<void> {
    const { actor: _actor, ...ref } = version;
    const previous = this.current();
    previous.outcome = 'superseded';
    const number = previous.version.number + 1;
    await this.options.actions.versionSubmitted(version, number);
    await this.openRound(
      { number, ...ref, submittedAt: new Date().toISOString() },
      previous.checkers.map((c) => c.participantId),
    );
  }

  private async openRound(version: ReviewVersion, checkerIds: string[]): Promise<void> {
    const openedAt = new Date().toISOString();
    const round: ReviewRound = {
      number: this.rounds.length + 1,
      version,
      openedAt,
      checkers: checkerIds.map((participantId) => ({ participantId, status: 'reviewing', invitedAt: openedAt, remindersSent: 0 })),
    };
    this.rounds.push(round);
    this.status = 'in_review';
    this.options.actions.show(this.snapshot());
    await this.options.actions.roundOpened(round);
    const kind = round.number === 1 ? 'invitation' : 'newVersion';
    await Promise.all(checkerIds.map((id) => this.options.actions.invite(id, kind, this.deadlineAt)));
  }

  /** A checker who took over from another gets this round's link on the main loop, as any invited checker does. */
  private async inviteReplacements(): Promise<boolean> {
    if (this.status !== 'in_review') return false;
    const uninvited = this.current().checkers.filter((c) => c.status === 'reviewing' && !c.invitedAt);
    if (uninvited.length === 0) return false;
    const now = new Date().toISOString();
    for (const checker of uninvited) checker.invitedAt = now;
    await Promise.all(uninvited.map((c) => this.options.actions.invite(c.participantId, 'invitation', this.deadlineAt)));
    return true;
  }

  private nextReminderAt(checker: CheckerProgress): number {
    if (!this.awaitedCheckers().includes(checker)) return Infinity;
    return nextReminderAt(checker, this.options.reminders, this.deadlineAt);
  }

  private async sendDueReminders(): Promise<boolean> {
    const due = this.current().checkers.filter((c) => this.nextReminderAt(c) <= Date.now());
    if (due.length === 0) return false;
    await this.remind(due);
    return true;
  }

  private async remind(checkers: CheckerProgress[]): Promise<void> {
    const now = new Date().toISOString();
    for (const checker of checkers) {
      checker.remindersSent++;
      checker.lastRemindedAt = now;
    }
    await Promise.all(checkers.map((c) => this.options.actions.invite(c.participantId, 'reminder', this.deadlineAt)));
  }

  /**
   * An admin's reminder goes to whoever checking waits for: the checkers
   * still to review, or, while a correction is awaited, the secretary. It
   * counts like any other: automatic ones continue an interval later.
   */
  private async remindNow(): Promise<RoundStanding> {
    const awaited = this.awaitedCheckers().filter((c) => c.invitedAt);
    if (awaited.length > 0) await this.remind(awaited);
    else await this.options.actions.tellSecretary([], this.deadlineAt, 'reminder');
    this.wake = true;
    return this.standing();
  }

  private async extendDeadline(request: DeadlineExtension): Promise<RoundStanding> {
    this.deadlineAt = new Date(request.deadlineAt);
    this.escalatedAt = undefined;
    this.wake = true;
    await this.options.actions.deadlineExtended(this.deadlineAt, request);
    this.options.actions.show(this.snapshot());
    return this.standing();
  }

  /**
   * The replacement takes the checker's place at once, so the replaced
   * person's review is refused from this moment; the main loop invites the
   * replacement. The chair or the secretary may be replaced too: they are
   * invited only when signing begins.
   */
  private async reassign(request: Reassignment): Promise<RoundStanding> {
    const checker = this.checkerOf(request.participantId);
    if (checker) {
      Object.assign(checker, {
        participantId: request.replacementId,
        replaces: request.participantId,
        status: 'reviewing',
        invitedAt: undefined,
        lastRemindedAt: undefined,
        remindersSent: 0,
        decidedAt: undefined,
        feedbackId: undefined,
      } satisfies Partial<CheckerProgress>);
      await this.options.actions.reassigned(
        { participantId: request.participantId, role: 'checker' },
        request.replacementId,
        true,
        request,
      );
    } else {
      const other = this.others.find((o) => o.participantId === request.participantId)!;
      const previous = { ...other };
      other.participantId = request.replacementId;
      await this.options.actions.reassigned(previous, request.replacementId, false, request);
    }
    this.wake = true;
    return this.standing();
  }
}
