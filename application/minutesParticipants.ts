import { randomUUID } from 'node:crypto';
import { pageDiff, pdfPageTexts } from '../common/pageTextDiff';
import { ParticipantLinks, type ResolvedLink } from '../links/signerLinks';
import { inspectPdf } from '../signing/errors';
import { type MinutesPerson, type MinutesReviewRecord, MinutesReviews, type SectionComment } from '../store/minutesReviews';
import { reviewUpdate } from '../workflows/checkingRound';
import { type MinutesReviewState, minutesStateQuery } from '../workflows/minutesReview';
import { decideUpdate } from '../workflows/signingRound';
import { type IdentificationOutcome, type IdentityMatching, strongIdentificationFor } from '../verification/identityMatch';
import type { VerificationEvidence } from '../verification/signerVerification';
import type { IdentificationResult, StrongIdentification } from '../verification/strongIdentification';
import { updateMinutes } from './minutes';
import { queryProcess, updateProcess } from './processHandles';
import { type Requester, type ServiceDeps } from './serviceDeps';

/**
 * The checkers', the chair's and the secretary's side of a minutes review,
 * behind their personal links, and the public page of published minutes.
 * What a person wrote and did (comments, consent, typed name, IP, browser)
 * is stored first and the process is given its id.
 */

export interface MinutesLink {
  link: ResolvedLink;
  record: MinutesReviewRecord;
  person: MinutesPerson;
}

type Version = { versionId: string; sha256: string };

export class MinutesParticipantService {
  private readonly reviews = new MinutesReviews();
  private readonly links = new ParticipantLinks();
  readonly strong: StrongIdentification;
  private readonly matching: IdentityMatching;

  constructor(private readonly deps: ServiceDeps) {
    ({ strong: this.strong, matching: this.matching } = strongIdentificationFor(deps, 'minutes'));
  }

  /** True when the body requires this person (its chair or secretary) to identify strongly before signing. */
  needsIdentification({ record, person, link }: MinutesLink): boolean {
    return record.body.identification === 'strong' && link.purpose === 'sign' && person.role !== 'checker';
  }

  /** How this browser identified the person: the evidence of a live identification, or only the link when none is needed. */
  async verified(minutesLink: MinutesLink, proof: string | undefined): Promise<VerificationEvidence | undefined> {
    if (!this.needsIdentification(minutesLink)) return { method: 'none' };
    const { record, person } = minutesLink;
    const identification = await this.strong.check(record.reviewId, person.participantId, proof);
    return identification && { method: 'strongIdentification', verifiedAt: identification.identifiedAt, identification };
  }

  /** The provider's answer, matched against the person's registered identity; a refusal is told to the secretary. */
  identified(minutesLink: MinutesLink, result: IdentificationResult, by: Requester): Promise<IdentificationOutcome> {
    const { record, person } = minutesLink;
    const secretary = this.reviews.current(record).find((p) => p.role === 'secretary') ?? person;
    return this.matching.identified(
      {
        processId: record.reviewId,
        participantId: person.participantId,
        name: person.name,
        documentTitle: record.title,
        identityCodeHash: this.needsIdentification(minutesLink) ? person.identityCode?.hash : undefined,
        staffContact: { name: secretary.name, email: secretary.email, language: secretary.language },
      },
      result,
      by,
    );
  }

  identificationLocked({ record, person }: MinutesLink): Promise<boolean> {
    return this.matching.locked(record.reviewId, person.participantId);
  }

  /** The secretary opens the chair's or their own link locked by refused identifications. */
  async unlockIdentification(reviewId: string, participantId: string, by: Requester): Promise<{ unlocked: boolean }> {
    this.reviews.person(await this.reviews.get(reviewId), participantId);
    return { unlocked: await this.matching.unlock(reviewId, participantId, by) };
  }

  /** The link's review and person; undefined when it names neither; LinkRejectedError when expired or revoked. */
  async open(token: string): Promise<MinutesLink | undefined> {
    const link = await this.links.resolve(token);
    const record = await this.reviews.find(link.processId);
    const person = record?.people.find((p) => p.participantId === link.participantId);
    return record && person ? { link, record, person } : undefined;
  }

  state(reviewId: string): Promise<MinutesReviewState> {
    return queryProcess(this.deps.temporal, reviewId, minutesStateQuery);
  }

  readVersion(versionId: string): Promise<Buffer> {
    return this.deps.store.readVersion(versionId);
  }

  async pageCount(versionId: string): Promise<number> {
    return (await inspectPdf(await this.readVersion(versionId))).pageCount;
  }

  /** What a checker reads: the round's PDF's pages, and what changed from the previous version. */
  async reviewDocument(current: Version, previous: Version | undefined) {
    const pdf = await this.readVersion(current.versionId);
    const { pageCount } = await inspectPdf(pdf);
    const changes = previous
      ? pageDiff(await pdfPageTexts(await this.readVersion(previous.versionId)), await pdfPageTexts(pdf))
      : undefined;
    return { pageCount, changes };
  }

  async recordView({ record, person }: MinutesLink, round: { number: number; version: { sha256: string } }, by: Requester): Promise<void> {
    await this.deps.audit.append({
      eventId: `${record.reviewId}/viewed/${person.participantId}/${round.number}`,
      processId: record.reviewId,
      actor: by.actor,
      action: 'minutes.viewed',
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      documentSha256: round.version.sha256,
    });
  }

  /** A checker's approval or request for corrections: the feedback stored, then the process told its id. */
  async review(
    { record, person }: MinutesLink,
    review: { decision: 'approve' | 'corrections'; versionNumber: number; documentSha256: string; comments: SectionComment[] },
    by: Requester,
  ) {
    const feedbackId = randomUUID();
    await this.reviews.recordFeedback({
      feedbackId,
      reviewId: record.reviewId,
      participantId: person.participantId,
      action: review.decision,
      versionNumber: review.versionNumber,
      documentSha256: review.documentSha256,
      comments: review.comments,
      ip: by.ip,
      userAgent: by.userAgent,
      at: new Date(),
    });
    return updateMinutes(this.deps.temporal, record.reviewId, reviewUpdate, {
      participantId: person.participantId,
      decision: review.decision,
      documentSha256: review.documentSha256,
      feedbackId,
    });
  }

  /** The chair's or the secretary's signature, with the typed name and how they were identified kept as evidence. */
  async sign(
    { record, person }: MinutesLink,
    documentSha256: string,
    typedName: string,
    verification: VerificationEvidence,
    by: Requester,
  ) {
    const feedbackId = randomUUID();
    await this.reviews.recordFeedback({
      feedbackId,
      reviewId: record.reviewId,
      participantId: person.participantId,
      action: 'sign',
      versionNumber: 0,
      documentSha256,
      comments: [],
      typedName: typedName.trim(),
      verification,
      ip: by.ip,
      userAgent: by.userAgent,
      at: new Date(),
    });
    return updateProcess(this.deps.temporal, record.reviewId, decideUpdate, {
      participantId: person.participantId,
      decision: 'sign',
      documentSha256,
      evidenceId: feedbackId,
    });
  }

  allPublished() {
    return this.reviews.allPublished();
  }

  /** The public version of published minutes; undefined when not on the public page. */
  async publishedPdf(reviewId: string): Promise<Buffer | undefined> {
    const published = await this.reviews.published(reviewId);
    return published?.versionId ? this.readVersion(published.versionId) : undefined;
  }
}
