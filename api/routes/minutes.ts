import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import express, { Request } from 'express';
import { z } from 'zod';
import { NotFoundError, SinettiError } from '../../common/errors';
import { pageDiff, pdfPageTexts } from '../../common/pageTextDiff';
import { RECORDS_PLAN } from '../../config/recordsPlan';
import { LANGUAGES } from '../../mail/templates';
import { inspectPdf } from '../../signing/errors';
import { sha256Hex } from '../../store/documentStore';
import { MinutesPerson, MinutesReviewRecord, MinutesReviews, MinutesSection, SECTION_PUBLICITY } from '../../store/minutesReviews';
import { cancelUpdate, extendDeadlineUpdate } from '../../workflows/adminUpdates';
import { CHECKING_REJECTIONS as MINUTES_REJECTIONS, CheckingRejection as MinutesRejection, submitVersionUpdate } from '../../workflows/checkingRound';
import { MINUTES_REVIEW, MinutesReviewInput, MinutesReviewState } from '../../workflows/minutesReview';
import { ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { secretaryPage } from '../minutesPageViews';
import { queryProcess, updateProcess } from '../processUpdates';
import { ApiRoutes } from '../routeRegistry';

/** The secretary's side of minutes review: start, follow, upload corrected versions, extend, cancel, download. */

export const MINUTES_TASK_CLASS = '00 01 02';
const HOUR_MS = 3600 * 1000;
const text = (max: number) => z.string().trim().min(1).max(max);

const person = z.object({
  name: text(200),
  email: z.email({ message: 'Not a valid e-mail address.' }),
  language: z.enum(LANGUAGES).default('fi'),
});

const section = z.object({
  number: z.string().trim().regex(/^[0-9]{1,4}[a-z]?$/, 'A section number like "45" or "45a".'),
  title: text(300),
  publicity: z.enum(SECTION_PUBLICITY).default('public'),
  firstPage: z.number().int().min(1),
  lastPage: z.number().int().min(1),
});

/** Sections in page order, each number once, each on pages that exist (checked against the PDF later). */
function checkSections(sections: z.infer<typeof section>[], ctx: z.RefinementCtx, path: (string | number)[] = ['sections']): void {
  const seen = new Set<string>();
  sections.forEach((s, index) => {
    if (seen.has(s.number)) ctx.addIssue({ code: 'custom', path: [...path, index, 'number'], message: `§ ${s.number} is listed twice.` });
    seen.add(s.number);
    if (s.lastPage < s.firstPage) ctx.addIssue({ code: 'custom', path: [...path, index, 'lastPage'], message: `§ ${s.number} ends before it starts.` });
    const previous = sections[index - 1];
    if (previous && s.firstPage < previous.lastPage) ctx.addIssue({ code: 'custom', path: [...path, index, 'firstPage'], message: `§ ${s.number} starts before § ${previous.number} ends: list the sections in page order.` });
  });
}

export const createMinutesRequest = z.object({
  body: z.object({ id: z.string().trim().regex(/^[a-z0-9-]{2,60}$/, 'A short id like "kunnanhallitus".'), name: text(200) }),
  meeting: z.object({ date: z.iso.date({ message: 'Use a date like 2026-08-01.' }), number: text(40), place: text(200) }),
  title: text(200).optional(),
  language: z.enum(LANGUAGES).default('fi'),
  /** The draft minutes, uploaded with POST /api/documents. */
  documentVersionId: text(100),
  sections: z.array(section).min(1, 'List the sections (§) of the minutes.').max(500),
  chair: person,
  secretary: person,
  checkers: z.array(person).min(1, 'Name at least one minute-checker.').max(3, 'At most three minute-checkers.'),
  checkingDeadline: z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-08-03T16:00:00+03:00.' }),
  signingDays: z.number().positive().max(60).default(7),
  reminderIntervalHours: z.number().positive().max(24 * 30).default(24),
  maxReminders: z.number().int().min(0).max(10).default(2),
  publish: z.boolean().default(true),
  /** A separate public version uploaded by the secretary, used on the public page instead of an extract. */
  publicVersionId: text(100).optional(),
  taskClass: z.string().refine((c) => c in RECORDS_PLAN, 'Not a task class of the records management plan.').default(MINUTES_TASK_CLASS),
}).superRefine((r, ctx) => {
  checkSections(r.sections, ctx);
  const deadline = Date.parse(r.checkingDeadline);
  if (deadline <= Date.parse(`${r.meeting.date}T00:00:00Z`)) ctx.addIssue({ code: 'custom', path: ['checkingDeadline'], message: 'The checking deadline is before the meeting.' });
  else if (deadline <= Date.now()) ctx.addIssue({ code: 'custom', path: ['checkingDeadline'], message: 'The checking deadline is in the past.' });
  const seen = new Map<string, string>();
  const everyone: [string, z.infer<typeof person>][] = [['chair', r.chair], ['secretary', r.secretary], ...r.checkers.map((c, i) => [`checkers.${i}`, c] as [string, z.infer<typeof person>])];
  for (const [where, p] of everyone) {
    const key = p.email.toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [...where.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)), 'email'], message: `The same person is already named as ${seen.get(key)}.` });
    seen.set(key, where);
  }
});
export type CreateMinutesRequest = z.input<typeof createMinutesRequest>;

const newVersionRequest = z.object({
  documentVersionId: text(100),
  /** The sections' pages in the new version, when they moved; numbers, titles and publicity must stay as they were. */
  sections: z.array(section).min(1).max(500).optional(),
}).superRefine((r, ctx) => { if (r.sections) checkSections(r.sections, ctx); });
const extendRequest = z.object({ deadline: z.iso.datetime({ offset: true }) }).refine((r) => Date.parse(r.deadline) > Date.now(), { path: ['deadline'], message: 'The deadline is in the past.' });
const cancelRequest = z.object({ reason: text(500) });

const REJECTION_STATUS: Record<MinutesRejection, number> = {
  unknown_participant: 404, not_a_checker: 403, not_in_review: 409, already_reviewed: 409, stale_version: 409,
  identical_version: 409, invalid_deadline: 400, review_ended: 409,
};

/** Sends one of the review's Updates; a refusal becomes a 4xx naming what to do, with the current version where it matters. */
export async function updateMinutes<Ret, Arg>(deps: ApiDeps, reviewId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  try {
    return await deps.temporal.workflow.getHandle(reviewId).executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const type = error.cause.type as MinutesRejection;
      const details = error.cause.details?.[0] as { versionNumber?: number; sha256?: string } | undefined;
      if (type in REJECTION_STATUS) {
        throw new SinettiError(type, MINUTES_REJECTIONS[type], REJECTION_STATUS[type], details ? { currentVersion: details } : undefined);
      }
      throw new SinettiError(type ?? 'update_failed', error.cause.message, 409);
    }
    if (error instanceof WorkflowNotFoundError) {
      if (/completed|closed|finished/i.test(error.message)) throw new SinettiError('review_ended', MINUTES_REJECTIONS.review_ended, 409);
      throw new NotFoundError(`Minutes review ${reviewId}`);
    }
    throw error;
  }
}

function sectionMismatch(message: string, field = 'sections'): SinettiError {
  return new SinettiError('sections_mismatch', `The section list does not match the minutes: ${message}`, 400, [{ field, message }]);
}

/** Every section must be on pages the PDF has. */
export function checkSectionsFitPdf(sections: MinutesSection[], pageCount: number): void {
  const beyond = sections.find((s) => s.lastPage > pageCount);
  if (beyond) throw sectionMismatch(`§ ${beyond.number} ends on page ${beyond.lastPage}, but the PDF has ${pageCount} pages.`);
}

export function minutesRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const reviews = new MinutesReviews();
  const pdfBody = express.raw({ type: 'application/pdf', limit: deps.config.maxDocumentBytes });

  async function uploadedVersion(versionId: string, field: string) {
    const version = await deps.store.getVersion(versionId).catch(() => {
      throw new SinettiError('invalid_request', `${field}: no uploaded document has this id; upload the PDF with POST /api/documents first.`, 400, [{ field, message: 'Unknown document version.' }]);
    });
    if (version.kind !== 'upload') throw new SinettiError('invalid_request', `${field}: use the version returned by the upload.`, 400, [{ field, message: 'Not an uploaded version.' }]);
    const bytes = await deps.store.readVersion(version.versionId);
    const { pageCount } = await inspectPdf(bytes);
    return { version, pageCount };
  }

  async function reviewState(reviewId: string): Promise<{ record: MinutesReviewRecord; state: MinutesReviewState }> {
    const record = await reviews.get(reviewId);
    return { record, state: await queryProcess<MinutesReviewState>(deps.temporal, reviewId) };
  }

  routes.add({
    method: 'post', path: '/api/minutes', tag: 'minutes', roles: ['secretary'], body: createMinutesRequest,
    summary: 'Circulate draft minutes for checking: the body, the meeting, the uploaded PDF with its sections, the chair, the secretary, 1–3 checkers and the deadline.',
    responses: { 201: 'Started: { reviewId, participants }', 400: 'Fields to fix, each named', 422: 'The uploaded document is not a usable PDF' },
  }, async (req, res) => {
    const request = createMinutesRequest.parse(req.body);
    const draft = await uploadedVersion(request.documentVersionId, 'documentVersionId');
    checkSectionsFitPdf(request.sections, draft.pageCount);
    if (request.publicVersionId) await uploadedVersion(request.publicVersionId, 'publicVersionId');
    const reviewId = `minutes-${randomUUID()}`;
    const people: MinutesPerson[] = [
      { participantId: 'chair', role: 'chair', ...request.chair },
      { participantId: 'secretary', role: 'secretary', ...request.secretary },
      ...request.checkers.map((c, i): MinutesPerson => ({ participantId: `checker-${i + 1}`, role: 'checker', ...c })),
    ];
    const record: MinutesReviewRecord = {
      reviewId, body: request.body, meeting: request.meeting,
      title: request.title ?? { fi: `Pöytäkirja ${request.meeting.number}`, sv: `Protokoll ${request.meeting.number}`, en: `Minutes ${request.meeting.number}` }[request.language],
      language: request.language, sections: request.sections, people, checkingDeadlineAt: new Date(request.checkingDeadline),
      publish: request.publish, publicVersionId: request.publicVersionId, createdBy: staffActor(req.staff), createdAt: new Date(),
    };
    await reviews.create(record);
    await deps.audit.append({
      eventId: `${reviewId}/created`, processId: reviewId, actor: staffActor(req.staff), action: 'minutes.created', at: record.createdAt,
      ip: req.ip, userAgent: req.get('user-agent'), documentSha256: draft.version.sha256, details: { checkers: request.checkers.length, sections: request.sections.length },
    });
    const input: MinutesReviewInput = {
      reviewId, organization: deps.config.organization, body: request.body.id, requestedBy: staffActor(req.staff),
      draft: { versionId: draft.version.versionId, documentId: draft.version.documentId, sha256: draft.version.sha256 },
      chairId: 'chair', secretaryId: 'secretary', checkerIds: people.filter((p) => p.role === 'checker').map((p) => p.participantId),
      checkingDeadlineAt: record.checkingDeadlineAt.toISOString(),
      signingPeriodMs: Math.round(request.signingDays * 24 * HOUR_MS),
      reminders: { intervalMs: Math.round(request.reminderIntervalHours * HOUR_MS), max: request.maxReminders },
      publish: request.publish, taskClass: request.taskClass,
    };
    await deps.temporal.workflow.start('minutesReviewWorkflow', { taskQueue: deps.config.temporal.taskQueue, workflowId: reviewId, args: [input] });
    res.status(201).json({ reviewId, participants: people.map(({ participantId, role }) => ({ participantId, role })) });
  });

  routes.add({
    method: 'get', path: '/api/minutes', tag: 'minutes', roles: ['secretary'],
    summary: 'Every minutes review, newest first, with its state.', responses: { 200: '{ reviews: [...] }' },
  }, async (_req, res) => {
    const states = new Map<string, string | undefined>();
    for await (const execution of deps.temporal.workflow.list({ query: `ProcessType = '${MINUTES_REVIEW}'` })) {
      states.set(execution.workflowId, (execution.searchAttributes as Record<string, unknown[] | undefined>).ProcessStatus?.[0] as string | undefined);
    }
    res.json({
      reviews: (await reviews.list()).map((r) => ({ reviewId: r.reviewId, body: r.body, meeting: r.meeting, title: r.title, createdAt: r.createdAt, status: states.get(r.reviewId) ?? 'starting' })),
    });
  });

  routes.add({
    method: 'get', path: '/api/minutes/:reviewId', tag: 'minutes', roles: ['secretary'],
    summary: 'One review: rounds, each checker\'s state and comments, signing state, publication dates and history.',
    responses: { 200: 'The review', 404: 'No such review' },
  }, async (req, res) => {
    const reviewId = String(req.params.reviewId);
    const { record, state } = await reviewState(reviewId);
    res.json({ ...record, state, feedback: await reviews.feedbackFor(reviewId), history: await deps.audit.forProcess(reviewId) });
  });

  routes.add({
    method: 'post', path: '/api/minutes/:reviewId/versions', tag: 'minutes', roles: ['secretary'],
    summary: 'Upload a corrected version: the PDF itself (Content-Type application/pdf), or JSON { documentVersionId, sections? } when the sections moved. Opens a new round.',
    responses: { 200: 'New round opened', 400: 'The section list does not match', 409: 'Identical to a version already circulated, or checking has ended', 422: 'Not a usable PDF' },
  }, pdfBody, async (req, res) => {
    const reviewId = String(req.params.reviewId);
    const record = await reviews.get(reviewId);
    let versionId: string;
    let sections: MinutesSection[] | undefined;
    if (Buffer.isBuffer(req.body)) {
      if (req.body.length === 0) throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
      await inspectPdf(req.body);
      const saved = await deps.store.saveVersion({ key: `upload/${randomUUID()}`, bytes: req.body, fileName: String(req.headers['x-file-name'] ?? 'poytakirja.pdf').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200), kind: 'upload' });
      versionId = saved.versionId;
    } else {
      const request = newVersionRequest.parse(await jsonBody(req));
      versionId = request.documentVersionId;
      sections = request.sections;
    }
    const { version, pageCount } = await uploadedVersion(versionId, 'documentVersionId');
    if (sections) {
      const same = sections.length === record.sections.length && sections.every((s, i) => s.number === record.sections[i]!.number && s.title === record.sections[i]!.title && s.publicity === record.sections[i]!.publicity);
      if (!same) throw sectionMismatch('a new version may move sections to other pages, but their numbers, titles, publicity and order stay as they were.');
    }
    checkSectionsFitPdf(sections ?? record.sections, pageCount);
    // A re-exported file with the same text would only send the checkers the same minutes again.
    const current = (await queryProcess<MinutesReviewState>(deps.temporal, reviewId)).rounds.at(-1)?.version;
    if (current && current.sha256 !== version.sha256
      && pageDiff(await pdfPageTexts(await deps.store.readVersion(current.versionId)), await pdfPageTexts(await deps.store.readVersion(version.versionId))).length === 0) {
      throw new SinettiError('identical_version', `The new version has the same text on every page as version ${current.number}; correct the minutes first.`, 409,
        { currentVersion: { versionNumber: current.number, sha256: current.sha256 } });
    }
    const state = await updateMinutes(deps, reviewId, submitVersionUpdate, { versionId: version.versionId, documentId: version.documentId, sha256: version.sha256, actor: staffActor(req.staff) });
    if (sections) await reviews.setSections(reviewId, sections);
    await deps.audit.append({
      eventId: `${reviewId}/upload/${version.versionId}`, processId: reviewId, actor: staffActor(req.staff), action: 'minutes.version_uploaded', at: new Date(),
      ip: req.ip, userAgent: req.get('user-agent'), documentSha256: version.sha256, details: { pages: pageCount },
    });
    res.json({ versionId: version.versionId, sha256: version.sha256, state });
  });

  routes.add({
    method: 'post', path: '/api/minutes/:reviewId/public-version', tag: 'minutes', roles: ['secretary'], bodyContentType: 'application/pdf',
    summary: 'Upload a separate public version (the PDF) to publish instead of an extract of the public sections.',
    responses: { 200: 'Stored', 409: 'Already published', 422: 'Not a usable PDF' },
  }, pdfBody, async (req, res) => {
    const reviewId = String(req.params.reviewId);
    const { state } = await reviewState(reviewId);
    if (state.publication || ['cancelled', 'expired', 'declined', 'final'].includes(state.status)) throw new SinettiError('already_published', 'The minutes are already published or the review has ended.', 409);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
    await inspectPdf(bytes);
    const saved = await deps.store.saveVersion({ key: `public/${reviewId}/${sha256Hex(bytes)}`, bytes, fileName: 'poytakirja-julkinen.pdf', kind: 'upload' });
    await reviews.setPublicVersion(reviewId, saved.versionId);
    res.json({ versionId: saved.versionId, sha256: saved.sha256 });
  });

  routes.add({
    method: 'post', path: '/api/minutes/:reviewId/extend', tag: 'minutes', roles: ['secretary'], body: extendRequest,
    summary: 'Move the checking deadline (or, while the chair and secretary sign, the signing deadline) later.',
    responses: { 200: 'Extended', 400: 'The deadline is in the past', 409: 'The review has ended' },
  }, async (req, res) => {
    const { deadline } = extendRequest.parse(req.body);
    const reviewId = String(req.params.reviewId);
    const { state } = await reviewState(reviewId);
    const deadlineAt = new Date(deadline).toISOString();
    const actor = staffActor(req.staff);
    res.json(state.status === 'awaiting_signatures'
      ? await updateProcess(deps.temporal, reviewId, extendDeadlineUpdate, { deadlineAt, actor })
      : await updateMinutes(deps, reviewId, extendDeadlineUpdate, { deadlineAt, actor }));
  });

  routes.add({
    method: 'post', path: '/api/minutes/:reviewId/cancel', tag: 'minutes', roles: ['secretary'], body: cancelRequest,
    summary: 'Cancel the review with a reason; links stop working and everyone is told.',
    responses: { 200: 'Cancelled', 409: 'Already signed or ended' },
  }, async (req, res) => {
    const { reason } = cancelRequest.parse(req.body);
    const reviewId = String(req.params.reviewId);
    const { state } = await reviewState(reviewId);
    const actor = staffActor(req.staff);
    res.json(state.status === 'awaiting_signatures'
      ? await updateProcess(deps.temporal, reviewId, cancelUpdate, { reason, actor })
      : await updateMinutes(deps, reviewId, cancelUpdate, { reason, actor }));
  });

  routes.add({
    method: 'get', path: '/api/minutes/:reviewId/signed.pdf', tag: 'minutes', roles: ['secretary'],
    summary: 'The signed and sealed minutes.', responses: { 200: 'The PDF', 409: 'Not signed yet' },
  }, async (req, res) => {
    const { state } = await reviewState(String(req.params.reviewId));
    if (!state.sealedVersionId) throw new SinettiError('not_completed', 'The minutes are not signed and sealed yet.', 409, { status: state.status });
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="poytakirja.pdf"', 'X-Content-SHA256': state.sealedSha256 });
    res.send(await deps.store.readVersion(state.sealedVersionId));
  });

  routes.add({
    method: 'get', path: '/minutes/:reviewId', tag: 'minutes', roles: ['secretary'],
    summary: "The secretary's page (sign in with POST /api/session): rounds, comments, upload of a new version, signing state.",
    responses: { 200: 'HTML page', 404: 'No such review' },
  }, async (req, res) => {
    const reviewId = String(req.params.reviewId);
    const { record, state } = await reviewState(reviewId);
    const nonce = randomBytes(16).toString('base64');
    res.set({
      'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    }).send(secretaryPage({ organization: deps.config.organization, record, state, feedback: await reviews.feedbackFor(reviewId), nonce }));
  });
}

/** The versions route takes a raw PDF or JSON; express.json has not run for it. */
async function jsonBody(req: Request): Promise<unknown> {
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) return req.body;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    throw new SinettiError('invalid_json', 'The request body is not valid JSON.', 400);
  }
}
