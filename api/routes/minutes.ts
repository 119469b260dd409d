import express, { type Request } from 'express';
import { z } from 'zod';
import { createMinutesRequest, newVersionRequest } from '../../application/minutesRequests';
import { SinettiError } from '../../common/errors';
import { type RouterContext } from '../apiDeps';
import { mayRead } from '../../rules/processVisibility';
import { requesterOf, staffActor } from '../auth';
import { LANGUAGES } from '../../texts/language';
import { secretaryPage } from '../minutesPageViews';
import { staffPageLanguage } from '../staffLanguage';
import { recordId, uploadedBytes } from '../requestFields';
import { type ApiRoutes, parseBody } from '../routeRegistry';

/** The secretary's side of minutes review over HTTP: start, follow, upload corrected versions, extend, cancel, download. */

const text = (max: number) => z.string().trim().min(1).max(max);
const reviewParams = z.object({ reviewId: recordId });
const extendRequest = z
  .object({ deadline: z.iso.datetime({ offset: true }) })
  .refine((r) => Date.parse(r.deadline) > Date.now(), { path: ['deadline'], message: 'The deadline is in the past.' });
const cancelRequest = z.object({ reason: text(500) });
const languageQuery = z.object({ lang: z.enum(LANGUAGES).optional() });

export function minutesRoutes(routes: ApiRoutes, { services: { minutes, minutesParticipants, visibility }, config }: RouterContext): void {
  const pdfBody = express.raw({ type: 'application/pdf', limit: config.maxDocumentBytes });
  // A body of any other type is read as text up to 1 MB (the JSON form of a new version), never without a cap.
  const otherBodyCapped = express.text({ type: () => true, limit: '1mb' });

  routes.add(
    {
      method: 'post',
      path: '/api/minutes',
      tag: 'minutes',
      roles: ['secretary'],
      body: createMinutesRequest,
      summary:
        'Circulate draft minutes for checking: the body, the meeting, the uploaded PDF with its sections, the chair, the secretary, 1–3 checkers and the deadline.',
      responses: {
        201: 'Started: { reviewId, participants }',
        400: 'Fields to fix, each named',
        422: 'The uploaded document is not a usable PDF',
      },
    },
    async ({ body }, req, res) => {
      res.status(201).json(await minutes.start(body, requesterOf(req)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/minutes',
      tag: 'minutes',
      roles: ['secretary'],
      summary: 'Every minutes review, newest first, with its state.',
      responses: { 200: '{ reviews: [...] }' },
    },
    async (_input, req, res) => {
      const by = requesterOf(req);
      res.json({ reviews: (await minutes.list()).filter((r) => !by.scope || mayRead(by.scope, { kind: 'minutes', unit: r.body.id })) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/minutes/:reviewId',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      summary: "One review: rounds, each checker's state and comments, signing state, publication dates and history.",
      responses: { 200: 'The review', 404: 'No such review' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.reviewId, 'process');
      res.json(await minutes.describe(params.reviewId));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/minutes/:reviewId/versions',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      bodyContentType: 'application/pdf',
      before: [pdfBody, otherBodyCapped],
      summary:
        'Upload a corrected version: the PDF itself (Content-Type application/pdf), or JSON { documentVersionId, sections? } when the sections moved. Opens a new round.',
      responses: {
        200: 'New round opened',
        400: 'The section list does not match',
        409: 'Identical to a version already circulated, or checking has ended',
        422: 'Not a usable PDF',
      },
    },
    async ({ params }, req, res) => {
      // Either body is possible here, so the JSON one is parsed by its schema once the PDF is ruled out.
      const upload = Buffer.isBuffer(req.body)
        ? { pdf: req.body, fileName: req.get('x-file-name') }
        : await parseBody(newVersionRequest, await jsonBody(req));
      res.json(await minutes.submitVersion(params.reviewId, upload, requesterOf(req)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/minutes/:reviewId/public-version',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      bodyContentType: 'application/pdf',
      before: [pdfBody],
      summary: 'Upload a separate public version (the PDF) to publish instead of an extract of the public sections.',
      responses: { 200: 'Stored', 409: 'Already published', 422: 'Not a usable PDF' },
    },
    async ({ params }, req, res) => {
      res.json(await minutes.setPublicVersion(params.reviewId, uploadedBytes(req)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/minutes/:reviewId/extend',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      body: extendRequest,
      summary: 'Move the checking deadline (or, while the chair and secretary sign, the signing deadline) later.',
      responses: { 200: 'Extended', 400: 'The deadline is in the past', 409: 'The review has ended' },
    },
    async ({ params, body }, req, res) => {
      res.json(await minutes.extend(params.reviewId, new Date(body.deadline), staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/minutes/:reviewId/people/:participantId/unlock-identification',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams.extend({ participantId: text(64) }),
      summary: "Open the chair's or secretary's link locked after too many refused identifications (check first who holds it).",
      responses: { 200: '{ unlocked: true }, or false when the link was not locked', 404: 'No such review or person' },
    },
    async ({ params }, req, res) => {
      await visibility.check(requesterOf(req), params.reviewId);
      res.json(await minutesParticipants.unlockIdentification(params.reviewId, params.participantId, requesterOf(req)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/minutes/:reviewId/cancel',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      body: cancelRequest,
      summary: 'Cancel the review with a reason; links stop working and everyone is told.',
      responses: { 200: 'Cancelled', 409: 'Already signed or ended' },
    },
    async ({ params, body }, req, res) => {
      res.json(await minutes.cancel(params.reviewId, body.reason, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/minutes/:reviewId/signed.pdf',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      summary: 'The signed and sealed minutes.',
      responses: { 200: 'The PDF', 409: 'Not signed yet' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.reviewId, 'document');
      const signed = await minutes.signedDocument(params.reviewId);
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'attachment; filename="poytakirja.pdf"',
        'X-Content-SHA256': signed.sha256,
      });
      res.send(signed.bytes);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/minutes/:reviewId',
      tag: 'minutes',
      roles: ['secretary'],
      params: reviewParams,
      query: languageQuery,
      summary:
        "The secretary's page (a signed-out browser is sent to sign in and back): rounds, comments, upload of a new version, signing state.",
      responses: { 200: 'HTML page', 404: 'No such review' },
    },
    async ({ params, query }, req, res) => {
      await visibility.read(requesterOf(req), params.reviewId, 'process');
      const language = staffPageLanguage(req, res, query.lang);
      const { record, state } = await minutes.get(params.reviewId);
      const feedback = await minutes.feedback(params.reviewId);
      res.type('html').send(secretaryPage({ organization: config.organization, language, record, state, feedback }));
    },
  );
}

/** The versions route takes a raw PDF or JSON; express.json has not run when no content type was sent. */
async function jsonBody(req: Request): Promise<unknown> {
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) return req.body;
  const raw = typeof req.body === 'string' ? req.body : '';
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    throw new SinettiError('invalid_json', 'The request body is not valid JSON.', 400);
  }
}
