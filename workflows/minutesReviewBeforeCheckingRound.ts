import type { RetryPolicy } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { DocumentActivities } from '../activities/documentActivities';
import type { MinutesActivities } from '../activities/minutesActivities';
import { ORGANISATION_SEAL_FIELD } from './organisationSeal';
import { showProcess, showStep } from './processView';
import { Body } from './searchAttributes';
import {
  type AdminActionsOfRound,
  type AdminRequest,
  type DeadlineExtension,
  type Reassignment,
  registerAdminUpdates,
  type RoundStanding,
} from './adminUpdates';
import {
  CHECKING_REJECTIONS,
  type CheckerProgress,
  type CheckingRejection,
  type NewVersion,
  type ReviewRound,
  type ReviewVersion,
  reviewUpdate,
  submitVersionUpdate,
} from './checkingRound';
import {
  MINUTES_REVIEW,
  type MinutesReviewInput,
  type MinutesReviewState,
  type MinutesStatus,
  minutesStateQuery,
  SIGNATURE_PAGE_TITLE,
} from './minutesReview';
import { type DocumentRef, type RoundOutcome, SigningRound } from './signingRound';

/**
 * FROZEN: the minutes review as it ran before the CheckingRound, kept only
 * so that reviews started before it replay exactly as they ran (see the
 * patch "minutes-checking-round" in minutesReview.ts). Do not change the
 * order of anything here; delete this file once no such review runs.
 *
 * Minutes review and signing (pöytäkirjan tarkastus ja allekirjoitus), as
 * the secretary and the minute-checkers live it: the checkers review the
 * current version through their links and approve it or ask for
 * corrections; a correction request reaches the secretary at once, whose
 * new version opens a new round; when every checker has approved the same
 * version, the chair and the secretary sign, the checkers' approvals become
 * their "checked" signatures and the organisation seals. The checked
 * minutes go onto the public page with the rectification period (Local
 * Government Act §§ 139–140); when the period ends the minutes are final,
 * personal data leaves the public page and the minutes are archived.
 *
 * The history holds ids, roles, hashes and times only: names, e-mail
 * addresses and the checkers' comments stay in the review's record.
 */

function reject(type: CheckingRejection, details?: unknown): never {
  throw ApplicationFailure.create({
    type,
    message: CHECKING_REJECTIONS[type],
    nonRetryable: true,
    details: details === undefined ? undefined : [details],
  });
}

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
const documents = proxyActivities<DocumentActivities>({ startToCloseTimeout: '2 minutes', retry });
const minutes = proxyActivities<MinutesActivities>({ startToCloseTimeout: '2 minutes', retry });

/** Inputs of reviews started before; the rectification period's override travelled in them then. */
type InputBefore = MinutesReviewInput & { periodOverrideMs?: number };

export async function minutesReviewBeforeCheckingRound(input: InputBefore): Promise<MinutesReviewState> {
  const { reviewId } = input;
  // Who holds each role now: an admin may hand a role to another person.
  const holders = { chair: input.chairId, secretary: input.secretaryId, checkers: [...input.checkerIds] };
  const state: MinutesReviewState = { status: 'in_review', checkingDeadlineAt: input.checkingDeadlineAt, rounds: [] };
  let signingRound: SigningRound | undefined;
  let newVersion: NewVersion | undefined;
  let cancelled: { actor: string; reason: string } | undefined;
  let remindNow = false;
  let wake = false;

  const audit = (action: string, details?: Record<string, unknown>, documentSha256?: string, actor = 'system') =>
    documents.recordAuditEvent({ processId: reviewId, actor, action, at: new Date().toISOString(), documentSha256, details });
  const currentRound = () => state.rounds[state.rounds.length - 1];
  const reviewing = () => state.status === 'in_review' || state.status === 'awaiting_correction';
  const roleOf = (participantId: string) =>
    participantId === holders.chair
      ? 'chair'
      : participantId === holders.secretary
        ? 'secretary'
        : holders.checkers.includes(participantId)
          ? 'checker'
          : undefined;
  const view = (): MinutesReviewState => ({
    ...state,
    rounds: state.rounds.map((r) => ({ ...r, checkers: r.checkers.map((c) => ({ ...c })) })),
    signing: signingRound?.snapshot(),
  });

  setHandler(minutesStateQuery, view);

  setHandler(
    reviewUpdate,
    async (review) => {
      const round = currentRound();
      const checker = round.checkers.find((c) => c.participantId === review.participantId)!;
      checker.status = review.decision === 'approve' ? 'approved' : 'corrections';
      checker.decidedAt = new Date().toISOString();
      checker.feedbackId = review.feedbackId;
      if (review.decision === 'corrections') state.status = 'awaiting_correction';
      wake = true;
      await minutes.recordReview({
        reviewId,
        participantId: review.participantId,
        feedbackId: review.feedbackId,
        round: round.number,
        versionNumber: round.version.number,
      });
      // The secretary hears of a correction request at once, not at the deadline.
      if (review.decision === 'corrections')
        await minutes.tellSecretaryOfCorrections({ reviewId, feedbackId: review.feedbackId, round: round.number });
      return { round: round.number, versionNumber: round.version.number, decision: review.decision, decidedAt: checker.decidedAt };
    },
    {
      validator: (review) => {
        if (roleOf(review.participantId) === undefined) reject('unknown_participant');
        if (roleOf(review.participantId) !== 'checker') reject('not_a_checker');
        if (!reviewing() || cancelled) reject('not_in_review');
        const round = currentRound();
        const current = { versionNumber: round.version.number, sha256: round.version.sha256 };
        if (review.documentSha256 !== round.version.sha256) reject('stale_version', current);
        if (round.checkers.find((c) => c.participantId === review.participantId)?.status !== 'reviewing')
          reject('already_reviewed', current);
      },
    },
  );

  setHandler(
    submitVersionUpdate,
    (version) => {
      newVersion = version;
      wake = true;
      return { ...view(), status: state.status === 'awaiting_correction' ? 'awaiting_correction' : 'in_review' };
    },
    {
      validator: (version) => {
        if (!reviewing() || cancelled || newVersion) reject('not_in_review');
        if (state.rounds.some((r) => r.version.sha256 === version.sha256))
          reject('identical_version', { versionNumber: currentRound().version.number, sha256: currentRound().version.sha256 });
      },
    },
  );

  const reviewPhase = reviewPhaseActions();
  let adminTarget = reviewPhase;
  registerAdminUpdates(() => adminTarget);

  showProcess(MINUTES_REVIEW, input.organization);
  upsertSearchAttributes([{ key: Body, value: input.body }]);

  // 1–3. Rounds of checking until every checker approves one version.
  const approved = await checkUntilApproved();
  if (!approved) {
    await endReview('cancelled', cancelled ?? { actor: 'system', reason: 'cancelled' });
    return finish();
  }

  // 4. The chair and the secretary sign, the checkers sign as checked, the organisation seals.
  const signed = await collectSignatures(approved);
  if (!signed) return finish();
  const sealed = await sealMinutes(signed);

  // 5–6. Publish, let the rectification period run, then make the minutes final and archive them.
  if (input.publish) await publishForRectification(sealed);
  await archiveMinutes(sealed);
  return finish();

  async function finish(): Promise<MinutesReviewState> {
    state.endedAt = new Date().toISOString();
    await condition(allHandlersFinished);
    return view();
  }

  function requireRunning(): void {
    if (cancelled || state.endedAt || ['cancelled', 'expired', 'declined', 'final'].includes(state.status)) reject('review_ended');
  }

  function step(status: MinutesStatus, waitingFor: string | null = 'system', deadlineAt?: Date | null): void {
    state.status = status;
    showStep({ status, waitingFor, ...(deadlineAt !== undefined ? { deadlineAt } : {}) });
  }

  /** The admin's actions outside signing; the signing round takes them over while it runs. */
  function reviewPhaseActions(): AdminActionsOfRound {
    const validate = (_request: AdminRequest) => {
      requireRunning();
      if (!reviewing()) reject('not_in_review');
    };
    return {
      remindNow: {
        validate,
        run: async ({ actor, reason }) => {
          remindNow = true;
          wake = true;
          await audit('minutes.reminded_now', { reason }, undefined, actor);
          return standing();
        },
      },
      reassignParticipant: {
        validate: ({ participantId, replacementId }: Reassignment) => {
          requireRunning();
          if (!reviewing()) reject('not_in_review');
          if (roleOf(participantId) === undefined) reject('unknown_participant');
          if (!replacementId || roleOf(replacementId) !== undefined) reject('unknown_participant');
          const checker = currentRound().checkers.find((c) => c.participantId === participantId);
          if (checker && checker.status === 'approved') reject('already_reviewed');
        },
        run: async ({ participantId, replacementId, actor, reason }) => {
          const role = roleOf(participantId)!;
          const checker = currentRound().checkers.find((c) => c.participantId === participantId);
          if (role === 'checker') {
            holders.checkers = holders.checkers.map((id) => (id === participantId ? replacementId : id));
            if (checker)
              Object.assign(checker, {
                participantId: replacementId,
                status: 'reviewing',
                remindersSent: 0,
                decidedAt: undefined,
                feedbackId: undefined,
              });
          } else {
            holders[role] = replacementId;
          }
          wake = true;
          await minutes.replaceParticipant({ reviewId, participantId, replacementId, notifyPrevious: role === 'checker' });
          if (role === 'checker') {
            await minutes.mailMinutesLink({
              reviewId,
              participantId: replacementId,
              purpose: 'review',
              kind: 'invitation',
              deadlineAt: state.checkingDeadlineAt,
            });
          }
          await audit('minutes.participant_reassigned', { participantId, replacementId, role, reason }, undefined, actor);
          return standing();
        },
      },
      extendDeadline: {
        validate: ({ deadlineAt }: DeadlineExtension) => {
          requireRunning();
          if (!reviewing()) reject('not_in_review');
          const at = new Date(deadlineAt).getTime();
          if (Number.isNaN(at) || at <= Date.now()) reject('invalid_deadline');
        },
        run: async ({ deadlineAt, actor, reason }) => {
          state.checkingDeadlineAt = new Date(deadlineAt).toISOString();
          state.escalatedAt = undefined;
          wake = true;
          await minutes.extendLinks({ reviewId, deadlineAt: state.checkingDeadlineAt });
          await audit('minutes.deadline_extended', { deadlineAt: state.checkingDeadlineAt, reason }, undefined, actor);
          return standing();
        },
      },
      cancel: {
        validate,
        run: ({ actor, reason }) => {
          cancelled = { actor, reason: reason ?? 'cancelled' };
          wake = true;
          return standing();
        },
      },
    };
  }

  function standing(): RoundStanding {
    if (signingRound && adminTarget === signingRound.admin) return signingRound.standing();
    const checkers = currentRound().checkers;
    return {
      round: 'checking',
      status: reviewing() && !cancelled ? 'open' : 'ended',
      deadlineAt: state.checkingDeadlineAt,
      awaited: state.status === 'in_review' ? checkers.filter((c) => c.status === 'reviewing').map((c) => c.participantId) : [],
      participants: checkers.map(({ participantId, status, remindersSent }) => ({ participantId, role: 'checker', status, remindersSent })),
    };
  }

  async function openRound(version: ReviewVersion): Promise<void> {
    const round: ReviewRound = {
      number: state.rounds.length + 1,
      version,
      openedAt: new Date().toISOString(),
      checkers: holders.checkers.map((participantId) => ({ participantId, status: 'reviewing', remindersSent: 0 })),
    };
    state.rounds.push(round);
    state.status = 'in_review';
    showChecking();
    await audit('minutes.round_opened', { round: round.number, versionNumber: version.number }, version.sha256);
    await Promise.all(
      holders.checkers.map((participantId) =>
        minutes.mailMinutesLink({
          reviewId,
          participantId,
          purpose: 'review',
          kind: round.number === 1 ? 'invitation' : 'newVersion',
          deadlineAt: state.checkingDeadlineAt,
        }),
      ),
    );
  }

  function showChecking(): void {
    const round = currentRound();
    const waitingFor =
      state.status === 'awaiting_correction' ? 'secretary' : round.checkers.some((c) => c.status === 'reviewing') ? 'checker' : 'system';
    showStep({ status: state.status, waitingFor, deadlineAt: new Date(state.checkingDeadlineAt) });
  }

  function nextReminderAt(round: ReviewRound, checker: CheckerProgress): number {
    if (checker.status !== 'reviewing' || checker.remindersSent >= input.reminders.max || state.status !== 'in_review') return Infinity;
    const at = new Date(round.openedAt).getTime() + (checker.remindersSent + 1) * input.reminders.intervalMs;
    return at < new Date(state.checkingDeadlineAt).getTime() ? at : Infinity;
  }

  async function checkUntilApproved(): Promise<ReviewRound | undefined> {
    await openRound({ number: 1, ...input.draft, submittedAt: new Date().toISOString() });
    for (;;) {
      const round = currentRound();
      if (cancelled) {
        round.outcome = 'cancelled';
        return undefined;
      }
      if (newVersion) {
        const { actor, ...ref } = newVersion;
        newVersion = undefined;
        round.outcome = 'superseded';
        await audit('minutes.version_submitted', { versionNumber: round.version.number + 1 }, ref.sha256, actor);
        await openRound({ number: round.version.number + 1, ...ref, submittedAt: new Date().toISOString() });
        continue;
      }
      if (round.checkers.every((c) => c.status === 'approved')) {
        round.outcome = 'approved';
        state.status = 'preparing_signatures';
        await audit('minutes.approved_by_all', { round: round.number, versionNumber: round.version.number }, round.version.sha256);
        return round;
      }
      if (remindNow) {
        remindNow = false;
        await remindWhoeverIsAwaited(round);
        continue;
      }
      const due = round.checkers.filter((c) => nextReminderAt(round, c) <= Date.now());
      if (due.length > 0) {
        for (const checker of due) checker.remindersSent++;
        await Promise.all(
          due.map((c) =>
            minutes.mailMinutesLink({
              reviewId,
              participantId: c.participantId,
              purpose: 'review',
              kind: 'reminder',
              deadlineAt: state.checkingDeadlineAt,
            }),
          ),
        );
        continue;
      }
      const deadline = new Date(state.checkingDeadlineAt).getTime();
      if (!state.escalatedAt && Date.now() >= deadline) {
        // The checking deadline passed: the secretary decides what to do (extend, replace a checker, cancel).
        state.escalatedAt = new Date().toISOString();
        await minutes.escalateToSecretary({
          reviewId,
          deadlineAt: state.checkingDeadlineAt,
          awaited:
            state.status === 'awaiting_correction'
              ? []
              : round.checkers.filter((c) => c.status === 'reviewing').map((c) => c.participantId),
        });
        await audit('minutes.checking_overdue', { round: round.number });
        continue;
      }
      showChecking();
      wake = false;
      const wakeAt = Math.min(state.escalatedAt ? Infinity : deadline, ...round.checkers.map((c) => nextReminderAt(round, c)));
      if (Number.isFinite(wakeAt)) await condition(() => wake, Math.max(1, wakeAt - Date.now()));
      else await condition(() => wake);
    }
  }

  async function remindWhoeverIsAwaited(round: ReviewRound): Promise<void> {
    const awaited = state.status === 'in_review' ? round.checkers.filter((c) => c.status === 'reviewing') : [];
    if (awaited.length === 0) {
      await minutes.escalateToSecretary({ reviewId, deadlineAt: state.checkingDeadlineAt, awaited: [] });
      return;
    }
    for (const checker of awaited) checker.remindersSent++;
    await Promise.all(
      awaited.map((c) =>
        minutes.mailMinutesLink({
          reviewId,
          participantId: c.participantId,
          purpose: 'review',
          kind: 'reminder',
          deadlineAt: state.checkingDeadlineAt,
        }),
      ),
    );
  }

  async function collectSignatures(approved: ReviewRound): Promise<DocumentRef | undefined> {
    step('preparing_signatures');
    const fields = await minutes.signatureFields({ reviewId });
    const prepared = await documents.prepareSignatureFields({
      versionId: approved.version.versionId,
      fields: [...fields, { name: ORGANISATION_SEAL_FIELD, label: input.organization }],
      pageTitle: SIGNATURE_PAGE_TITLE,
    });
    state.preparedVersionId = prepared.versionId;
    await audit('minutes.signature_fields_added', undefined, prepared.sha256);

    const deadlineAt = new Date(Date.now() + input.signingPeriodMs);
    signingRound = new SigningRound({
      signers: [
        { participantId: holders.chair, role: 'chair', order: 1 },
        { participantId: holders.secretary, role: 'secretary', order: 1 },
      ],
      deadlineAt,
      reminders: input.reminders,
      actions: {
        invite: (signer, at, kind) =>
          minutes.mailMinutesLink({ reviewId, participantId: signer.participantId, purpose: 'sign', kind, deadlineAt: at.toISOString() }),
        sign: (signer, decision, document) =>
          minutes.signMinutesAsParticipant({
            reviewId,
            participantId: signer.participantId,
            versionId: document.versionId,
            feedbackId: decision.evidenceId,
          }),
        decline: (signer, decision) =>
          audit(
            'minutes.signing_declined',
            { participantId: signer.participantId, feedbackId: decision.evidenceId },
            undefined,
            `participant:${signer.participantId}`,
          ),
        reassigned: async (previous, replacement, wasInvited, { actor, reason }) => {
          holders[previous.role as 'chair' | 'secretary'] = replacement.participantId;
          await minutes.replaceParticipant({
            reviewId,
            participantId: previous.participantId,
            replacementId: replacement.participantId,
            notifyPrevious: wasInvited,
          });
          await audit(
            'minutes.participant_reassigned',
            { participantId: previous.participantId, replacementId: replacement.participantId, reason },
            undefined,
            actor,
          );
        },
        deadlineExtended: async (at, actor) => {
          await minutes.extendLinks({ reviewId, deadlineAt: at.toISOString() });
          await audit('minutes.deadline_extended', { deadlineAt: at.toISOString() }, undefined, actor);
        },
        show: (snapshot) => {
          if (snapshot.status !== 'open') return;
          const awaited = snapshot.awaited.map((id) => roleOf(id)).filter(Boolean);
          step('awaiting_signatures', awaited.length ? awaited.join(',') : 'system', new Date(snapshot.deadlineAt));
        },
      },
    });
    state.status = 'awaiting_signatures';
    adminTarget = signingRound.admin;
    const outcome = await signingRound.run(prepared);
    adminTarget = reviewPhase;
    if (outcome.kind !== 'signed') {
      await endReview(outcome.kind, endingOf(outcome));
      return undefined;
    }

    step('checker_signatures');
    let document = outcome.document;
    for (const checker of approved.checkers) {
      document = await minutes.signAsChecker({
        reviewId,
        participantId: checker.participantId,
        versionId: document.versionId,
        feedbackId: checker.feedbackId!,
      });
    }
    return document;
  }

  function endingOf(outcome: Exclude<RoundOutcome, { kind: 'signed' }>): { actor: string; reason: string } {
    if (outcome.kind === 'cancelled') return { actor: outcome.actor, reason: outcome.reason };
    if (outcome.kind === 'declined') return { actor: `participant:${outcome.participantId}`, reason: 'declined' };
    return { actor: 'system', reason: 'expired' };
  }

  async function sealMinutes(signed: DocumentRef): Promise<DocumentRef> {
    step('sealing');
    const sealed = await documents.signDocumentField({
      versionId: signed.versionId,
      fieldName: ORGANISATION_SEAL_FIELD,
      stamp: {
        signerName: input.organization,
        role: 'Sinetti / Sigill / Seal',
        signedAt: new Date().toISOString(),
        reason: 'Pöytäkirja tarkastettu / Protokollet justerat / Minutes checked',
      },
    });
    state.sealedVersionId = sealed.versionId;
    state.sealedSha256 = sealed.sha256;
    await audit('minutes.sealed', undefined, sealed.sha256);
    return sealed;
  }

  async function publishForRectification(sealed: DocumentRef): Promise<void> {
    step('publishing');
    const publishedAt = new Date().toISOString();
    const period = await minutes.computeRectificationPeriod({ publishedAt });
    const { publicVersionId } = await minutes.publishMinutes({ reviewId, sealedVersionId: sealed.versionId, publishedAt, period });
    state.publication = { publishedAt, ...period, publicVersionId };
    await audit('minutes.published', { ...period }, sealed.sha256);

    const endsAt = input.periodOverrideMs !== undefined ? Date.now() + input.periodOverrideMs : new Date(period.endsAt).getTime();
    step('rectification_period', null, new Date(endsAt));
    await sleep(Math.max(1, endsAt - Date.now()));

    await minutes.endRectificationPeriod({ reviewId, sealedVersionId: sealed.versionId });
    await audit('minutes.final', { personalDataRemoved: true }, sealed.sha256);
  }

  async function archiveMinutes(sealed: DocumentRef): Promise<void> {
    step('archiving');
    const { archiveId } = await minutes.archiveMinutes({
      reviewId,
      sealedVersionId: sealed.versionId,
      taskClass: input.taskClass,
      publicVersionId: state.publication?.publicVersionId,
    });
    state.archiveId = archiveId;
    await audit('minutes.archived', { taskClass: input.taskClass }, sealed.sha256);
    step('final', null, null);
  }

  async function endReview(ending: 'cancelled' | 'expired' | 'declined', why: { actor: string; reason: string }): Promise<void> {
    state.ended = why;
    await minutes.endReview({ reviewId, ending, reason: why.reason });
    await audit(`minutes.${ending}`, { reason: why.reason }, undefined, why.actor);
    step(ending, null, null);
  }
}
