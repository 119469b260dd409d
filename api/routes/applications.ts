import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { NotFoundError, SinettiError } from '../../common/errors';
import { loadFormsConfig } from '../../config/formsConfig';
import { FORMS, FormDefinition } from '../../forms/formDefinitions';
import { roundCsv, roundTable, roundXlsx } from '../../forms/roundExport';
import { FieldProblem, validateSubmission } from '../../forms/validateForm';
import { LinkRejectedError, ParticipantLinks } from '../../links/signerLinks';
import { LANGUAGES, Language } from '../../mail/templates';
import { ApplicationAttachment, ApplicationRecord, Applications } from '../../store/applications';
import {
  applicationStateQuery, draftDecisionUpdate, FormToDecisionInput, FormToDecisionState, rectificationRequestUpdate,
  requestSupplementationUpdate, resolveRectificationUpdate, signDecisionUpdate, supplementedUpdate,
} from '../../workflows/formToDecision';
import { ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { ApiRoutes } from '../routeRegistry';
import { applicantLinkClosedPage, formPage, rectificationPage, supplementedText } from '../views/formPage';
import { handlerPage } from '../views/handlerPage';

/**
 * Citizen e-forms and what the handler does with them. The public side:
 * the forms, submitting one, and the applicant's personal link (a
 * supplementation, a rectification request). The handler's side: a round's
 * applications, supplementation, the decision, the signature and the
 * round's table. Bad input is a 4xx naming each field, and nothing is stored.
 */

const submission = z.object({
  roundId: z.string().trim().regex(/^[\w.-]{1,64}$/, 'Letters, digits, "-", "_" and "." only.'),
  language: z.enum(LANGUAGES).default('fi'),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
  attachments: z.array(z.object({ field: z.string(), fileName: z.string().max(200), contentType: z.string().max(100), contentBase64: z.string() })).max(10).default([]),
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
  amount: z.union([z.string(), z.number()]).transform((a) => Number(String(a).replace(',', '.')).toFixed(2)).optional(),
  reasoning: z.string().trim().min(1, 'Give the reasoning of the decision on the rectification request.').max(10_000),
});

function invalid(problems: FieldProblem[]): SinettiError {
  return new SinettiError('invalid_application', `Fix these fields: ${problems.map((p) => `${p.field}: ${p.message}`).join(' ')}`, 400, problems);
}

function formFor(formId: string): FormDefinition {
  const form = FORMS[formId];
  if (!form) throw new SinettiError('unknown_form', `There is no form "${formId}". The forms are: ${Object.keys(FORMS).join(', ')}.`, 404, [{ field: 'formId', message: 'Unknown form.' }]);
  return form;
}

export function applicationRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const applications = new Applications();
  const links = new ParticipantLinks();

  async function storeAttachments(applicationId: string, attachments: { field: string; fileName: string; contentType: string; bytes: Buffer }[]): Promise<ApplicationAttachment[]> {
    const stored: ApplicationAttachment[] = [];
    for (const attachment of attachments) {
      const saved = await deps.store.saveVersion({ key: `${applicationId}/attachment/${randomUUID()}`, bytes: attachment.bytes, fileName: attachment.fileName, kind: 'attachment' });
      stored.push({ field: attachment.field, fileName: attachment.fileName, contentType: attachment.contentType, versionId: saved.versionId, sha256: saved.sha256 });
    }
    return stored;
  }

  async function update<Arg>(applicationId: string, definition: UpdateDefinition<FormToDecisionState, [Arg]>, arg: Arg): Promise<FormToDecisionState> {
    try {
      return await deps.temporal.workflow.getHandle(applicationId).executeUpdate(definition, { args: [arg] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        const type = error.cause.type ?? 'refused';
        throw new SinettiError(type, error.cause.message, type.startsWith('invalid_') ? 400 : 409);
      }
      if (error instanceof WorkflowNotFoundError) throw new SinettiError('case_closed', 'This case is no longer open.', 409);
      throw error;
    }
  }

  async function stateOf(applicationId: string): Promise<FormToDecisionState> {
    try {
      return await deps.temporal.workflow.getHandle(applicationId).query(applicationStateQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Application ${applicationId}`);
      throw error;
    }
  }

  /** The applicant's link, checked for what it was issued for. */
  async function applicantLink(token: string, purpose: 'supplementation' | 'rectification'): Promise<ApplicationRecord> {
    const link = await links.resolve(token);
    if (link.purpose !== purpose) throw new SinettiError('wrong_link', 'This link is for something else; use the link from the latest message.', 409);
    return applications.get(link.processId);
  }

  routes.add({ method: 'get', path: '/api/forms', tag: 'forms', summary: 'The e-forms that can be filled in.', responses: { 200: '[{ formId, title }]' } }, (_req, res) => {
    res.json(Object.values(FORMS).map((f) => ({ formId: f.formId, title: f.title })));
  });

  routes.add({ method: 'get', path: '/api/forms/:formId', tag: 'forms', summary: 'A form: fields, types, help texts (fi/sv/en) and attachment rules.', responses: { 200: 'The form definition', 404: 'No such form' } }, (req, res) => {
    res.json(formFor(String(req.params.formId)));
  });

  routes.add({ method: 'get', path: '/forms/:formId', tag: 'forms', summary: 'The public form page (?lang=fi|sv|en).', responses: { 200: 'HTML', 404: 'No such form' } }, (req, res) => {
    const form = formFor(String(req.params.formId));
    const language = (LANGUAGES as readonly string[]).includes(String(req.query.lang)) ? req.query.lang as Language : 'fi';
    const roundId = typeof req.query.round === 'string' && /^[\w.-]{1,64}$/.test(req.query.round) ? req.query.round : 'default';
    res.type('html').send(formPage({
      form, language, organization: deps.config.organization, query: `round=${roundId}`,
      postTo: `/api/forms/${form.formId}/applications`, payload: { roundId, language },
    }));
  });

  routes.add({
    method: 'post', path: '/api/forms/:formId/applications', tag: 'forms', body: submission,
    summary: 'Submit an application on a form; it is registered as a case and acknowledged by e-mail.',
    responses: { 201: '{ applicationId }', 400: 'Fields to fix, each named (details: [{ field, code, message }])', 404: 'No such form' },
  }, async (req, res) => {
    const form = formFor(String(req.params.formId));
    const request = submission.parse(req.body);
    const checked = validateSubmission(form, request, request.language);
    if (!checked.valid) throw invalid(checked.problems);
    const applicationId = `application-${randomUUID()}`;
    const attachments = await storeAttachments(applicationId, checked.attachments);
    await applications.create({
      _id: applicationId, formId: form.formId, roundId: request.roundId, language: request.language, values: checked.values, attachments,
      status: 'submitted', submittedAt: new Date(),
    });
    const timing = loadFormsConfig();
    const input: FormToDecisionInput = { applicationId, organization: deps.config.organization, ...timing };
    await deps.temporal.workflow.start('formToDecisionWorkflow', { taskQueue: deps.config.temporal.taskQueue, workflowId: applicationId, args: [input] });
    await deps.audit.append({ eventId: `${applicationId}/submitted`, processId: applicationId, actor: 'applicant', action: 'application.submitted', at: new Date(), ip: req.ip, details: { formId: form.formId, roundId: request.roundId } });
    res.status(201).json({ applicationId });
  });

  routes.add({
    method: 'get', path: '/api/applicant/:token', tag: 'forms', summary: "What the applicant's personal link is for: the case, and the fields asked for.",
    responses: { 200: '{ purpose, caseNumber, fields, message, deadlineAt }', 404: 'Unknown link', 410: 'Expired or used link' },
  }, async (req, res) => {
    const link = await links.resolve(String(req.params.token));
    const record = await applications.get(link.processId);
    res.json({ purpose: link.purpose, caseNumber: record.caseNumber, formId: record.formId, expiresAt: link.expiresAt, ...(link.purpose === 'supplementation' ? { fields: record.supplementation?.fields, message: record.supplementation?.message } : {}) });
  });

  routes.add({
    method: 'get', path: '/hakemus/:token', tag: 'forms', summary: "The page behind the applicant's personal link: the supplementation asked for, or a rectification request.",
    responses: { 200: 'HTML', 404: 'Unknown link', 410: 'Expired or used link' },
  }, async (req, res) => {
    const token = String(req.params.token);
    const queried = String(req.query.lang);
    try {
      const link = await links.resolve(token);
      const record = await applications.get(link.processId);
      const language = (LANGUAGES as readonly string[]).includes(queried) ? queried as Language : record.language;
      const organization = deps.config.organization;
      if (link.purpose === 'rectification') {
        res.type('html').send(rectificationPage({ language, organization, caseNumber: record.caseNumber ?? '', endsAt: link.expiresAt, postTo: `/api/applicant/${token}/rectification` }));
        return;
      }
      const form = formFor(record.formId);
      res.type('html').send(formPage({
        form, language, organization, query: '', postTo: `/api/applicant/${token}/supplementation`, payload: {},
        only: record.supplementation?.fields ?? [], intro: record.supplementation?.message, doneText: supplementedText(language),
      }));
    } catch (error) {
      if (!(error instanceof LinkRejectedError)) throw error;
      const language = (LANGUAGES as readonly string[]).includes(queried) ? queried as Language : 'fi';
      res.status(error.status).type('html').send(applicantLinkClosedPage(language, deps.config.organization));
    }
  });

  routes.add({
    method: 'post', path: '/api/applicant/:token/supplementation', tag: 'forms', body: supplement,
    summary: 'The applicant supplements the application with the fields and attachments asked for.',
    responses: { 200: 'Received', 400: 'Fields to fix', 404: 'Unknown link', 409: 'Not waiting for supplementation', 410: 'The deadline has passed' },
  }, async (req, res) => {
    const record = await applicantLink(String(req.params.token), 'supplementation');
    const form = formFor(record.formId);
    const request = supplement.parse(req.body);
    const asked = record.supplementation?.fields ?? [];
    const checked = validateSubmission(form, request, record.language, asked);
    if (!checked.valid) throw invalid(checked.problems);
    const state = await stateOf(record._id);
    if (state.status !== 'awaiting_supplementation') throw new SinettiError('supplementation_closed', 'The application is not waiting for supplementation.', 409);
    const attachments = await storeAttachments(record._id, checked.attachments);
    await applications.update(record._id, {
      values: { ...record.values, ...checked.values }, attachments: [...record.attachments, ...attachments],
      supplementation: { ...record.supplementation!, answeredAt: new Date().toISOString() },
    });
    try {
      await update(record._id, supplementedUpdate, { answeredAt: new Date().toISOString() });
    } catch (error) {
      await applications.update(record._id, { values: record.values, attachments: record.attachments, supplementation: record.supplementation! });
      throw error;
    }
    res.json({ received: true, caseNumber: record.caseNumber });
  });

  routes.add({
    method: 'post', path: '/api/applicant/:token/rectification', tag: 'forms', body: rectificationText,
    summary: 'The applicant requests rectification of the decision during the rectification period.',
    responses: { 200: 'Received', 400: 'Text missing', 404: 'Unknown link', 409: 'The period is not open', 410: 'The period has ended' },
  }, async (req, res) => {
    const record = await applicantLink(String(req.params.token), 'rectification');
    const { text } = rectificationText.parse(req.body);
    const receivedAt = new Date().toISOString();
    await update(record._id, rectificationRequestUpdate, { receivedAt });
    await applications.update(record._id, { rectification: { text, receivedAt } });
    await deps.audit.append({ eventId: `${record._id}/rectification-request`, processId: record._id, actor: 'applicant', action: 'rectification.requested', at: new Date(), ip: req.ip });
    res.json({ received: true, caseNumber: record.caseNumber });
  });

  // The handler's side.

  routes.add({ method: 'get', path: '/kasittely', tag: 'handling', summary: "The handler's page (sign in with the handler token; it uses the API below).", responses: { 200: 'HTML' } }, (_req, res) => {
    res.type('html').send(handlerPage(deps.config.organization));
  });

  routes.add({
    method: 'get', path: '/api/rounds/:roundId/applications', tag: 'handling', roles: ['handler'],
    summary: "A round's applications with their states, decisions and amounts.", responses: { 200: '[{ applicationId, caseNumber, formId, status, applicant, amountApplied, decision }]' },
  }, async (req, res) => {
    const records = await applications.inRound(String(req.params.roundId));
    res.json(records.map((r) => {
      const form = FORMS[r.formId]!;
      return {
        applicationId: r._id, caseNumber: r.caseNumber, formId: r.formId, status: r.status, submittedAt: r.submittedAt,
        applicant: r.values[form.roles.applicantName], amountApplied: r.values[form.roles.amount], decision: r.decision && { outcome: r.decision.outcome, amount: r.decision.amount },
        notification: r.notification, payment: r.payment,
      };
    }));
  });

  routes.add({
    method: 'get', path: '/api/applications/:applicationId', tag: 'handling', roles: ['handler'],
    summary: 'One application: what was written, its attachments and the process state.', responses: { 200: '{ application, state }', 404: 'No such application' },
  }, async (req, res) => {
    const record = await applications.get(String(req.params.applicationId));
    // The record mirrors the process; the live state is added while the process can answer.
    const state = await stateOf(record._id).catch((error) => { if (error instanceof NotFoundError) return null; throw error; });
    res.json({ application: record, state });
  });

  routes.add({
    method: 'post', path: '/api/applications/:applicationId/supplementation-request', tag: 'handling', roles: ['handler'], body: supplementationRequest,
    summary: 'Ask the applicant to supplement named fields or attachments by a deadline.', responses: { 200: 'The state', 400: 'Fields to fix', 409: 'Not waiting for the handler' },
  }, async (req, res) => {
    const record = await applications.get(String(req.params.applicationId));
    const request = supplementationRequest.parse(req.body);
    const form = formFor(record.formId);
    const known = new Set([...form.fields.map((f) => f.name), ...form.attachments.map((a) => a.name)]);
    const unknown = request.fields.filter((f) => !known.has(f));
    if (unknown.length) throw new SinettiError('invalid_request', `Not fields of this form: ${unknown.join(', ')}.`, 400, unknown.map((field) => ({ field: 'fields', message: `Unknown field ${field}` })));
    res.json(await update(record._id, requestSupplementationUpdate, { fields: request.fields, message: request.message, deadlineAt: new Date(request.deadline).toISOString(), actor: staffActor(req.staff) }));
  });

  routes.add({
    method: 'post', path: '/api/applications/:applicationId/decision', tag: 'handling', roles: ['handler'], body: decisionRequest,
    summary: 'Draft the decision (approve, partly, deny; amount; reasoning) and send it for signature.', responses: { 200: 'The state', 400: 'Fields to fix', 409: 'Not waiting for a decision' },
  }, async (req, res) => {
    const request = decisionRequest.parse(req.body);
    res.json(await update(String(req.params.applicationId), draftDecisionUpdate, { ...request, actor: staffActor(req.staff) }));
  });

  routes.add({
    method: 'post', path: '/api/applications/:applicationId/signature', tag: 'handling', roles: ['handler'],
    summary: 'The decision-maker signs the decision (a PDF signature in their name).', responses: { 200: 'The state', 409: 'No decision waiting for signature' },
  }, async (req, res) => {
    res.json(await update(String(req.params.applicationId), signDecisionUpdate, { actor: staffActor(req.staff), signerName: req.staff!.name }));
  });

  routes.add({
    method: 'post', path: '/api/applications/:applicationId/rectification-resolution', tag: 'handling', roles: ['handler'], body: rectificationResolution,
    summary: 'Answer a rectification request: the decision is upheld or corrected.', responses: { 200: 'The state', 400: 'Fields to fix', 409: 'No request waiting' },
  }, async (req, res) => {
    const request = rectificationResolution.parse(req.body);
    res.json(await update(String(req.params.applicationId), resolveRectificationUpdate, { ...request, actor: staffActor(req.staff) }));
  });

  routes.add({
    method: 'get', path: '/api/rounds/:roundId/export/:formId.:format', tag: 'handling', roles: ['handler'],
    summary: "A round's applications of one form as one table (format xlsx or csv).", responses: { 200: 'The table', 400: 'Unknown format', 404: 'No such form' },
  }, async (req, res) => {
    const form = formFor(String(req.params.formId));
    const format = String(req.params.format);
    if (format !== 'xlsx' && format !== 'csv') throw new SinettiError('invalid_request', 'The format is xlsx or csv.', 400, [{ field: 'format', message: 'xlsx or csv' }]);
    const roundId = String(req.params.roundId);
    const table = roundTable(form.formId, await applications.inRound(roundId));
    const fileName = `${roundId}-${form.formId}.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(roundCsv(table));
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await roundXlsx(table, `${roundId} ${form.formId}`));
  });
}
