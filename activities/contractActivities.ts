import { type AuditLog } from '../audit/auditLog';
import { recordsMetadataFor } from '../config/recordsPlan';
import { ROLE_LABELS } from '../rules/contractLabels';
import { type ParticipantLinks } from '../links/signerLinks';
import { type MailSender } from '../mail/mailer';
import type { Language, TemplateName } from '../mail/templates';
import type { SigningCredentials } from '../signing/credentials';
import type { SignatureStamp } from '../signing/signField';
import { signFieldForTheLongTerm, type LongTermValidityServices } from '../signing/longTermValidity';
import { type Archive } from '../store/archive';
import { type DocumentStore } from '../store/documentStore';
import {
  activeSigners,
  type ContractSigner,
  type EmploymentContractRecord,
  type EmploymentContracts,
  signatureFieldOf,
} from '../store/employmentContracts';
import { type SignaturePlans } from '../store/signaturePlans';
import { appendPagesIncrementally } from '../signing/appendPages';
import { failFastOnBadInput, idempotencyKey } from './activityContext';
import { renderAuditCertificate, stampIdentification } from './auditCertificate';
import { renderContractPdf } from './contractTemplate';
import { type VersionRef, versionRef } from './documentActivities';

/**
 * The employment contract's side effects. Each takes ids, looks the people
 * up in the contract record, and does its one thing once: a retried
 * activity finds the version, audit event or mail it already made. Tokens
 * are made and mailed inside the same activity, so they never pass through
 * the workflow, its history or staff.
 */

export interface ContractActivityDeps {
  store: DocumentStore;
  plans: SignaturePlans;
  audit: AuditLog;
  credentials: SigningCredentials;
  longTermValidity: LongTermValidityServices;
  contracts: EmploymentContracts;
  links: ParticipantLinks;
  mail: MailSender;
  archive: Archive;
  organization: string;
  publicUrl: string;
  /** Above this the sealed PDF is sent as a link instead of an attachment. */
  attachmentLimitBytes: number;
  /** How long the download link in the completion mail works. */
  downloadLinkDays?: number;
}

export type ContractEnding = 'declined' | 'expired' | 'cancelled';

const SIGNED_REASON: Record<Language, string> = {
  fi: 'Hyväksyn sopimuksen ehdot',
  sv: 'Jag godkänner avtalsvillkoren',
  en: 'I agree to the terms of the contract',
};

const ENDING_REASONS: Record<ContractEnding, Record<Language, string>> = {
  declined: {
    fi: 'allekirjoittaja kieltäytyi allekirjoittamasta',
    sv: 'en undertecknare avböjde att underteckna',
    en: 'a signer declined to sign',
  },
  expired: { fi: 'allekirjoituksen määräaika päättyi', sv: 'tidsfristen för underskrift gick ut', en: 'the deadline for signing passed' },
  cancelled: { fi: 'lähettäjä peruutti pyynnön', sv: 'avsändaren återkallade begäran', en: 'the sender cancelled the request' },
};

const REASSIGNED_REASON: Record<Language, string> = {
  fi: 'pyyntö siirrettiin toiselle henkilölle',
  sv: 'begäran överfördes till en annan person',
  en: 'the request was passed on to another person',
};

export function signingLink(publicUrl: string, token: string, language: Language): string {
  return `${publicUrl.replace(/\/$/, '')}/s/${token}?lang=${language}`;
}

export function createContractActivities(deps: ContractActivityDeps) {
  const downloadLinkDays = deps.downloadLinkDays ?? 30;

  /** The contract's audit certificate, rendered from its audit trail, and the signed version with it appended (every signature stays valid). */
  async function certifiedContract(contractId: string, versionId: string) {
    const record = await deps.contracts.get(contractId);
    const [events, source, signedPdf] = await Promise.all([
      deps.audit.forProcess(record.contractId),
      deps.store.getVersion(versionId),
      deps.store.readVersion(versionId),
    ]);
    const certificatePdf = await renderAuditCertificate({
      organization: deps.organization,
      title: record.title,
      processId: record.contractId,
      events,
      describeActor: describeActor(record),
    });
    return { source, certificatePdf, withCertificate: await appendPagesIncrementally(signedPdf, certificatePdf) };
  }

  /**
   * Issues a personal link and mails it under one key. A retry after the
   * mail went out must not issue another link: that would revoke the one
   * in the signer's inbox.
   */
  async function mailWithLink(input: {
    key: string;
    record: EmploymentContractRecord;
    signer: ContractSigner;
    purpose: string;
    expiresAt: Date;
    template: TemplateName;
    deadline?: Date;
    attachments?: { filename: string; content: Buffer; contentType: string }[];
  }): Promise<void> {
    await deps.mail.send({
      idempotencyKey: input.key,
      to: input.signer.email,
      language: input.signer.language,
      template: input.template,
      data: {
        organization: deps.organization,
        recipientName: input.signer.name,
        documentTitle: input.record.title,
        deadline: input.deadline,
      },
      attachments: input.attachments,
      // Issued once per key, with the send (mail/mailer.ts): a retry mails the same link.
      link: {
        issue: () =>
          deps.links.issue({
            processId: input.record.contractId,
            participantId: input.signer.participantId,
            purpose: input.purpose,
            expiresAt: input.expiresAt,
          }),
        url: (token) => signingLink(deps.publicUrl, token, input.signer.language),
      },
    });
  }

  function describeActor(record: EmploymentContractRecord): (actor: string) => string {
    return (actor) => {
      if (actor.startsWith('participant:')) {
        const signer = record.signers.find((s) => s.participantId === actor.slice('participant:'.length));
        if (signer)
          return `${signer.name} (${ROLE_LABELS[signer.role].fi} / ${ROLE_LABELS[signer.role].sv} / ${ROLE_LABELS[signer.role].en})`;
      }
      if (actor.startsWith('staff:')) return `${actor.split(':').slice(2).join(':')} (${actor.split(':')[1]})`;
      if (actor === 'system') return `Sinetti (${deps.organization})`;
      return actor;
    };
  }

  return {
    /** Renders the template in the contract's language, or takes the uploaded PDF, and names one field per signer. */
    async renderContractDocument(input: {
      contractId: string;
    }): Promise<{ source: VersionRef; fields: { name: string; label: string }[] }> {
      return failFastOnBadInput(async () => {
        const record = await deps.contracts.get(input.contractId);
        let source: VersionRef;
        if (record.uploadedVersionId) {
          const uploaded = await deps.store.getVersion(record.uploadedVersionId);
          source = versionRef(uploaded);
        } else {
          if (!record.terms) throw new Error(`Contract ${record.contractId} has neither terms nor an uploaded PDF`);
          const pdf = await renderContractPdf(record.terms, record.language, record.title);
          const saved = await deps.store.saveVersion({ key: idempotencyKey(), bytes: pdf, fileName: 'tyosopimus.pdf', kind: 'rendered' });
          source = versionRef(saved);
        }
        const fields = [...activeSigners(record)]
          .sort((a, b) => a.order - b.order)
          .map((signer) => ({ name: signatureFieldOf(signer), label: ROLE_LABELS[signer.role][record.language] }));
        return { source, fields };
      });
    },

    /** Sends an invitation, a reminder or a resent invitation, each with a fresh personal link. */
    async mailSigningLink(input: {
      contractId: string;
      participantId: string;
      deadlineAt: string;
      kind: 'invitation' | 'reminder' | 'resend';
    }): Promise<void> {
      const record = await deps.contracts.get(input.contractId);
      const signer = deps.contracts.signer(record, input.participantId);
      const key = idempotencyKey(input.participantId);
      const deadline = new Date(input.deadlineAt);
      await mailWithLink({
        key,
        record,
        signer,
        deadline,
        expiresAt: deadline,
        purpose: input.kind === 'reminder' ? 'sign:reminder' : 'sign:invitation',
        template: input.kind === 'reminder' ? 'signatureReminder' : 'signatureInvitation',
      });
      await deps.audit.append({
        eventId: key,
        processId: record.contractId,
        actor: 'system',
        action: input.kind === 'reminder' ? 'contract.reminded' : 'contract.invited',
        at: new Date(),
        details: { participantId: signer.participantId, role: signer.role, kind: input.kind },
      });
    },

    /** Writes the signer's visible stamp and PDF signature into their field, with the page's evidence in the audit log. */
    async signAsParticipant(input: {
      contractId: string;
      participantId: string;
      versionId: string;
      evidenceId: string;
    }): Promise<VersionRef> {
      return failFastOnBadInput(async () => {
        const record = await deps.contracts.get(input.contractId);
        const signer = deps.contracts.signer(record, input.participantId);
        const evidence = await deps.contracts.evidence(input.evidenceId);
        const source = await deps.store.getVersion(input.versionId);
        const plan = await deps.plans.get(source.documentId);
        const signed = await signFieldForTheLongTerm(
          await deps.store.readVersion(input.versionId),
          plan,
          signatureFieldOf(signer),
          {
            signerName: signer.name,
            role: ROLE_LABELS[signer.role][record.language],
            signedAt: new Date(evidence.at),
            reason: SIGNED_REASON[record.language],
            identification: stampIdentification(evidence.verification),
          },
          deps.credentials,
          deps.longTermValidity,
        );
        const saved = await deps.store.saveVersion({
          key: idempotencyKey(),
          documentId: source.documentId,
          bytes: signed,
          fileName: source.fileName,
          kind: 'signed',
        });
        await deps.audit.append({
          eventId: idempotencyKey('audit'),
          processId: record.contractId,
          actor: `participant:${signer.participantId}`,
          action: 'contract.signed',
          at: new Date(evidence.at),
          ip: evidence.ip,
          userAgent: evidence.userAgent,
          documentSha256: evidence.documentSha256,
          details: {
            role: signer.role,
            consent: true,
            signedVersionSha256: saved.sha256,
            ...(evidence.verification ? { verification: evidence.verification } : {}),
          },
        });
        return versionRef(saved);
      });
    },

    async recordDecline(input: { contractId: string; participantId: string; evidenceId: string }): Promise<void> {
      const evidence = await deps.contracts.evidence(input.evidenceId);
      await deps.audit.append({
        eventId: idempotencyKey(),
        processId: input.contractId,
        actor: `participant:${input.participantId}`,
        action: 'contract.declined',
        at: new Date(evidence.at),
        ip: evidence.ip,
        userAgent: evidence.userAgent,
        documentSha256: evidence.documentSha256,
        details: { reason: evidence.reason },
      });
    },

    async extendSigningLinks(input: { contractId: string; deadlineAt: string }): Promise<void> {
      await deps.links.extend({ processId: input.contractId, expiresAt: new Date(input.deadlineAt) });
    },

    /**
     * An admin's reassignment, once the process has taken it on: the
     * replacement becomes the signer, the replaced person's links stop
     * working, and if they had been invited they are told they need not act.
     */
    async reassignSigner(input: {
      contractId: string;
      participantId: string;
      replacementId: string;
      notifyPrevious: boolean;
      actor: string;
      reason: string;
    }): Promise<void> {
      await deps.contracts.confirmReplacement(input.contractId, input.participantId, input.replacementId);
      await deps.links.revokeAll({ processId: input.contractId, participantId: input.participantId, reason: 'reassigned' });
      const record = await deps.contracts.get(input.contractId);
      const previous = deps.contracts.signer(record, input.participantId);
      if (input.notifyPrevious) {
        await deps.mail.send({
          idempotencyKey: idempotencyKey('previous'),
          to: previous.email,
          language: previous.language,
          template: 'processEnded',
          data: {
            organization: deps.organization,
            recipientName: previous.name,
            documentTitle: record.title,
            reason: REASSIGNED_REASON[previous.language],
          },
        });
      }
      await deps.audit.append({
        eventId: idempotencyKey('audit'),
        processId: input.contractId,
        actor: input.actor,
        action: 'contract.reassigned',
        at: new Date(),
        details: { participantId: input.participantId, replacementId: input.replacementId, role: previous.role, reason: input.reason },
      });
    },

    /** Ends a contract that will not be signed: links stop working, HR and the named signers are told why. */
    async endContract(input: {
      contractId: string;
      ending: ContractEnding;
      notify: string[];
      declineEvidenceId?: string;
      cancelReason?: string;
    }): Promise<void> {
      const record = await deps.contracts.get(input.contractId);
      await deps.links.revokeAll({ processId: record.contractId, reason: input.ending });
      const detail =
        input.ending === 'declined' && input.declineEvidenceId
          ? (await deps.contracts.evidence(input.declineEvidenceId)).reason
          : input.cancelReason;
      const recipients: { key: string; to: string; name: string; language: Language; reason: string }[] = [];
      for (const participantId of input.notify) {
        const signer = deps.contracts.signer(record, participantId);
        const reason = ENDING_REASONS[input.ending][signer.language] + (input.ending === 'cancelled' && detail ? `: ${detail}` : '');
        recipients.push({ key: idempotencyKey(participantId), to: signer.email, name: signer.name, language: signer.language, reason });
      }
      // HR hears the decline reason too; the other signers only that it was declined.
      recipients.push({
        key: idempotencyKey('hr'),
        to: record.hr.email,
        name: record.hr.name,
        language: record.hr.language,
        reason: ENDING_REASONS[input.ending][record.hr.language] + (detail ? `: ${detail}` : ''),
      });
      for (const r of recipients) {
        await deps.mail.send({
          idempotencyKey: r.key,
          to: r.to,
          language: r.language,
          template: 'processEnded',
          data: { organization: deps.organization, recipientName: r.name, documentTitle: record.title, reason: r.reason },
        });
      }
    },

    /** Appends the audit certificate to the signed document (keeping every signature valid) and keeps it as a file of its own too. */
    async appendAuditCertificate(input: {
      contractId: string;
      versionId: string;
    }): Promise<{ document: VersionRef; certificate: VersionRef }> {
      return failFastOnBadInput(async () => {
        const { source, certificatePdf, withCertificate } = await certifiedContract(input.contractId, input.versionId);
        const document = await deps.store.saveVersion({
          key: idempotencyKey('document'),
          documentId: source.documentId,
          bytes: withCertificate,
          fileName: source.fileName,
          kind: 'certified',
        });
        const certificate = await deps.store.saveVersion({
          key: idempotencyKey('certificate'),
          bytes: certificatePdf,
          fileName: 'audit-certificate.pdf',
          kind: 'audit-certificate',
        });
        return { document: versionRef(document), certificate: versionRef(certificate) };
      });
    },

    /**
     * The last step before the contract is whole, done in one go because
     * the employee is waiting for it: the audit certificate is appended
     * (every signature stays valid) and the organisation seals the whole
     * document. The certificate is kept as a file of its own too.
     */
    async certifyAndSeal(input: {
      contractId: string;
      versionId: string;
      sealFieldName: string;
      stamp: Omit<SignatureStamp, 'signedAt'> & { signedAt: string };
    }): Promise<{ sealed: VersionRef; certificate: VersionRef }> {
      return failFastOnBadInput(async () => {
        const { source, certificatePdf, withCertificate } = await certifiedContract(input.contractId, input.versionId);
        const plan = await deps.plans.get(source.documentId);
        const sealedPdf = await signFieldForTheLongTerm(
          withCertificate,
          plan,
          input.sealFieldName,
          { ...input.stamp, signedAt: new Date(input.stamp.signedAt) },
          deps.credentials,
          deps.longTermValidity,
        );
        const [sealed, certificate] = await Promise.all([
          deps.store.saveVersion({
            key: idempotencyKey('sealed'),
            documentId: source.documentId,
            bytes: sealedPdf,
            fileName: source.fileName,
            kind: 'sealed',
          }),
          deps.store.saveVersion({
            key: idempotencyKey('certificate'),
            bytes: certificatePdf,
            fileName: 'audit-certificate.pdf',
            kind: 'audit-certificate',
          }),
        ]);
        await deps.audit.append({
          eventId: idempotencyKey('audit'),
          processId: input.contractId,
          actor: 'system',
          action: 'contract.sealed',
          at: new Date(),
          documentSha256: sealed.sha256,
        });
        return { sealed: versionRef(sealed), certificate: versionRef(certificate) };
      });
    },

    /** The sealed contract to every signer and to HR: attached, or behind a link when it is too large to mail. */
    async deliverSealedContract(input: { contractId: string; versionId: string }): Promise<void> {
      const record = await deps.contracts.get(input.contractId);
      const version = await deps.store.getVersion(input.versionId);
      const attach = version.size <= deps.attachmentLimitBytes;
      const attachments = attach
        ? [
            {
              filename: `${record.title.replace(/[^\p{L}\p{N} ._-]/gu, '_')}.pdf`,
              content: await deps.store.readVersion(input.versionId),
              contentType: 'application/pdf',
            },
          ]
        : undefined;
      const expiresAt = new Date(Date.now() + downloadLinkDays * 24 * 3600 * 1000);
      for (const signer of activeSigners(record)) {
        await mailWithLink({
          key: idempotencyKey(signer.participantId),
          record,
          signer,
          purpose: 'download',
          expiresAt,
          template: 'processCompleted',
          attachments,
        });
      }
      const hrKey = idempotencyKey('hr');
      await deps.mail.send({
        idempotencyKey: hrKey,
        to: record.hr.email,
        language: record.hr.language,
        template: 'processCompleted',
        data: {
          organization: deps.organization,
          recipientName: record.hr.name,
          documentTitle: record.title,
          link: `${deps.publicUrl.replace(/\/$/, '')}/api/contracts/${record.contractId}/sealed.pdf`,
        },
        attachments,
      });
    },

    /** Files the sealed contract and its certificate under the task class's records metadata. */
    async archiveContract(input: {
      contractId: string;
      versionId: string;
      certificateVersionId: string;
      taskClass: string;
    }): Promise<{ archiveId: string }> {
      return failFastOnBadInput(async () => {
        const record = await deps.contracts.get(input.contractId);
        const version = await deps.store.getVersion(input.versionId);
        const entry = await deps.archive.store({
          archiveId: `${record.contractId}/sealed`,
          processId: record.contractId,
          processType: 'employmentContract',
          title: record.title,
          versionId: version.versionId,
          documentId: version.documentId,
          sha256: version.sha256,
          attachmentVersionIds: [input.certificateVersionId],
          metadata: recordsMetadataFor(input.taskClass),
          createdAt: record.createdAt,
          archivedAt: new Date(),
        });
        return { archiveId: entry.archiveId };
      });
    },
  };
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
