import type { UpdateDefinition } from '@temporalio/common';
import { NotFoundError, SinettiError } from '../common/errors';
import { loadFormsConfig } from '../config/formsConfig';
import { FORMS, type FormDefinition } from '../forms/formDefinitions';
import { roundTable } from '../forms/roundExport';
import { type FieldProblem, type SubmittedAttachment, validateSubmission } from '../forms/validateForm';
import { ParticipantLinks, type ResolvedLink } from '../links/signerLinks';
import type { Language } from '../mail/templates';
import { type ApplicationAttachment, type ApplicationRecord, Applications } from '../store/applications';
import {
  applicationStateQuery,
  type DecisionDraft,
  draftDecisionUpdate,
  type FormToDecisionInput,
  type FormToDecisionState,
  rectificationRequestUpdate,
  type RectificationResolution,
  requestSupplementationUpdate,
  resolveRectificationUpdate,
  signDecisionUpdate,
  supplementedUpdate,
} from '../workflows/formToDecision';
import { queryProcess, sendUpdate } from './processHandles';
import { processIdFor, ProcessStarts } from './processStarts';
import { type Requester, type ServiceDeps } from './serviceDeps';

/**
 * Citizen e-forms and what the handler does with them: submitting an
 * application (registered as a case and acknowledged), the applicant's
 * personal link (a supplementation, a rectification request), and the
 * handler's supplementation requests, decisions and signatures. Bad input
 * is a 4xx naming each field, and nothing is stored.
 */

function invalid(problems: FieldProblem[]): SinettiError {
  return new SinettiError(
    'invalid_application',
    `Fix these fields: ${problems.map((p) => `${p.field}: ${p.message}`).join(' ')}`,
    400,
    problems,
  );
}

export function formFor(formId: string): FormDefinition {
  const form = FORMS[formId];
  if (!form)
    throw new SinettiError('unknown_form', `There is no form "${formId}". The forms are: ${Object.keys(FORMS).join(', ')}.`, 404, [
      { field: 'formId', message: 'Unknown form.' },
    ]);
  return form;
}

export interface Submission {
  values: Record<string, string | number>;
  attachments: SubmittedAttachment[];
}

export class ApplicationService {
  private readonly applications = new Applications();
  private readonly links = new ParticipantLinks();

  constructor(private readonly deps: ServiceDeps) {}

  private async storeAttachments(
    applicationId: string,
    attachments: { field: string; fileName: string; contentType: string; bytes: Buffer }[],
  ): Promise<ApplicationAttachment[]> {
    const stored: ApplicationAttachment[] = [];
    for (const [index, attachment] of attachments.entries()) {
      const saved = await this.deps.store.saveVersion({
        key: `${applicationId}/attachment/${index}`,
        bytes: attachment.bytes,
        fileName: attachment.fileName,
        kind: 'attachment',
      });
      stored.push({
        field: attachment.field,
        fileName: attachment.fileName,
        contentType: attachment.contentType,
        versionId: saved.versionId,
        sha256: saved.sha256,
      });
    }
    return stored;
  }

  /** Sends one of the case's Updates; a refusal names what is wrong, and a closed case says so. */
  private update<Arg>(
    applicationId: string,
    definition: UpdateDefinition<FormToDecisionState, [Arg]>,
    arg: Arg,
  ): Promise<FormToDecisionState> {
    const closed = () => new SinettiError('case_closed', 'This case is no longer open.', 409);
    return sendUpdate(this.deps.temporal, applicationId, definition, arg, {
      refused: (type = 'refused', message) => new SinettiError(type, message, type.startsWith('invalid_') ? 400 : 409),
      ended: closed,
      unknown: closed,
    });
  }

  state(applicationId: string): Promise<FormToDecisionState> {
    return queryProcess(this.deps.temporal, applicationId, applicationStateQuery);
  }

  /** Checks the answers against the form, stores the application and its attachments, starts the case and audits it. */
  async submit(
    formId: string,
    request: Submission & { roundId: string; language: Language },
    by: Requester,
    idempotencyKey?: string,
  ): Promise<{ applicationId: string }> {
    const form = formFor(formId);
    const checked = validateSubmission(form, request, request.language);
    if (!checked.valid) throw invalid(checked.problems);
    // A retry of the same submission (the page sends one key per filled-in form) finds the same application and case.
    const applicationId = processIdFor('application', idempotencyKey, form.formId);
    const attachments = await this.storeAttachments(applicationId, checked.attachments);
    await this.applications.createOnce({
      _id: applicationId,
      formId: form.formId,
      roundId: request.roundId,
      language: request.language,
      values: checked.values,
      attachments,
      status: 'submitted',
      submittedAt: new Date(),
    });
    const input: FormToDecisionInput = { applicationId, organization: this.deps.config.organization, ...loadFormsConfig() };
    // The form's name fields (fullName, …) are what a handler searches by.
    const names = Object.entries(checked.values).flatMap(([field, value]) =>
      /name$/i.test(field) && typeof value === 'string' ? [value] : [],
    );
    await new ProcessStarts(this.deps).start(applicationId, 'formToDecisionWorkflow', input, names);
    await this.deps.audit.append({
      eventId: `${applicationId}/submitted`,
      processId: applicationId,
      actor: by.actor,
      action: 'application.submitted',
      at: new Date(),
      ip: by.ip,
      details: { formId: form.formId, roundId: request.roundId },
    });
    return { applicationId };
  }

  /** The applicant's personal link and its application; LinkRejectedError when unknown, expired or used. */
  async applicantLink(token: string): Promise<{ link: ResolvedLink; record: ApplicationRecord }> {
    const link = await this.links.resolve(token);
    return { link, record: await this.applications.get(link.processId) };
  }

  /** The link, checked for what it was issued for. */
  private async linkFor(token: string, purpose: 'supplementation' | 'rectification'): Promise<ApplicationRecord> {
    const { link, record } = await this.applicantLink(token);
    if (link.purpose !== purpose)
      throw new SinettiError('wrong_link', 'This link is for something else; use the link from the latest message.', 409);
    return record;
  }

  /** The fields and attachments asked for, stored and the case told; put back as they were if the case refuses. */
  async supplement(token: string, request: Submission): Promise<{ received: true; caseNumber?: string }> {
    const record = await this.linkFor(token, 'supplementation');
    const form = formFor(record.formId);
    const checked = validateSubmission(form, request, record.language, record.supplementation?.fields ?? []);
    if (!checked.valid) throw invalid(checked.problems);
    const state = await this.state(record._id);
    if (state.status !== 'awaiting_supplementation')
      throw new SinettiError('supplementation_closed', 'The application is not waiting for supplementation.', 409);
    const attachments = await this.storeAttachments(record._id, checked.attachments);
    await this.applications.update(record._id, {
      values: { ...record.values, ...checked.values },
      attachments: [...record.attachments, ...attachments],
      supplementation: { ...record.supplementation!, answeredAt: new Date().toISOString() },
    });
    try {
      await this.update(record._id, supplementedUpdate, { answeredAt: new Date().toISOString() });
    } catch (error) {
      await this.applications.update(record._id, {
        values: record.values,
        attachments: record.attachments,
        supplementation: record.supplementation!,
      });
      throw error;
    }
    return { received: true, caseNumber: record.caseNumber };
  }

  async requestRectification(token: string, text: string, by: Requester): Promise<{ received: true; caseNumber?: string }> {
    const record = await this.linkFor(token, 'rectification');
    const receivedAt = new Date().toISOString();
    await this.update(record._id, rectificationRequestUpdate, { receivedAt });
    await this.applications.update(record._id, { rectification: { text, receivedAt } });
    await this.deps.audit.append({
      eventId: `${record._id}/rectification-request`,
      processId: record._id,
      actor: by.actor,
      action: 'rectification.requested',
      at: new Date(),
      ip: by.ip,
    });
    return { received: true, caseNumber: record.caseNumber };
  }

  /** The rounds that have applications. */
  rounds(): Promise<string[]> {
    return this.applications.rounds();
  }

  /**
   * What the handler's case page shows and the actions the step allows. The record answers when the
   * process has ended; while it runs, its own state decides which actions are open.
   */
  async caseView(applicationId: string) {
    const { application, state } = await this.describe(applicationId);
    const status = state?.status ?? application.status;
    const deciding = status === 'awaiting_decision' || status === 'supplementation_overdue';
    return {
      application,
      form: formFor(application.formId),
      state,
      status,
      allowed: {
        supplementation: Boolean(state) && deciding && !state?.supplementation,
        decision: Boolean(state) && deciding,
        signature: Boolean(state) && status === 'awaiting_signature',
        rectification: Boolean(state) && status === 'rectification_requested',
      },
    };
  }

  /** A small fingerprint of the case's progress, for the page to poll: it changes whenever anything shown changes. */
  async progress(applicationId: string): Promise<{ status: string; fingerprint: string }> {
    const view = await this.caseView(applicationId);
    const { state, application } = view;
    const fingerprint = JSON.stringify([
      view.status,
      state?.supplementation,
      state?.decision?.signedBy,
      state?.notification,
      state?.rectification,
      application.decision?.versionId,
      application.notification,
      application.payment?.paymentId,
    ]);
    return { status: view.status, fingerprint };
  }

  /** A round's applications with their states, decisions and amounts. */
  async inRound(roundId: string) {
    return (await this.applications.inRound(roundId)).map((r) => {
      const form = FORMS[r.formId];
      return {
        applicationId: r._id,
        caseNumber: r.caseNumber,
        formId: r.formId,
        status: r.status,
        submittedAt: r.submittedAt,
        applicant: r.values[form.roles.applicantName],
        amountApplied: r.values[form.roles.amount],
        decision: r.decision && { outcome: r.decision.outcome, amount: r.decision.amount },
        notification: r.notification,
        payment: r.payment,
      };
    });
  }

  /** What was written, its attachments, and the live state while the process can answer (the record mirrors it). */
  async describe(applicationId: string): Promise<{ application: ApplicationRecord; state: FormToDecisionState | null }> {
    const record = await this.applications.get(applicationId);
    const state = await this.state(record._id).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    return { application: record, state };
  }

  async requestSupplementation(
    applicationId: string,
    request: { fields: string[]; message: string; deadline: string },
    actor: string,
  ): Promise<FormToDecisionState> {
    const record = await this.applications.get(applicationId);
    const form = formFor(record.formId);
    const known = new Set([...form.fields.map((f) => f.name), ...form.attachments.map((a) => a.name)]);
    const unknown = request.fields.filter((f) => !known.has(f));
    if (unknown.length)
      throw new SinettiError(
        'invalid_request',
        `Not fields of this form: ${unknown.join(', ')}.`,
        400,
        unknown.map((field) => ({ field: 'fields', message: `Unknown field ${field}` })),
      );
    return this.update(record._id, requestSupplementationUpdate, {
      fields: request.fields,
      message: request.message,
      deadlineAt: new Date(request.deadline).toISOString(),
      actor,
    });
  }

  draftDecision(applicationId: string, decision: DecisionDraft, actor: string): Promise<FormToDecisionState> {
    return this.update(applicationId, draftDecisionUpdate, { ...decision, actor });
  }

  signDecision(applicationId: string, actor: string, signerName: string): Promise<FormToDecisionState> {
    return this.update(applicationId, signDecisionUpdate, { actor, signerName });
  }

  resolveRectification(
    applicationId: string,
    resolution: Omit<RectificationResolution, 'actor'>,
    actor: string,
  ): Promise<FormToDecisionState> {
    return this.update(applicationId, resolveRectificationUpdate, { ...resolution, actor });
  }

  /** A round's applications of one form as one table. */
  async roundTable(roundId: string, formId: string) {
    const form = formFor(formId);
    return { form, table: roundTable(form.formId, await this.applications.inRound(roundId)) };
  }
}
