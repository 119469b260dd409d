import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { type z } from 'zod';
import { NotFoundError, SinettiError } from '../common/errors';
import { pageDiff, pdfPageTexts } from '../common/pageTextDiff';
import { inspectPdf } from '../signing/errors';
import { sha256Hex } from '../store/documentStore';
import { type MinutesPerson, type MinutesReviewRecord, MinutesReviews, type MinutesSection, shownPerson } from '../store/minutesReviews';
import { loadPayloadCodec } from '../common/payloadKeys';
import { registerIdentity } from '../verification/identityMatch';
import { cancelUpdate, extendDeadlineUpdate } from '../workflows/adminUpdates';
import {
  CHECKING_REJECTIONS as MINUTES_REJECTIONS,
  type CheckingRejection as MinutesRejection,
  submitVersionUpdate,
} from '../workflows/checkingRound';
import {
  MINUTES_REVIEW,
  type MinutesReviewInput,
  type MinutesReviewState,
  minutesReviewWorkflow,
  minutesStateQuery,
} from '../workflows/minutesReview';
import { safeFileName } from './documents';
import { type createMinutesRequest, type newVersionRequest } from './minutesRequests';
import { queryProcess, searchAttributesOf, sendUpdate, updateProcess } from './processHandles';
import { nameSearchAttributes } from './nameTokens';
import { type Requester, type ServiceDeps } from './serviceDeps';

/** The secretary's side of minutes review: start, follow, upload corrected versions, extend, cancel, download. */

const HOUR_MS = 3600 * 1000;

const REJECTION_STATUS: Record<MinutesRejection, number> = {
  unknown_participant: 404,
  not_a_checker: 403,
  not_in_review: 409,
  already_reviewed: 409,
  stale_version: 409,
  identical_version: 409,
  invalid_deadline: 400,
  review_ended: 409,
};

/** Sends one of the review's Updates; a refusal becomes a 4xx naming what to do, with the current version where it matters. */
export function updateMinutes<Ret, Arg>(temporal: Client, reviewId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  return sendUpdate(temporal, reviewId, update, arg, {
    refused: (type, message, details) =>
      type && type in REJECTION_STATUS
        ? new SinettiError(
            type,
            MINUTES_REJECTIONS[type as MinutesRejection],
            REJECTION_STATUS[type as MinutesRejection],
            details ? { currentVersion: details } : undefined,
          )
        : new SinettiError(type ?? 'update_failed', message, 409),
    ended: () => new SinettiError('review_ended', MINUTES_REJECTIONS.review_ended, 409),
    unknown: () => new NotFoundError(`Minutes review ${reviewId}`),
  });
}

function sectionMismatch(message: string, field = 'sections'): SinettiError {
  return new SinettiError('sections_mismatch', `The section list does not match the minutes: ${message}`, 400, [{ field, message }]);
}

/** Every section must be on pages the PDF has. */
export function checkSectionsFitPdf(sections: MinutesSection[], pageCount: number): void {
  const beyond = sections.find((s) => s.lastPage > pageCount);
  if (beyond) throw sectionMismatch(`§ ${beyond.number} ends on page ${beyond.lastPage}, but the PDF has ${pageCount} pages.`);
}

/** A corrected version: the PDF itself, or an upload already stored (with the sections' new pages when they moved). */
export type NewMinutesVersion = { pdf: Buffer; fileName?: string } | z.infer<typeof newVersionRequest>;

export class MinutesService {
  private readonly reviews = new MinutesReviews();

  constructor(private readonly deps: ServiceDeps) {}

  /** An uploaded version the review may use, with its page count. */
  private async uploadedVersion(versionId: string, field: string) {
    const version = await this.deps.store.getVersion(versionId).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
      throw new SinettiError(
        'invalid_request',
        `${field}: no uploaded document has this id; upload the PDF with POST /api/documents first.`,
        400,
        [{ field, message: 'Unknown document version.' }],
      );
    });
    if (version.kind !== 'upload')
      throw new SinettiError('invalid_request', `${field}: use the version returned by the upload.`, 400, [
        { field, message: 'Not an uploaded version.' },
      ]);
    const { pageCount } = await inspectPdf(await this.deps.store.readVersion(version.versionId));
    return { version, pageCount };
  }

  /** The chair's or secretary's identity code, when given, registered encrypted and as a keyed hash (verification/identityMatch.ts). */
  private async withIdentity<P extends { identityCode?: string }>({ identityCode, ...person }: P) {
    if (!identityCode) return person;
    const { config } = this.deps;
    return { ...person, identityCode: await registerIdentity(loadPayloadCodec(config), config.strongIdentification.hashKey, identityCode) };
  }

  /** Checks the draft and its sections, stores the review, audits and starts its process. */
  async start(request: z.infer<typeof createMinutesRequest>, by: Requester) {
    const { deps } = this;
    const draft = await this.uploadedVersion(request.documentVersionId, 'documentVersionId');
    checkSectionsFitPdf(request.sections, draft.pageCount);
    if (request.publicVersionId) await this.uploadedVersion(request.publicVersionId, 'publicVersionId');
    const reviewId = `minutes-${randomUUID()}`;
    const people: MinutesPerson[] = [
      { participantId: 'chair', role: 'chair', ...(await this.withIdentity(request.chair)) },
      { participantId: 'secretary', role: 'secretary', ...(await this.withIdentity(request.secretary)) },
      ...request.checkers.map((c, i): MinutesPerson => ({ participantId: `checker-${i + 1}`, role: 'checker', ...c })),
    ];
    const record: MinutesReviewRecord = {
      reviewId,
      body: request.body,
      meeting: request.meeting,
      title:
        request.title ??
        { fi: `Pöytäkirja ${request.meeting.number}`, sv: `Protokoll ${request.meeting.number}`, en: `Minutes ${request.meeting.number}` }[
          request.language
        ],
      language: request.language,
      sections: request.sections,
      people,
      checkingDeadlineAt: new Date(request.checkingDeadline),
      publish: request.publish,
      publicVersionId: request.publicVersionId,
      createdBy: by.actor,
      createdAt: new Date(),
    };
    await this.reviews.create(record);
    await deps.audit.append({
      eventId: `${reviewId}/created`,
      processId: reviewId,
      actor: by.actor,
      action: 'minutes.created',
      at: record.createdAt,
      ip: by.ip,
      userAgent: by.userAgent,
      documentSha256: draft.version.sha256,
      details: { checkers: request.checkers.length, sections: request.sections.length },
    });
    const input: MinutesReviewInput = {
      reviewId,
      organization: deps.config.organization,
      body: request.body.id,
      requestedBy: by.actor,
      draft: { versionId: draft.version.versionId, documentId: draft.version.documentId, sha256: draft.version.sha256 },
      chairId: 'chair',
      secretaryId: 'secretary',
      checkerIds: people.filter((p) => p.role === 'checker').map((p) => p.participantId),
      checkingDeadlineAt: record.checkingDeadlineAt.toISOString(),
      signingPeriodMs: Math.round(request.signingDays * 24 * HOUR_MS),
      reminders: { intervalMs: Math.round(request.reminderIntervalHours * HOUR_MS), max: request.maxReminders },
      publish: request.publish,
      taskClass: request.taskClass,
    };
    await deps.temporal.workflow.start(minutesReviewWorkflow, {
      taskQueue: deps.config.temporal.taskQueue,
      workflowId: reviewId,
      args: [input],
      // The chair, secretary and checkers, findable by name as keyed hashes only (application/nameTokens.ts).
      typedSearchAttributes: nameSearchAttributes(
        deps.config,
        people.map((p) => p.name),
      ),
    });
    return { reviewId, participants: people.map(({ participantId, role }) => ({ participantId, role })) };
  }

  /** Every review, newest first, with its state from the search attributes. */
  async list() {
    const views = await searchAttributesOf(this.deps.temporal, MINUTES_REVIEW);
    return (await this.reviews.list()).map((r) => ({
      reviewId: r.reviewId,
      body: r.body,
      meeting: r.meeting,
      title: r.title,
      createdAt: r.createdAt,
      status: (views.get(r.reviewId)?.attributes.ProcessStatus?.[0] as string | undefined) ?? 'starting',
    }));
  }

  async get(reviewId: string): Promise<{ record: MinutesReviewRecord; state: MinutesReviewState }> {
    const record = await this.reviews.get(reviewId);
    return { record, state: await queryProcess(this.deps.temporal, reviewId, minutesStateQuery) };
  }

  feedback(reviewId: string) {
    return this.reviews.feedbackFor(reviewId);
  }

  /** Rounds, each checker's state and comments, signing state, publication dates and history. */
  async describe(reviewId: string) {
    const { record, state } = await this.get(reviewId);
    return {
      ...record,
      people: record.people.map(shownPerson),
      state,
      feedback: await this.feedback(reviewId),
      history: await this.deps.audit.forProcess(reviewId),
    };
  }

  /** Opens a new round with a corrected version; refused when its text is the same as the current version's. */
  async submitVersion(reviewId: string, upload: NewMinutesVersion, by: Requester) {
    const { deps } = this;
    const record = await this.reviews.get(reviewId);
    let versionId: string;
    let sections: MinutesSection[] | undefined;
    if ('pdf' in upload) {
      if (upload.pdf.length === 0)
        throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
      await inspectPdf(upload.pdf);
      versionId = (
        await deps.store.saveVersion({
          key: `upload/${randomUUID()}`,
          bytes: upload.pdf,
          fileName: safeFileName(upload.fileName ?? 'poytakirja.pdf'),
          kind: 'upload',
        })
      ).versionId;
    } else {
      versionId = upload.documentVersionId;
      sections = upload.sections;
    }
    const { version, pageCount } = await this.uploadedVersion(versionId, 'documentVersionId');
    if (sections) {
      const same =
        sections.length === record.sections.length &&
        sections.every(
          (s, i) =>
            s.number === record.sections[i].number && s.title === record.sections[i].title && s.publicity === record.sections[i].publicity,
        );
      if (!same)
        throw sectionMismatch(
          'a new version may move sections to other pages, but their numbers, titles, publicity and order stay as they were.',
        );
    }
    checkSectionsFitPdf(sections ?? record.sections, pageCount);
    // A re-exported file with the same text would only send the checkers the same minutes again.
    const current = (await queryProcess(deps.temporal, reviewId, minutesStateQuery)).rounds.at(-1)?.version;
    if (
      current &&
      current.sha256 !== version.sha256 &&
      pageDiff(
        await pdfPageTexts(await deps.store.readVersion(current.versionId)),
        await pdfPageTexts(await deps.store.readVersion(version.versionId)),
      ).length === 0
    ) {
      throw new SinettiError(
        'identical_version',
        `The new version has the same text on every page as version ${current.number}; correct the minutes first.`,
        409,
        { currentVersion: { versionNumber: current.number, sha256: current.sha256 } },
      );
    }
    const state = await updateMinutes(deps.temporal, reviewId, submitVersionUpdate, {
      versionId: version.versionId,
      documentId: version.documentId,
      sha256: version.sha256,
      actor: by.actor,
    });
    if (sections) await this.reviews.setSections(reviewId, sections);
    await deps.audit.append({
      eventId: `${reviewId}/upload/${version.versionId}`,
      processId: reviewId,
      actor: by.actor,
      action: 'minutes.version_uploaded',
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      documentSha256: version.sha256,
      details: { pages: pageCount },
    });
    return { versionId: version.versionId, sha256: version.sha256, state };
  }

  /** A separate public version to publish instead of an extract of the public sections. */
  async setPublicVersion(reviewId: string, pdf: Buffer) {
    const { state } = await this.get(reviewId);
    if (state.publication || ['cancelled', 'expired', 'declined', 'final'].includes(state.status))
      throw new SinettiError('already_published', 'The minutes are already published or the review has ended.', 409);
    if (pdf.length === 0)
      throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
    await inspectPdf(pdf);
    const saved = await this.deps.store.saveVersion({
      key: `public/${reviewId}/${sha256Hex(pdf)}`,
      bytes: pdf,
      fileName: 'poytakirja-julkinen.pdf',
      kind: 'upload',
    });
    await this.reviews.setPublicVersion(reviewId, saved.versionId);
    return { versionId: saved.versionId, sha256: saved.sha256 };
  }

  /** The checking deadline, or while the chair and secretary sign, the signing deadline. */
  async extend(reviewId: string, deadlineAt: Date, actor: string) {
    const { state } = await this.get(reviewId);
    const request = { deadlineAt: deadlineAt.toISOString(), actor };
    return state.status === 'awaiting_signatures'
      ? updateProcess(this.deps.temporal, reviewId, extendDeadlineUpdate, request)
      : updateMinutes(this.deps.temporal, reviewId, extendDeadlineUpdate, request);
  }

  async cancel(reviewId: string, reason: string, actor: string) {
    const { state } = await this.get(reviewId);
    return state.status === 'awaiting_signatures'
      ? updateProcess(this.deps.temporal, reviewId, cancelUpdate, { reason, actor })
      : updateMinutes(this.deps.temporal, reviewId, cancelUpdate, { reason, actor });
  }

  async signedDocument(reviewId: string): Promise<{ bytes: Buffer; sha256?: string }> {
    const { state } = await this.get(reviewId);
    if (!state.sealedVersionId)
      throw new SinettiError('not_completed', 'The minutes are not signed and sealed yet.', 409, { status: state.status });
    return { bytes: await this.deps.store.readVersion(state.sealedVersionId), sha256: state.sealedSha256 };
  }
}
