import { ApplicationFailure } from '@temporalio/common';
import { type AuditLog } from '../audit/auditLog';
import { recordsMetadataFor } from '../config/recordsPlan';
import { formById, type FormDefinition } from '../forms/formDefinitions';
import { type FinanceSystem, PaymentAlreadyOrderedError } from '../integrations/finance/financeSystem';
import { type ParticipantLinks } from '../links/signerLinks';
import { type MailSender } from '../mail/mailer';
import type { Language } from '../mail/templates';
import { deemedNotificationDate, finnishCalendarDate, type Channel } from '../rules/officialMail';
import { endOfFinnishDay, periodLastDay, RECTIFICATION_REQUEST_DAYS } from '../rules/rectificationPeriod';
import { type Archive } from '../store/archive';
import { type ApplicationRecord, type Applications, type DecisionOutcome } from '../store/applications';
import { type DocumentStore } from '../store/documentStore';
import { type Letters } from '../store/letters';
import { failFastOnBadInput, idempotencyKey } from './activityContext';
import { renderDecisionPdf, renderRectificationDecisionPdf } from './decisionDocument';
import { type VersionRef, versionRef } from './documentActivities';

/**
 * The side effects of turning an application into a decision. Each takes
 * the application id, reads what it needs from the application record, and
 * does its one thing once (mail, links, case numbers, payments keyed by the
 * workflow and activity).
 */

export interface ApplicationActivityDeps {
  applications: Applications;
  store: DocumentStore;
  audit: AuditLog;
  links: ParticipantLinks;
  mail: MailSender;
  letters: Letters;
  archive: Archive;
  finance: FinanceSystem;
  organization: string;
  publicUrl: string;
}

export const APPLICANT = 'applicant';
/** Municipal appeal to the administrative court: 30 days from notification (Local Government Act § 138). */
export const APPEAL_DAYS = 30;

/** The applicant's personal link: a supplementation or a rectification request, by purpose. */
export function applicantLink(publicUrl: string, token: string, language: Language): string {
  return `${publicUrl.replace(/\/$/, '')}/hakemus/${token}?lang=${language}`;
}

function formOf(record: ApplicationRecord): FormDefinition {
  const form = formById(record.formId);
  if (!form) throw ApplicationFailure.create({ type: 'unknown_form', message: `No form ${record.formId}`, nonRetryable: true });
  return form;
}

export function createApplicationActivities(deps: ApplicationActivityDeps) {
  const audit = (processId: string, action: string, details?: Record<string, unknown>, actor = 'system', documentSha256?: string) =>
    deps.audit.append({ eventId: idempotencyKey(), processId, actor, action, at: new Date(), details, documentSha256 });

  async function mailApplicant(
    record: ApplicationRecord,
    template: 'caseAcknowledgement' | 'supplementationRequest' | 'decisionSent',
    extra: { deadline?: Date; reason?: string },
    link?: { purpose: string; expiresAt: Date },
  ) {
    const form = formOf(record);
    await deps.mail.send({
      idempotencyKey: idempotencyKey(),
      to: record.values[form.roles.email],
      language: record.language,
      template,
      data: {
        organization: deps.organization,
        recipientName: record.values[form.roles.applicantName] ?? '',
        documentTitle: `${form.title[record.language]} ${record.caseNumber ?? ''}`.trim(),
        ...extra,
      },
      // A personal link is issued once per mail, with the send (mail/mailer.ts): a retried activity mails the same link.
      link: link && {
        issue: () =>
          deps.links.issue({ processId: record._id, participantId: APPLICANT, purpose: link.purpose, expiresAt: link.expiresAt }),
        url: (token) => applicantLink(deps.publicUrl, token, record.language),
      },
    });
  }

  return {
    async setApplicationStatus(input: { applicationId: string; status: string }): Promise<void> {
      await deps.applications.update(input.applicationId, { status: input.status });
    },

    /** The stored application against its form once more: the process starts only from data that is complete. */
    async checkApplication(input: { applicationId: string }): Promise<{ formId: string; taskClass: string; amountApplied: string }> {
      const record = await deps.applications.get(input.applicationId);
      const form = formOf(record);
      const missing = form.fields.filter((f) => f.required && !record.values[f.name]).map((f) => f.name);
      if (missing.length)
        throw ApplicationFailure.create({
          type: 'invalid_application',
          message: `Missing fields: ${missing.join(', ')}`,
          nonRetryable: true,
        });
      return { formId: form.formId, taskClass: form.taskClass, amountApplied: record.values[form.roles.amount] ?? '0' };
    },

    /** The case number from this year's counter, the records metadata from the task class, and the acknowledgement. */
    async registerCase(input: { applicationId: string; taskClass: string }): Promise<{ caseNumber: string }> {
      return failFastOnBadInput(async () => {
        const year = Number(finnishCalendarDate(new Date()).slice(0, 4));
        const caseNumber = await deps.applications.assignCaseNumber(input.applicationId, input.taskClass, year);
        await deps.applications.update(input.applicationId, { caseNumber, metadata: recordsMetadataFor(input.taskClass) });
        await audit(input.applicationId, 'case.registered', { caseNumber, taskClass: input.taskClass });
        return { caseNumber };
      });
    },

    async mailAcknowledgement(input: { applicationId: string }): Promise<void> {
      const record = await deps.applications.get(input.applicationId);
      await mailApplicant(record, 'caseAcknowledgement', { reason: record.caseNumber });
    },

    /** The request for supplementation, with a personal link that works until the deadline. */
    async requestSupplementation(input: {
      applicationId: string;
      fields: string[];
      message: string;
      deadlineAt: string;
      actor: string;
    }): Promise<void> {
      const record = await deps.applications.get(input.applicationId);
      const deadline = new Date(input.deadlineAt);
      await deps.applications.update(input.applicationId, {
        supplementation: { fields: input.fields, message: input.message, deadlineAt: input.deadlineAt },
      });
      await mailApplicant(
        record,
        'supplementationRequest',
        { deadline, reason: input.message },
        { purpose: 'supplementation', expiresAt: deadline },
      );
      await audit(
        input.applicationId,
        'case.supplementation_requested',
        { fields: input.fields, deadlineAt: input.deadlineAt },
        input.actor,
      );
    },

    /** The deadline passed unanswered: the link closes and the handler's list shows the case as theirs to decide. */
    async closeSupplementation(input: { applicationId: string; answered: boolean }): Promise<void> {
      await deps.links.revokeAll({
        processId: input.applicationId,
        purpose: 'supplementation',
        reason: input.answered ? 'answered' : 'deadline passed',
      });
      await audit(input.applicationId, input.answered ? 'case.supplemented' : 'case.supplementation_overdue');
    },

    /** The decision as a PDF with the rectification instructions, saved as a new document. */
    async renderDecision(input: {
      applicationId: string;
      outcome: DecisionOutcome;
      amount: string;
      reasoning: string;
      decidedOn: string;
      actor: string;
    }): Promise<VersionRef> {
      const record = await deps.applications.get(input.applicationId);
      const decision = { outcome: input.outcome, amount: input.amount, reasoning: input.reasoning, decidedOn: input.decidedOn };
      const pdf = await renderDecisionPdf({ form: formOf(record), application: record, organization: deps.organization, decision });
      const saved = await deps.store.saveVersion({
        key: idempotencyKey(),
        bytes: pdf,
        fileName: `paatos-${record.caseNumber?.replace(/\//g, '-')}.pdf`,
        kind: 'decision',
      });
      await deps.applications.update(input.applicationId, { decision: { ...decision, versionId: saved.versionId } });
      await audit(input.applicationId, 'decision.drafted', { outcome: input.outcome, amount: input.amount }, input.actor, saved.sha256);
      return versionRef(saved);
    },

    async recordSignedDecision(input: {
      applicationId: string;
      versionId: string;
      sha256: string;
      actor: string;
      rectification?: boolean;
    }): Promise<void> {
      const record = await deps.applications.get(input.applicationId);
      if (input.rectification)
        await deps.applications.update(input.applicationId, {
          rectification: { ...record.rectification!, decisionVersionId: input.versionId },
        });
      else await deps.applications.update(input.applicationId, { decision: { ...record.decision!, versionId: input.versionId } });
      await audit(
        input.applicationId,
        input.rectification ? 'rectification.decision_signed' : 'decision.signed',
        undefined,
        input.actor,
        input.sha256,
      );
    },

    /** The decision on a rectification request, with appeal instructions; a correction also changes the case's decision. */
    async renderRectificationDecision(input: {
      applicationId: string;
      resolution: 'upheld' | 'corrected';
      outcome: DecisionOutcome;
      amount: string;
      reasoning: string;
      decidedOn: string;
      actor: string;
    }): Promise<VersionRef> {
      const record = await deps.applications.get(input.applicationId);
      const pdf = await renderRectificationDecisionPdf({
        form: formOf(record),
        application: record,
        organization: deps.organization,
        decision: input,
      });
      const saved = await deps.store.saveVersion({
        key: idempotencyKey(),
        bytes: pdf,
        fileName: `oikaisuvaatimuspaatos-${record.caseNumber?.replace(/\//g, '-')}.pdf`,
        kind: 'decision',
      });
      if (input.resolution === 'corrected') {
        await deps.applications.update(input.applicationId, {
          decision: { ...record.decision!, outcome: input.outcome, amount: input.amount, reasoning: input.reasoning },
        });
      }
      await audit(
        input.applicationId,
        'rectification.decision_drafted',
        { resolution: input.resolution, outcome: input.outcome, amount: input.amount },
        input.actor,
        saved.sha256,
      );
      return versionRef(saved);
    },

    /** The 30-day appeal period from the day the applicant is deemed notified of the rectification decision. */
    async startAppealPeriod(input: {
      applicationId: string;
      letterId: string;
    }): Promise<{ notifiedOn: string; periodLastDay: string; periodEndsAt: string }> {
      const letter = await deps.letters.get(input.letterId);
      if (!letter.sentAt || !letter.channel) throw new Error(`Letter ${input.letterId} has not been sent yet`);
      const notifiedOn = deemedNotificationDate(letter.channel, new Date(letter.sentAt));
      const lastDay = periodLastDay(notifiedOn, APPEAL_DAYS);
      const record = await deps.applications.get(input.applicationId);
      await deps.applications.update(input.applicationId, { rectification: { ...record.rectification!, appealPeriodLastDay: lastDay } });
      await audit(input.applicationId, 'rectification.decision_notified', {
        channel: letter.channel,
        notifiedOn,
        appealPeriodLastDay: lastDay,
      });
      return { notifiedOn, periodLastDay: lastDay, periodEndsAt: endOfFinnishDay(lastDay).toISOString() };
    },

    /** The signed decision as an official letter to the applicant (the person's identity code or the association's business ID). */
    async createDecisionLetter(input: { applicationId: string; letterId: string; versionId: string }): Promise<void> {
      const record = await deps.applications.get(input.applicationId);
      const form = formOf(record);
      const exists = await deps.letters.get(input.letterId).then(
        () => true,
        () => false,
      );
      if (exists) return;
      const address = form.roles.address && {
        name: record.values[form.roles.applicantName],
        street: record.values[form.roles.address.street],
        postalCode: record.values[form.roles.address.postalCode],
        city: record.values[form.roles.address.city],
        countryCode: 'FI',
      };
      const recipientId = record.values[form.roles.recipientId];
      await deps.letters.create([
        {
          _id: input.letterId,
          recipientId,
          recipientKind: /^\d{7}-\d$/.test(recipientId) ? 'organisation' : 'person',
          ...(address ? { address } : {}),
          title: `${form.title[record.language]}: ${record.caseNumber}`.slice(0, 256),
          body: `${deps.organization}: ${form.title[record.language]} ${record.caseNumber}`,
          versionId: input.versionId,
          processId: input.applicationId,
          status: 'created',
          events: [],
          createdAt: new Date(),
        },
      ]);
    },

    /**
     * When the applicant is deemed notified (by channel) and when the
     * rectification period ends (14 days, moved past non-working days).
     */
    async startRectificationPeriod(input: {
      applicationId: string;
      letterId: string;
    }): Promise<{ channel: Channel; sentAt: string; notifiedOn: string; periodLastDay: string; periodEndsAt: string }> {
      const letter = await deps.letters.get(input.letterId);
      if (!letter.sentAt || !letter.channel) throw new Error(`Letter ${input.letterId} has not been sent yet`);
      const sentAt = new Date(letter.sentAt);
      const notifiedOn = deemedNotificationDate(letter.channel, sentAt);
      const lastDay = periodLastDay(notifiedOn, RECTIFICATION_REQUEST_DAYS);
      const periodEndsAt = endOfFinnishDay(lastDay);
      const record = await deps.applications.get(input.applicationId);
      await deps.applications.update(input.applicationId, {
        notification: { channel: letter.channel, sentAt: sentAt.toISOString(), notifiedOn, periodLastDay: lastDay },
      });
      await mailApplicant(
        record,
        'decisionSent',
        { deadline: periodEndsAt, reason: record.caseNumber },
        { purpose: 'rectification', expiresAt: periodEndsAt },
      );
      await audit(input.applicationId, 'decision.notified', { channel: letter.channel, notifiedOn, periodLastDay: lastDay });
      return {
        channel: letter.channel,
        sentAt: sentAt.toISOString(),
        notifiedOn,
        periodLastDay: lastDay,
        periodEndsAt: periodEndsAt.toISOString(),
      };
    },

    async recordRectification(input: { applicationId: string; resolution: string; actor: string }): Promise<void> {
      const record = await deps.applications.get(input.applicationId);
      await deps.applications.update(input.applicationId, { rectification: { ...record.rectification!, resolution: input.resolution } });
      await audit(input.applicationId, 'rectification.resolved', { resolution: input.resolution }, input.actor);
    },

    async closeRectificationPeriod(input: { applicationId: string }): Promise<void> {
      await deps.links.revokeAll({ processId: input.applicationId, purpose: 'rectification', reason: 'period ended' });
      await audit(input.applicationId, 'decision.final');
    },

    /**
     * The payment order to the finance system, keyed by the case: the
     * finance system refuses a second order of the same decision, and a
     * retry after a lost answer finds its own order.
     */
    async orderPayment(input: { applicationId: string; amount: string }): Promise<{ paymentId: string }> {
      const record = await deps.applications.get(input.applicationId);
      const form = formOf(record);
      const order = {
        idempotencyKey: `${record.caseNumber}/${input.applicationId}`,
        caseNumber: record.caseNumber!,
        payeeName: record.values[form.roles.applicantName],
        iban: record.values.iban,
        amount: input.amount,
        reference: record.caseNumber!,
      };
      let receipt;
      try {
        receipt = await deps.finance.orderPayment(order);
      } catch (error) {
        if (!(error instanceof PaymentAlreadyOrderedError)) throw error;
        receipt = error.existing;
      }
      await deps.applications.update(input.applicationId, {
        payment: { paymentId: receipt.paymentId, amount: input.amount, orderedAt: receipt.orderedAt },
      });
      await audit(input.applicationId, 'payment.ordered', { paymentId: receipt.paymentId, amount: input.amount });
      return { paymentId: receipt.paymentId };
    },

    async archiveCase(input: { applicationId: string; versionId: string }): Promise<{ archiveId: string }> {
      const record = await deps.applications.get(input.applicationId);
      const version = await deps.store.getVersion(input.versionId);
      const entry = await deps.archive.store({
        archiveId: `${input.applicationId}/decision`,
        processId: input.applicationId,
        processType: 'formToDecision',
        title: `${formOf(record).title.fi} ${record.caseNumber}`,
        versionId: version.versionId,
        documentId: version.documentId,
        sha256: version.sha256,
        attachmentVersionIds: [
          ...(record.rectification?.decisionVersionId ? [record.rectification.decisionVersionId] : []),
          ...record.attachments.map((a) => a.versionId),
        ],
        metadata: record.metadata ?? recordsMetadataFor(formOf(record).taskClass),
        createdAt: record.submittedAt,
        archivedAt: new Date(),
      });
      await audit(input.applicationId, 'case.archived', { archiveId: entry.archiveId }, 'system', version.sha256);
      return { archiveId: entry.archiveId };
    },
  };
}

export type ApplicationActivities = ReturnType<typeof createApplicationActivities>;
