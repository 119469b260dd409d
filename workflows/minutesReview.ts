import type { RetryPolicy } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  defineQuery,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { DocumentActivities } from '../activities/documentActivities';
import type { MinutesActivities } from '../activities/minutesActivities';
import { registerAdminUpdates } from './adminUpdates';
import { type CheckingActions, CheckingRound, type ReviewRound } from './checkingRound';
import { minutesReviewBeforeCheckingRound } from './minutesReviewBeforeCheckingRound';
import { ORGANISATION_SEAL_FIELD } from './organisationSeal';
import { showProcess, showStep } from './processView';
import { QUICK_TRIES, throughTimestampOutages } from './timestampServiceOutage';
import { Body } from './searchAttributes';
import { type DocumentRef, type RoundActions, type RoundOutcome, type RoundSnapshot, SigningRound } from './signingRound';
import { declareVersioning } from './versioningBehavior';

/**
 * Minutes review and signing (pöytäkirjan tarkastus ja allekirjoitus), as
 * the secretary and the minute-checkers live it: the checkers approve the
 * draft or ask for corrections, and a correction means a new version and a
 * new round (workflows/checkingRound.ts). When every checker has approved
 * the same version, the chair and the secretary sign (the signing round),
 * the checkers' approvals become their "checked" signatures and the
 * organisation seals. The checked minutes go onto the public page with the
 * rectification period (Local Government Act §§ 139–140); when the period
 * ends the minutes are final, personal data leaves the public page and the
 * minutes are archived.
 *
 * The history holds ids, roles, hashes and times only: names, e-mail
 * addresses and the checkers' comments stay in the review's record.
 */

export const MINUTES_REVIEW = 'minutesReview';

export interface MinutesReviewInput {
  reviewId: string;
  organization: string;
  /** The body's id (e.g. "kunnanhallitus"), for the admin's Body search attribute. */
  body: string;
  requestedBy: string;
  draft: DocumentRef;
  chairId: string;
  secretaryId: string;
  checkerIds: string[];
  checkingDeadlineAt: string;
  /** How long the chair and the secretary have to sign once the checkers have approved. */
  signingPeriodMs: number;
  reminders: { intervalMs: number; max: number };
  publish: boolean;
  taskClass: string;
}

export type MinutesStatus =
  | 'in_review'
  | 'awaiting_correction'
  | 'preparing_signatures'
  | 'awaiting_signatures'
  | 'checker_signatures'
  | 'sealing'
  | 'publishing'
  | 'rectification_period'
  | 'archiving'
  | 'final'
  | 'cancelled'
  | 'expired'
  | 'declined';

export interface Publication {
  publishedAt: string;
  publishedOn: string;
  notifiedOn: string;
  lastDay: string;
  endsAt: string;
  publicVersionId?: string;
}

export interface MinutesReviewState {
  status: MinutesStatus;
  checkingDeadlineAt: string;
  escalatedAt?: string;
  rounds: ReviewRound[];
  signing?: RoundSnapshot;
  preparedVersionId?: string;
  sealedVersionId?: string;
  sealedSha256?: string;
  publication?: Publication;
  archiveId?: string;
  ended?: { reason: string; actor: string };
  endedAt?: string;
}

export const minutesStateQuery = defineQuery<MinutesReviewState>('state');

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
const documents = proxyActivities<DocumentActivities>({ startToCloseTimeout: '2 minutes', retry });
const documentsQuickly = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: QUICK_TRIES },
});
const minutes = proxyActivities<MinutesActivities>({ startToCloseTimeout: '2 minutes', retry });

export const SIGNATURE_PAGE_TITLE = 'Allekirjoitukset ja tarkastus / Underskrifter och justering / Signatures and checking';

type Ending = { actor: string; reason: string };

// Worker Versioning: weeks with the rectification period: moves to each new build, changes guarded by patched().
declareVersioning(minutesReviewWorkflow, 'AUTO_UPGRADE');
export async function minutesReviewWorkflow(input: MinutesReviewInput): Promise<MinutesReviewState> {
  // Reviews started before the checking round ran their own round mechanics (activities inside Update
  // handlers, fixed-schedule reminders); they finish on that code, so their histories replay as they ran.
  if (!patched('minutes-checking-round')) return minutesReviewBeforeCheckingRound(input);

  const { reviewId } = input;
  const audit = (action: string, details?: Record<string, unknown>, documentSha256?: string, actor = 'system') =>
    documents.recordAuditEvent({ processId: reviewId, actor, action, at: new Date().toISOString(), documentSha256, details });
  const state: Omit<MinutesReviewState, 'checkingDeadlineAt' | 'rounds'> = { status: 'in_review' };

  const checking = new CheckingRound({
    checkerIds: input.checkerIds,
    others: [
      { participantId: input.chairId, role: 'chair' },
      { participantId: input.secretaryId, role: 'secretary' },
    ],
    deadlineAt: new Date(input.checkingDeadlineAt),
    reminders: input.reminders,
    actions: checkingActions(),
  });
  let signing: SigningRound | undefined;
  // The admin's actions go to the round that runs now: the checking, then the signing.
  registerAdminUpdates(() => (signing ?? checking).admin);
  setHandler(minutesStateQuery, view);

  showProcess(MINUTES_REVIEW, input.organization);
  upsertSearchAttributes([{ key: Body, value: input.body }]);

  // 1–3. The checkers review; each correction brings a new version and a new round, until all approve one version.
  const checked = await checking.run(input.draft);
  if (checked.kind === 'cancelled') {
    await endReview('cancelled', checked);
    return finish();
  }
  state.status = 'preparing_signatures';
  await audit(
    'minutes.approved_by_all',
    { round: checked.round.number, versionNumber: checked.round.version.number },
    checked.round.version.sha256,
  );

  // 4. The chair and the secretary sign, the checkers sign as checked, the organisation seals.
  const signed = await collectSignatures(checked.round);
  if (!signed) return finish();
  const sealed = await sealMinutes(signed);

  // 5–6. Publish, let the rectification period run, then make the minutes final and archive them.
  if (input.publish) await publishForRectification(sealed);
  await archiveMinutes(sealed);
  return finish();

  function view(): MinutesReviewState {
    const { checkingDeadlineAt, escalatedAt, rounds } = checking.snapshot();
    return { ...state, checkingDeadlineAt, escalatedAt, rounds, signing: signing?.snapshot() };
  }

  async function finish(): Promise<MinutesReviewState> {
    state.endedAt = new Date().toISOString();
    await condition(allHandlersFinished);
    return view();
  }

  function step(status: MinutesStatus, waitingFor: string | null = 'system', deadlineAt?: Date | null): void {
    state.status = status;
    showStep({ status, waitingFor, ...(deadlineAt !== undefined ? { deadlineAt } : {}) });
  }

  function checkingActions(): CheckingActions {
    const link = (participantId: string, kind: 'invitation' | 'newVersion' | 'reminder', deadlineAt: Date) =>
      minutes.mailMinutesLink({ reviewId, participantId, purpose: 'review', kind, deadlineAt: deadlineAt.toISOString() });
    return {
      roundOpened: (round) =>
        audit('minutes.round_opened', { round: round.number, versionNumber: round.version.number }, round.version.sha256),
      invite: link,
      recordReview: (review, round) =>
        minutes.recordReview({
          reviewId,
          participantId: review.participantId,
          feedbackId: review.feedbackId,
          round: round.number,
          versionNumber: round.version.number,
        }),
      correctionsRequested: (review, round) =>
        minutes.tellSecretaryOfCorrections({ reviewId, feedbackId: review.feedbackId, round: round.number }),
      versionSubmitted: (version, versionNumber) => audit('minutes.version_submitted', { versionNumber }, version.sha256, version.actor),
      tellSecretary: async (awaited, deadlineAt, why) => {
        await minutes.escalateToSecretary({ reviewId, deadlineAt: deadlineAt.toISOString(), awaited });
        if (why === 'overdue') await audit('minutes.checking_overdue', { round: checking.snapshot().rounds.length });
      },
      deadlineExtended: async (deadlineAt, { actor, reason }) => {
        await minutes.extendLinks({ reviewId, deadlineAt: deadlineAt.toISOString() });
        await audit('minutes.deadline_extended', { deadlineAt: deadlineAt.toISOString(), reason }, undefined, actor);
      },
      reassigned: async (previous, replacementId, wasInvited, { actor, reason }) => {
        await minutes.replaceParticipant({ reviewId, participantId: previous.participantId, replacementId, notifyPrevious: wasInvited });
        await audit(
          'minutes.participant_reassigned',
          { participantId: previous.participantId, replacementId, role: previous.role, reason },
          undefined,
          actor,
        );
      },
      show: (snapshot) => {
        if (snapshot.status !== 'in_review' && snapshot.status !== 'awaiting_correction') return;
        const waitingFor =
          snapshot.status === 'awaiting_correction'
            ? 'secretary'
            : snapshot.rounds.at(-1)!.checkers.some((c) => c.status === 'reviewing')
              ? 'checker'
              : 'system';
        step(snapshot.status, waitingFor, new Date(snapshot.checkingDeadlineAt));
      },
    };
  }

  function signingActions(): RoundActions {
    const roleOf = (participantId: string) =>
      participantId === checking.holderOf('chair') ? 'chair' : participantId === checking.holderOf('secretary') ? 'secretary' : undefined;
    return {
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
        await minutes.replaceParticipant({
          reviewId,
          participantId: previous.participantId,
          replacementId: replacement.participantId,
          notifyPrevious: wasInvited,
        });
        await audit(
          'minutes.participant_reassigned',
          { participantId: previous.participantId, replacementId: replacement.participantId, role: previous.role, reason },
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
        const awaited = snapshot.awaited
          .map((id) => snapshot.signers.find((s) => s.participantId === id)?.role ?? roleOf(id))
          .filter(Boolean);
        step('awaiting_signatures', awaited.length ? awaited.join(',') : 'system', new Date(snapshot.deadlineAt));
      },
    };
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

    signing = new SigningRound({
      signers: [
        { participantId: checking.holderOf('chair')!, role: 'chair', order: 1 },
        { participantId: checking.holderOf('secretary')!, role: 'secretary', order: 1 },
      ],
      deadlineAt: new Date(Date.now() + input.signingPeriodMs),
      reminders: input.reminders,
      actions: signingActions(),
    });
    state.status = 'awaiting_signatures';
    const outcome = await signing.run(prepared);
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

  function endingOf(outcome: Exclude<RoundOutcome, { kind: 'signed' }>): Ending {
    if (outcome.kind === 'cancelled') return { actor: outcome.actor, reason: outcome.reason };
    if (outcome.kind === 'declined') return { actor: `participant:${outcome.participantId}`, reason: 'declined' };
    return { actor: 'system', reason: 'expired' };
  }

  async function sealMinutes(signed: DocumentRef): Promise<DocumentRef> {
    step('sealing');
    const sealRequest = {
      versionId: signed.versionId,
      fieldName: ORGANISATION_SEAL_FIELD,
      stamp: {
        signerName: input.organization,
        role: 'Sinetti / Sigill / Seal',
        signedAt: new Date().toISOString(),
        reason: 'Pöytäkirja tarkastettu / Protokollet justerat / Minutes checked',
      },
    };
    const sealed = await throughTimestampOutages(
      () => documentsQuickly.signDocumentField(sealRequest),
      () => documents.signDocumentField(sealRequest),
      (waitingFor) => showStep({ status: 'sealing', waitingFor }),
      'system',
    );
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

    const endsAt = new Date(period.endsAt);
    step('rectification_period', null, endsAt);
    await sleep(Math.max(1, endsAt.getTime() - Date.now()));

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

  async function endReview(ending: 'cancelled' | 'expired' | 'declined', why: Ending): Promise<void> {
    state.ended = why;
    await minutes.endReview({ reviewId, ending, reason: why.reason });
    await audit(`minutes.${ending}`, { reason: why.reason }, undefined, why.actor);
    step(ending, null, null);
  }
}
