import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import { formFor } from '../../application/applications';
import { FORMS } from '../../forms/formDefinitions';
import { roundCsv, roundXlsx } from '../../forms/roundExport';
import { LinkRejectedError } from '../../links/signerLinks';
import { LANGUAGES } from '../../mail/templates';
import { type RouterContext } from '../apiDeps';
import { hasRole, requesterOf, staffActor, signInFirst } from '../auth';
import { idempotencyKeyOf, linkToken, pageLanguage, recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';
import { type Request } from 'express';
import { applicantLinkClosedPage, formPage, rectificationPage, supplementedText } from '../views/formPage';
import { staffPageLanguage } from '../staffLanguage';
import { type HandlerAccess, handlerCasePage, handlerRoundsPage } from '../views/handlerPage';

/**
 * Citizen e-forms and what the handler does with them, over HTTP. The public
 * side: the forms, submitting one, and the applicant's personal link. The
 * handler's side: a round's applications, supplementation, the decision, the
 * signature and the round's table.
 */

const submission = z.object({
  roundId: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,64}$/, 'Letters, digits, "-", "_" and "." only.'),
  language: z.enum(LANGUAGES).default('fi'),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
  attachments: z
    .array(z.object({ field: z.string(), fileName: z.string().max(200), contentType: z.string().max(100), contentBase64: z.string() }))
    .max(10)
    .default([]),
});
const supplement = submission.pick({ values: true, attachments: true });
const rectificationText = z.object({ text: z.string().trim().min(1, 'Write what you ask to be changed and why.').max(10_000) });
const supplementationRequest = z.object({
  fields: z.array(z.string()).min(1, 'Name at least one field or attachment to supplement.'),
  message: z.string().trim().min(1).max(2000),
  deadline: z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-08-01T16:00:00+03:00.' }),
});
const decisionRequest = z.object({
  outcome: z.enum(['approve', 'partly', 'deny']),
  amount: z.union([z.string(), z.number()]).transform((a) => Number(String(a).replace(',', '.')).toFixed(2)),
  reasoning: z.string().trim().min(1, 'Give the reasoning of the decision.').max(10_000),
});
const rectificationResolution = z.object({
  resolution: z.enum(['upheld', 'corrected']),
  outcome: z.enum(['approve', 'partly', 'deny']).optional(),
  amount: z
    .union([z.string(), z.number()])
    .transform((a) => Number(String(a).replace(',', '.')).toFixed(2))
    .optional(),
  reasoning: z.string().trim().min(1, 'Give the reasoning of the decision on the rectification request.').max(10_000),
});

const formParams = z.object({ formId: recordId });
const tokenParams = z.object({ token: linkToken });
const applicationParams = z.object({ applicationId: recordId });
/** A round id; an unusable one on the public form falls back to the default round, as a shared link should still open. */
const roundId = z
  .string()
  .trim()
  .regex(/^[\w.-]{1,64}$/, 'Letters, digits, "-", "_" and "." only.');
const formPageQuery = pageLanguage.extend({ round: roundId.catch('default').default('default') });
/** A round id in a path is taken as given: a CR, LF or quote is refused, never trimmed away (it also names the download). */
const roundIdInPath = z.string().regex(/^[\w.-]{1,64}$/, 'A round id has letters, digits, "-", "_" and "." only.');

export function applicationRoutes(routes: ApiRoutes, { services: { applications, letters, visibility }, config }: RouterContext): void {
  const organization = config.organization;
  const handlerAccess = (req: Request): HandlerAccess =>
    !req.staff
      ? { signedIn: false }
      : hasRole(req.staff, 'handler')
        ? { signedIn: true, handler: true }
        : { signedIn: true, handler: false, role: req.staff.roles.join(', ') };

  routes.add(
    {
      method: 'get',
      path: '/api/forms',
      tag: 'forms',
      summary: 'The e-forms that can be filled in.',
      responses: { 200: '[{ formId, title }]' },
    },
    (_input, _req, res) => {
      res.json(Object.values(FORMS).map((f) => ({ formId: f.formId, title: f.title })));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/forms/:formId',
      tag: 'forms',
      params: formParams,
      summary: 'A form: fields, types, help texts (fi/sv/en) and attachment rules.',
      responses: { 200: 'The form definition', 404: 'No such form' },
    },
    ({ params }, _req, res) => {
      res.json(formFor(params.formId));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/forms/:formId',
      tag: 'forms',
      params: formParams,
      query: formPageQuery,
      summary: 'The public form page (?lang=fi|sv|en).',
      responses: { 200: 'HTML', 404: 'No such form' },
    },
    ({ params, query }, _req, res) => {
      const form = formFor(params.formId);
      const language = query.lang ?? 'fi';
      res.type('html').send(
        formPage({
          form,
          language,
          organization,
          query: `round=${query.round}`,
          postTo: `/api/forms/${form.formId}/applications`,
          payload: { roundId: query.round, language },
        }),
      );
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/forms/:formId/applications',
      tag: 'forms',
      params: formParams,
      body: submission,
      summary: 'Submit an application on a form; it is registered as a case and acknowledged by e-mail.',
      responses: {
        201: '{ applicationId } (the same for a retry with the same Idempotency-Key)',
        400: 'Fields to fix, each named (details: [{ field, code, message }])',
        404: 'No such form',
        503: 'Temporal unreachable: retry with the same Idempotency-Key after Retry-After',
      },
    },
    async ({ params, body }, req, res) => {
      res.status(201).json(await applications.submit(params.formId, body, requesterOf(req, 'applicant'), idempotencyKeyOf(req)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/applicant/:token',
      tag: 'forms',
      params: tokenParams,
      summary: "What the applicant's personal link is for: the case, and the fields asked for.",
      responses: { 200: '{ purpose, caseNumber, fields, message, deadlineAt }', 404: 'Unknown link', 410: 'Expired or used link' },
    },
    async ({ params }, _req, res) => {
      const { link, record } = await applications.applicantLink(params.token);
      res.json({
        purpose: link.purpose,
        caseNumber: record.caseNumber,
        formId: record.formId,
        expiresAt: link.expiresAt,
        ...(link.purpose === 'supplementation' ? { fields: record.supplementation?.fields, message: record.supplementation?.message } : {}),
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/hakemus/:token',
      tag: 'forms',
      params: tokenParams,
      query: pageLanguage,
      summary: "The page behind the applicant's personal link: the supplementation asked for, or a rectification request.",
      responses: { 200: 'HTML', 404: 'Unknown link', 410: 'Expired or used link' },
    },
    async ({ params: { token }, query }, _req, res) => {
      try {
        const { link, record } = await applications.applicantLink(token);
        const language = query.lang ?? record.language;
        if (link.purpose === 'rectification') {
          res.type('html').send(
            rectificationPage({
              language,
              organization,
              caseNumber: record.caseNumber ?? '',
              endsAt: link.expiresAt,
              postTo: `/api/applicant/${token}/rectification`,
            }),
          );
          return;
        }
        const form = formFor(record.formId);
        res.type('html').send(
          formPage({
            form,
            language,
            organization,
            query: '',
            postTo: `/api/applicant/${token}/supplementation`,
            payload: {},
            only: record.supplementation?.fields ?? [],
            intro: record.supplementation?.message,
            doneText: supplementedText(language),
          }),
        );
      } catch (error) {
        if (!(error instanceof LinkRejectedError)) throw error;
        res
          .status(error.status)
          .type('html')
          .send(applicantLinkClosedPage(query.lang ?? 'fi', organization));
      }
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/applicant/:token/supplementation',
      tag: 'forms',
      params: tokenParams,
      body: supplement,
      summary: 'The applicant supplements the application with the fields and attachments asked for.',
      responses: {
        200: 'Received',
        400: 'Fields to fix',
        404: 'Unknown link',
        409: 'Not waiting for supplementation',
        410: 'The deadline has passed',
      },
    },
    async ({ params, body }, _req, res) => {
      res.json(await applications.supplement(params.token, body));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/applicant/:token/rectification',
      tag: 'forms',
      params: tokenParams,
      body: rectificationText,
      summary: 'The applicant requests rectification of the decision during the rectification period.',
      responses: { 200: 'Received', 400: 'Text missing', 404: 'Unknown link', 409: 'The period is not open', 410: 'The period has ended' },
    },
    async ({ params, body }, req, res) => {
      res.json(await applications.requestRectification(params.token, body.text, requesterOf(req, 'applicant')));
    },
  );

  // The handler's side.

  routes.add(
    {
      method: 'get',
      path: '/kasittely',
      tag: 'handling',
      before: [signInFirst(config.staffTokens)],
      query: z.object({ lang: z.enum(LANGUAGES).optional(), round: roundId.optional() }),
      summary: "The handler's page: the rounds to choose from and a round's applications (sign in with the handler token).",
      responses: { 200: 'HTML' },
    },
    async ({ query }, req, res) => {
      const language = staffPageLanguage(req, res, query.lang);
      const access = handlerAccess(req);
      const frame = {
        language,
        organization,
        access,
        href: (l: string) => `/kasittely?lang=${l}${query.round ? `&round=${encodeURIComponent(query.round)}` : ''}`,
      };
      if (!(access.signedIn && access.handler)) return void res.type('html').send(handlerRoundsPage(frame, []));
      const chosen = query.round
        ? {
            roundId: query.round,
            rows: (await applications.inRound(query.round)).map((row) => ({
              applicationId: row.applicationId,
              caseNumber: row.caseNumber,
              formTitle: formFor(row.formId).title[language],
              applicant: row.applicant,
              status: row.status,
              amountApplied: row.amountApplied,
              decision: row.decision,
              paid: Boolean(row.payment),
            })),
            exports: Object.values(FORMS).map((form) => ({ formId: form.formId, title: form.title[language] })),
          }
        : undefined;
      res.type('html').send(handlerRoundsPage(frame, await applications.rounds(), chosen));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/kasittely/hakemukset/:applicationId',
      tag: 'handling',
      params: applicationParams,
      query: z.object({ lang: z.enum(LANGUAGES).optional() }),
      summary: "One case: the application in its form's labels, attachments, decision, notification and the actions its step allows.",
      responses: { 200: 'HTML', 404: 'No such application' },
    },
    async ({ params, query }, req, res) => {
      const language = staffPageLanguage(req, res, query.lang);
      const access = handlerAccess(req);
      const frame = {
        language,
        organization,
        access,
        href: (l: string) => `/kasittely/hakemukset/${encodeURIComponent(params.applicationId)}?lang=${l}`,
      };
      if (!(access.signedIn && access.handler)) return void res.type('html').send(handlerRoundsPage(frame, []));
      const view = await applications.caseView(params.applicationId);
      const notified = view.state?.notification ?? view.application.notification;
      const letter = notified ? await letters.describe(`${params.applicationId}-decision-letter`).catch(() => undefined) : undefined;
      res.type('html').send(handlerCasePage(frame, { ...view, letter }));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/applications/:applicationId/progress',
      tag: 'handling',
      roles: ['handler'],
      params: applicationParams,
      summary: "A case's state and a fingerprint that changes whenever its page would: the handler's page polls this.",
      responses: { 200: '{ status, fingerprint }', 404: 'No such application' },
    },
    async ({ params }, _req, res) => {
      const progress = await applications.progress(params.applicationId);
      // The decision's letter has a life of its own (sent, delivered, read): the page shows its state, so it is in the fingerprint too.
      const letter = await letters.describe(`${params.applicationId}-decision-letter`).catch(() => undefined);
      res.json({ ...progress, fingerprint: JSON.stringify([progress.fingerprint, letter?.status, letter?.deemedNotifiedOn]) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/rounds/:roundId/applications',
      tag: 'handling',
      roles: ['handler'],
      params: z.object({ roundId: roundIdInPath }),
      summary: "A round's applications with their states, decisions and amounts.",
      responses: { 200: '[{ applicationId, caseNumber, formId, status, applicant, amountApplied, decision }]' },
    },
    async ({ params }, req, res) => {
      await visibility.readRound(requesterOf(req), params.roundId);
      res.json(await applications.inRound(params.roundId));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/applications/:applicationId',
      tag: 'handling',
      roles: ['handler'],
      params: applicationParams,
      summary: 'One application: what was written, its attachments and the process state.',
      responses: { 200: '{ application, state }', 404: 'No such application' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.applicationId, 'process');
      res.json(await applications.describe(params.applicationId));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/applications/:applicationId/supplementation-request',
      tag: 'handling',
      roles: ['handler'],
      params: applicationParams,
      body: supplementationRequest,
      summary: 'Ask the applicant to supplement named fields or attachments by a deadline.',
      responses: { 200: 'The state', 400: 'Fields to fix', 409: 'Not waiting for the handler' },
    },
    async ({ params, body }, req, res) => {
      res.json(await applications.requestSupplementation(params.applicationId, body, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/applications/:applicationId/decision',
      tag: 'handling',
      roles: ['handler'],
      params: applicationParams,
      body: decisionRequest,
      summary: 'Draft the decision (approve, partly, deny; amount; reasoning) and send it for signature.',
      responses: { 200: 'The state', 400: 'Fields to fix', 409: 'Not waiting for a decision' },
    },
    async ({ params, body }, req, res) => {
      res.json(await applications.draftDecision(params.applicationId, body, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/applications/:applicationId/signature',
      tag: 'handling',
      roles: ['handler'],
      params: applicationParams,
      summary: 'The decision-maker signs the decision (a PDF signature in their name).',
      responses: { 200: 'The state', 409: 'No decision waiting for signature' },
    },
    async ({ params }, req, res) => {
      res.json(await applications.signDecision(params.applicationId, staffActor(req.staff), req.staff!.name));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/applications/:applicationId/rectification-resolution',
      tag: 'handling',
      roles: ['handler'],
      params: applicationParams,
      body: rectificationResolution,
      summary: 'Answer a rectification request: the decision is upheld or corrected.',
      responses: { 200: 'The state', 400: 'Fields to fix', 409: 'No request waiting' },
    },
    async ({ params, body }, req, res) => {
      res.json(await applications.resolveRectification(params.applicationId, body, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/rounds/:roundId/export/:formId.:format',
      tag: 'handling',
      roles: ['handler'],
      params: z.object({ roundId: roundIdInPath, formId: recordId, format: z.enum(['xlsx', 'csv'], 'The format is xlsx or csv.') }),
      summary: "A round's applications of one form as one table (format xlsx or csv).",
      responses: { 200: 'The table', 400: 'Unknown format', 404: 'No such form' },
    },
    async ({ params: { roundId, formId, format } }, _req, res) => {
      const { form, table } = await applications.roundTable(roundId, formId);
      res.setHeader('Content-Disposition', contentDisposition(`${roundId}-${form.formId}.${format}`));
      if (format === 'csv') res.type('text/csv; charset=utf-8').send(roundCsv(table));
      else
        res
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .send(await roundXlsx(table, `${roundId} ${form.formId}`));
    },
  );
}
