import { type AuditLog } from '../audit/auditLog';
import { recordsMetadataFor } from '../config/recordsPlan';
import { type ParticipantLinks } from '../links/signerLinks';
import { type MailSender } from '../mail/mailer';
import type { Language, TemplateName } from '../mail/templates';
import { finnishDate, rectificationPeriod } from '../rules/rectificationPeriod';
import type { SigningCredentials } from '../signing/credentials';
import { signFieldForTheLongTerm, type LongTermValidityServices } from '../signing/longTermValidity';
import { formatStampTime } from '../signing/stampAppearance';
import { stampIdentification } from './auditCertificate';
import { type Archive } from '../store/archive';
import { type DocumentStore } from '../store/documentStore';
import { type MinutesPerson, type MinutesReviewRecord, type MinutesReviews, type MinutesRole } from '../store/minutesReviews';
import { type SignaturePlans } from '../store/signaturePlans';
import { failFastOnBadInput, idempotencyKey } from './activityContext';
import { type VersionRef, versionRef } from './documentActivities';
import { renderPublicMinutes } from './publicMinutes';

/**
 * The minutes review's side effects. Each takes ids, reads the people and
 * comments from the review's record, and does its one thing once. Links
 * are issued and mailed inside the same activity, so tokens never pass
 * through the workflow, its history or staff.
 */

export interface MinutesActivityDeps {
  store: DocumentStore;
  plans: SignaturePlans;
  audit: AuditLog;
  credentials: SigningCredentials;
  longTermValidity: LongTermValidityServices;
  reviews: MinutesReviews;
  links: ParticipantLinks;
  mail: MailSender;
  archive: Archive;
  organization: string;
  publicUrl: string;
}

export const MINUTES_ROLE_LABELS: Record<MinutesRole, Record<Language, string>> = {
  chair: { fi: 'Puheenjohtaja', sv: 'Ordförande', en: 'Chair' },
  secretary: { fi: 'Pöytäkirjanpitäjä', sv: 'Protokollförare', en: 'Secretary' },
  checker: { fi: 'Pöytäkirjantarkastaja', sv: 'Protokolljusterare', en: 'Minute-checker' },
};

const allLanguages = (labels: Record<Language, string>) => `${labels.fi} / ${labels.sv} / ${labels.en}`;

/** Where a participant's personal link points. */
export function minutesLink(publicUrl: string, token: string, language: Language): string {
  return `${publicUrl.replace(/\/$/, '')}/m/${token}?lang=${language}`;
}

export function secretaryPageUrl(publicUrl: string, reviewId: string): string {
  return `${publicUrl.replace(/\/$/, '')}/minutes/${reviewId}`;
}

type LinkMailKind = 'invitation' | 'newVersion' | 'reminder' | 'resend';

const LINK_TEMPLATES: Record<'review' | 'sign', Record<LinkMailKind, TemplateName>> = {
  review: {
    invitation: 'minutesReviewInvitation',
    newVersion: 'minutesNewVersion',
    reminder: 'minutesReviewReminder',
    resend: 'minutesReviewInvitation',
  },
  sign: {
    invitation: 'signatureInvitation',
    newVersion: 'signatureInvitation',
    reminder: 'signatureReminder',
    resend: 'signatureInvitation',
  },
};

/** How long a link stays usable after the deadline it was sent with: the secretary may still extend. */
const LINK_GRACE_MS = 30 * 24 * 3600 * 1000;

export function createMinutesActivities(deps: MinutesActivityDeps) {
  function secretaryOf(record: MinutesReviewRecord): MinutesPerson {
    return record.people.find((p) => p.role === 'secretary')!;
  }

  async function mailLink(input: {
    key: string;
    record: MinutesReviewRecord;
    person: MinutesPerson;
    purpose: 'review' | 'sign';
    kind: LinkMailKind;
    deadline: Date;
  }): Promise<void> {
    // The link is issued once per key, with the send (mail/mailer.ts): a retry after the mail went out mails the
    // same link instead of issuing another, which would revoke the one in the inbox.
    await deps.mail.send({
      idempotencyKey: input.key,
      to: input.person.email,
      language: input.person.language,
      template: LINK_TEMPLATES[input.purpose][input.kind],
      data: {
        organization: deps.organization,
        recipientName: input.person.name,
        documentTitle: input.record.title,
        deadline: input.deadline,
      },
      link: {
        issue: () =>
          deps.links.issue({
            processId: input.record.reviewId,
            participantId: input.person.participantId,
            purpose: input.purpose,
            expiresAt: new Date(input.deadline.getTime() + LINK_GRACE_MS),
          }),
        url: (token) => minutesLink(deps.publicUrl, token, input.person.language),
      },
    });
  }

  async function signAs(
    input: { reviewId: string; participantId: string; versionId: string; feedbackId: string; reason: Record<Language, string> },
    action: string,
    dated: 'decision' | 'applied' = 'decision',
  ): Promise<VersionRef> {
    const record = await deps.reviews.get(input.reviewId);
    const person = deps.reviews.person(record, input.participantId);
    const evidence = await deps.reviews.feedback(input.feedbackId);
    const source = await deps.store.getVersion(input.versionId);
    const plan = await deps.plans.get(source.documentId);
    const signed = await signFieldForTheLongTerm(
      await deps.store.readVersion(input.versionId),
      plan,
      person.fieldName ?? person.participantId,
      // A checker's signature is applied after the chair's and the secretary's: dated when applied, so the signing
      // times rise in the PDF's order (issue 15, C11); the approval's own time is in its reason and the audit trail.
      {
        signerName: person.name,
        role: allLanguages(MINUTES_ROLE_LABELS[person.role]),
        signedAt: dated === 'applied' ? new Date() : new Date(evidence.at),
        reason:
          dated === 'applied' ? `${allLanguages(input.reason)} ${formatStampTime(new Date(evidence.at))}` : allLanguages(input.reason),
        // The chair's and the secretary's own signatures say how they were identified; a checker's is their approval.
        ...(person.role === 'checker' ? {} : { identification: stampIdentification(evidence.verification) }),
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
      processId: record.reviewId,
      actor: `participant:${person.participantId}`,
      action,
      at: new Date(evidence.at),
      ip: evidence.ip,
      userAgent: evidence.userAgent,
      documentSha256: evidence.documentSha256,
      details: {
        role: person.role,
        signedVersionSha256: saved.sha256,
        ...(evidence.verification ? { verification: evidence.verification } : {}),
      },
    });
    return versionRef(saved);
  }

  return {
    /** An invitation, a new version to check, a reminder or a resent link: each with a fresh personal link. */
    async mailMinutesLink(input: {
      reviewId: string;
      participantId: string;
      purpose: 'review' | 'sign';
      kind: LinkMailKind;
      deadlineAt: string;
    }): Promise<void> {
      const record = await deps.reviews.get(input.reviewId);
      const person = deps.reviews.person(record, input.participantId);
      const key = idempotencyKey(input.participantId);
      await mailLink({ key, record, person, purpose: input.purpose, kind: input.kind, deadline: new Date(input.deadlineAt) });
      await deps.audit.append({
        eventId: key,
        processId: record.reviewId,
        actor: 'system',
        action: input.kind === 'reminder' ? 'minutes.reminded' : 'minutes.invited',
        at: new Date(),
        details: { participantId: person.participantId, role: person.role, purpose: input.purpose, kind: input.kind },
      });
    },

    /** The checker's decision in the audit log, with the page's evidence and the hash of the version reviewed. */
    async recordReview(input: {
      reviewId: string;
      participantId: string;
      feedbackId: string;
      round: number;
      versionNumber: number;
    }): Promise<void> {
      const feedback = await deps.reviews.feedback(input.feedbackId);
      await deps.audit.append({
        eventId: idempotencyKey(),
        processId: input.reviewId,
        actor: `participant:${input.participantId}`,
        action: feedback.action === 'approve' ? 'minutes.checker_approved' : 'minutes.corrections_requested',
        at: feedback.at,
        ip: feedback.ip,
        userAgent: feedback.userAgent,
        documentSha256: feedback.documentSha256,
        details: {
          round: input.round,
          versionNumber: input.versionNumber,
          comments: feedback.comments.length,
          sections: feedback.comments.map((c) => c.section).filter(Boolean),
        },
      });
    },

    async tellSecretaryOfCorrections(input: { reviewId: string; feedbackId: string; round: number }): Promise<void> {
      const record = await deps.reviews.get(input.reviewId);
      const feedback = await deps.reviews.feedback(input.feedbackId);
      const checker = deps.reviews.person(record, feedback.participantId);
      const secretary = secretaryOf(record);
      const where = feedback.comments.map((c) => (c.section ? `§ ${c.section}` : c.page ? `s. ${c.page}` : '')).filter(Boolean);
      await deps.mail.send({
        idempotencyKey: idempotencyKey(),
        to: secretary.email,
        language: secretary.language,
        template: 'minutesCorrectionsRequested',
        data: {
          organization: deps.organization,
          recipientName: secretary.name,
          documentTitle: record.title,
          actorName: checker.name,
          reason: where.length ? where.join(', ') : `${feedback.comments.length}`,
          link: secretaryPageUrl(deps.publicUrl, record.reviewId),
        },
      });
    },

    async escalateToSecretary(input: { reviewId: string; deadlineAt: string; awaited: string[] }): Promise<void> {
      const record = await deps.reviews.get(input.reviewId);
      const secretary = secretaryOf(record);
      const awaited = input.awaited.map((id) => deps.reviews.person(record, id).name);
      await deps.mail.send({
        idempotencyKey: idempotencyKey(),
        to: secretary.email,
        language: secretary.language,
        template: 'minutesCheckingOverdue',
        data: {
          organization: deps.organization,
          recipientName: secretary.name,
          documentTitle: record.title,
          deadline: new Date(input.deadlineAt),
          reason: awaited.length
            ? awaited.join(', ')
            : { fi: 'korjattu versio', sv: 'en rättad version', en: 'a corrected version' }[secretary.language],
          link: secretaryPageUrl(deps.publicUrl, record.reviewId),
        },
      });
    },

    async extendLinks(input: { reviewId: string; deadlineAt: string }): Promise<void> {
      await deps.links.extend({ processId: input.reviewId, expiresAt: new Date(new Date(input.deadlineAt).getTime() + LINK_GRACE_MS) });
    },

    /** The replacement now holds the role: the earlier person's links stop working, and they hear of it if they had been asked to act. */
    async replaceParticipant(input: {
      reviewId: string;
      participantId: string;
      replacementId: string;
      notifyPrevious: boolean;
    }): Promise<void> {
      await deps.reviews.confirmReplacement(input.reviewId, input.participantId, input.replacementId);
      await deps.links.revokeAll({ processId: input.reviewId, participantId: input.participantId, reason: 'reassigned' });
      if (!input.notifyPrevious) return;
      const record = await deps.reviews.get(input.reviewId);
      const previous = deps.reviews.person(record, input.participantId);
      await deps.mail.send({
        idempotencyKey: idempotencyKey(),
        to: previous.email,
        language: previous.language,
        template: 'processEnded',
        data: {
          organization: deps.organization,
          recipientName: previous.name,
          documentTitle: record.title,
          reason: {
            fi: 'tehtävä on siirretty toiselle henkilölle',
            sv: 'uppgiften har överförts till en annan person',
            en: 'the task has been given to another person',
          }[previous.language],
        },
      });
    },

    /** One field per signer: the chair and the secretary first, then each checker. */
    async signatureFields(input: { reviewId: string }): Promise<{ name: string; label: string }[]> {
      const record = await deps.reviews.get(input.reviewId);
      const order: MinutesRole[] = ['chair', 'secretary', 'checker'];
      return (
        deps.reviews
          .current(record)
          .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role))
          // Role labels only: the names are in the stamps, and this list passes through the workflow's history.
          .map((p) => ({ name: p.fieldName ?? p.participantId, label: allLanguages(MINUTES_ROLE_LABELS[p.role]) }))
      );
    },

    async signMinutesAsParticipant(input: {
      reviewId: string;
      participantId: string;
      versionId: string;
      feedbackId: string;
    }): Promise<VersionRef> {
      return failFastOnBadInput(() =>
        signAs(
          { ...input, reason: { fi: 'Allekirjoitan pöytäkirjan', sv: 'Jag undertecknar protokollet', en: 'I sign the minutes' } },
          'minutes.signed',
        ),
      );
    },

    /** The checker's approval of the final version becomes their signature "checked" (tarkastettu): the approval's time in its text. */
    async signAsChecker(input: { reviewId: string; participantId: string; versionId: string; feedbackId: string }): Promise<VersionRef> {
      return failFastOnBadInput(() =>
        signAs({ ...input, reason: { fi: 'Tarkastettu', sv: 'Justerat', en: 'Checked' } }, 'minutes.checked_signature', 'applied'),
      );
    },

    async computeRectificationPeriod(input: {
      publishedAt: string;
    }): Promise<{ publishedOn: string; notifiedOn: string; lastDay: string; endsAt: string }> {
      const period = rectificationPeriod(new Date(input.publishedAt));
      return {
        publishedOn: period.publishedOn,
        notifiedOn: period.notifiedOn,
        lastDay: period.lastDay,
        endsAt: period.endsAt.toISOString(),
      };
    },

    /** Puts the public version on the public page with the rectification instructions and dates. */
    async publishMinutes(input: {
      reviewId: string;
      sealedVersionId: string;
      publishedAt: string;
      period: { publishedOn: string; notifiedOn: string; lastDay: string; endsAt: string };
    }): Promise<{ publicVersionId: string }> {
      return failFastOnBadInput(async () => {
        const record = await deps.reviews.get(input.reviewId);
        const { pdf, sections } = await renderPublicMinutes({
          header: {
            organization: deps.organization,
            bodyName: record.body.name,
            title: record.title,
            meeting: record.meeting,
            ...input.period,
          },
          sections: record.sections,
          phase: 'period',
          minutesPdf: await deps.store.readVersion(input.sealedVersionId),
          replacement: record.publicVersionId ? await deps.store.readVersion(record.publicVersionId) : undefined,
        });
        const saved = await deps.store.saveVersion({
          key: idempotencyKey(),
          bytes: pdf,
          fileName: 'poytakirja-julkinen.pdf',
          kind: 'public',
        });
        await deps.reviews.publish({
          reviewId: record.reviewId,
          bodyId: record.body.id,
          bodyName: record.body.name,
          title: record.title,
          meeting: record.meeting,
          publishedAt: new Date(input.publishedAt),
          notifiedOn: input.period.notifiedOn,
          lastDay: input.period.lastDay,
          endsAt: new Date(input.period.endsAt),
          versionId: saved.versionId,
          sections,
          status: 'rectification_period',
        });
        return { publicVersionId: saved.versionId };
      });
    },

    /** The period is over: the minutes are final and personal data leaves the public page. */
    async endRectificationPeriod(input: { reviewId: string; sealedVersionId: string }): Promise<void> {
      return failFastOnBadInput(async () => {
        const record = await deps.reviews.get(input.reviewId);
        const published = await deps.reviews.published(record.reviewId);
        if (!published) throw new Error(`Minutes ${record.reviewId} were never published`);
        const header = {
          organization: deps.organization,
          bodyName: record.body.name,
          title: record.title,
          meeting: record.meeting,
          publishedOn: finnishDate(published.publishedAt),
          notifiedOn: published.notifiedOn,
          lastDay: published.lastDay,
        };
        const carriesPersonalData = record.sections.some((s) => s.publicity === 'personalData');
        // The secretary's own public version cannot be cut by section: if it may carry personal data it comes off entirely.
        const keepReplacement = record.publicVersionId && !carriesPersonalData;
        const { pdf, sections } = await renderPublicMinutes({
          header,
          sections: record.sections,
          phase: 'final',
          minutesPdf: await deps.store.readVersion(input.sealedVersionId),
          replacement: keepReplacement ? await deps.store.readVersion(record.publicVersionId!) : undefined,
        });
        const offline = record.publicVersionId && !keepReplacement;
        const saved = offline
          ? undefined
          : await deps.store.saveVersion({ key: idempotencyKey(), bytes: pdf, fileName: 'poytakirja-julkinen.pdf', kind: 'public-final' });
        await deps.reviews.updatePublished(record.reviewId, {
          versionId: saved?.versionId,
          sections,
          status: 'final',
          finalAt: new Date(),
        });
      });
    },

    async archiveMinutes(input: {
      reviewId: string;
      sealedVersionId: string;
      taskClass: string;
      publicVersionId?: string;
    }): Promise<{ archiveId: string }> {
      return failFastOnBadInput(async () => {
        const record = await deps.reviews.get(input.reviewId);
        const version = await deps.store.getVersion(input.sealedVersionId);
        const entry = await deps.archive.store({
          archiveId: `${record.reviewId}/sealed`,
          processId: record.reviewId,
          processType: 'minutesReview',
          title: `${record.body.name}: ${record.title}`,
          versionId: version.versionId,
          documentId: version.documentId,
          sha256: version.sha256,
          attachmentVersionIds: input.publicVersionId ? [input.publicVersionId] : [],
          metadata: recordsMetadataFor(input.taskClass),
          createdAt: record.createdAt,
          archivedAt: new Date(),
        });
        return { archiveId: entry.archiveId };
      });
    },

    /** The review ends unfinished: links stop working and everyone involved is told why. */
    async endReview(input: { reviewId: string; ending: 'cancelled' | 'expired' | 'declined'; reason: string }): Promise<void> {
      const record = await deps.reviews.get(input.reviewId);
      await deps.links.revokeAll({ processId: record.reviewId, reason: input.ending });
      const reasons = {
        cancelled: { fi: 'tarkastus peruttiin', sv: 'justeringen avbröts', en: 'the review was cancelled' },
        expired: {
          fi: 'allekirjoituksen määräaika päättyi',
          sv: 'tidsfristen för underskrift gick ut',
          en: 'the deadline for signing passed',
        },
        declined: { fi: 'allekirjoittaja kieltäytyi', sv: 'en undertecknare avböjde', en: 'a signer declined' },
      }[input.ending];
      for (const person of deps.reviews.current(record)) {
        const detail = input.ending === 'cancelled' && input.reason !== 'cancelled' ? `: ${input.reason}` : '';
        await deps.mail.send({
          idempotencyKey: idempotencyKey(person.participantId),
          to: person.email,
          language: person.language,
          template: 'processEnded',
          data: {
            organization: deps.organization,
            recipientName: person.name,
            documentTitle: record.title,
            reason: reasons[person.language] + detail,
          },
        });
      }
    },
  };
}

export type MinutesActivities = ReturnType<typeof createMinutesActivities>;
