import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import type { Language } from '../mail/templates';
import type { RegisteredIdentity } from '../verification/identityMatch';
import type { VerificationEvidence } from '../verification/signerVerification';
import { addToIdList, idList, idListModel, isDuplicateKey } from './keyedWrites';
import { KeyedSince } from './keyedSince';

/**
 * The personal side of a minutes review (pöytäkirjan tarkastus): who checks
 * and signs, their contact details, the sections of the minutes and how
 * public each is; the checkers' feedback with its evidence; and what is on
 * the public page. The workflow carries only ids, roles, hashes and times.
 */

export const MINUTES_ROLES = ['chair', 'secretary', 'checker'] as const;
export type MinutesRole = (typeof MINUTES_ROLES)[number];

/** public: published in full; personalData: published during the rectification period only; confidential: never, only a note that it was handled. */
export const SECTION_PUBLICITY = ['public', 'personalData', 'confidential'] as const;
export type SectionPublicity = (typeof SECTION_PUBLICITY)[number];

export interface MinutesSection {
  /** The section number as printed, e.g. "45" for § 45. */
  number: string;
  title: string;
  publicity: SectionPublicity;
  /** Pages of the current version the section is on (1-based, inclusive). */
  firstPage: number;
  lastPage: number;
}

export interface MinutesPerson {
  participantId: string;
  role: MinutesRole;
  name: string;
  email: string;
  language: Language;
  /** The signature field this person fills: their own id, or that of the person they replaced. */
  fieldName?: string;
  /** Set when an admin handed the role to someone else. */
  replacedBy?: string;
  /** The chair's or secretary's registered identity, when the body requires strong identification; never shown or logged. */
  identityCode?: RegisteredIdentity;
}

/** A person as staff see them: without the registered identity. */
export function shownPerson(person: MinutesPerson): Omit<MinutesPerson, 'identityCode'> {
  const { identityCode: _identityCode, ...shown } = person;
  return shown;
}

export interface MinutesReviewRecord {
  reviewId: string;
  /** The body (toimielin) whose minutes these are; `identification: "strong"` when it requires its chair and secretary to identify strongly. */
  body: { id: string; name: string; identification?: 'link' | 'strong' };
  meeting: { date: string; number: string; place: string };
  title: string;
  language: Language;
  sections: MinutesSection[];
  people: MinutesPerson[];
  checkingDeadlineAt: Date;
  publish: boolean;
  /** A separate public version uploaded by the secretary, used instead of an extract. */
  publicVersionId?: string;
  createdBy: string;
  createdAt: Date;
}

const reviewSchema = new Schema<MinutesReviewRecord & { _id: string }>(
  {
    _id: { type: String, required: true },
    reviewId: { type: String, required: true, unique: true },
    body: { type: Schema.Types.Mixed, required: true },
    meeting: { type: Schema.Types.Mixed, required: true },
    title: { type: String, required: true },
    language: { type: String, required: true },
    sections: { type: Schema.Types.Mixed, required: true },
    people: { type: Schema.Types.Mixed, required: true },
    checkingDeadlineAt: { type: Date, required: true },
    publish: { type: Boolean, required: true },
    publicVersionId: String,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'minutes_reviews' },
);

const ReviewModel = storeModel<MinutesReviewRecord & { _id: string }>('MinutesReview', reviewSchema);

export interface SectionComment {
  /** A section number, or absent for a comment on the whole or on a page. */
  section?: string;
  page?: number;
  text: string;
}

/** What a checker (or signer) did on their page, with the evidence. */
export interface MinutesFeedback {
  feedbackId: string;
  reviewId: string;
  participantId: string;
  action: 'approve' | 'corrections' | 'sign';
  versionNumber: number;
  documentSha256: string;
  comments: SectionComment[];
  typedName?: string;
  /** How the chair or secretary was identified before signing (provider, level, transaction; never the identity code). */
  verification?: VerificationEvidence;
  ip?: string;
  userAgent?: string;
  at: Date;
}

const feedbackSchema = new Schema<MinutesFeedback & { _id: string }>(
  {
    _id: { type: String, required: true },
    feedbackId: { type: String, required: true, unique: true },
    reviewId: { type: String, required: true, index: true },
    participantId: { type: String, required: true },
    action: { type: String, required: true },
    versionNumber: { type: Number, required: true },
    documentSha256: { type: String, required: true },
    comments: { type: Schema.Types.Mixed, default: [] },
    typedName: String,
    verification: Schema.Types.Mixed,
    ip: String,
    userAgent: String,
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'minutes_feedback' },
);

const FeedbackModel = storeModel<MinutesFeedback & { _id: string }>('MinutesFeedback', feedbackSchema);
/** Each review's feedback ids in the order given, so its feedback is read by key. */
const FeedbackListModel = idListModel('MinutesFeedbackList', 'minutes_feedback_lists', {
  appendOnly: 'Feedback on minutes is evidence: it is only ever added to',
});

export interface PublishedSection {
  number: string;
  title: string;
  /** full: on the public page and in its PDF; note: only that it was handled; removed: personal data taken off after the period. */
  shown: 'full' | 'note' | 'removed';
}

export interface PublishedMinutes {
  reviewId: string;
  bodyId: string;
  bodyName: string;
  title: string;
  meeting: { date: string; number: string; place: string };
  publishedAt: Date;
  notifiedOn: string;
  lastDay: string;
  endsAt: Date;
  /** The public PDF; absent once nothing of it may stay online. */
  versionId?: string;
  sections: PublishedSection[];
  status: 'rectification_period' | 'final';
  finalAt?: Date;
}

const publishedSchema = new Schema<PublishedMinutes & { _id: string }>(
  {
    _id: { type: String, required: true },
    reviewId: { type: String, required: true, unique: true },
    bodyId: { type: String, required: true, index: true },
    bodyName: { type: String, required: true },
    title: { type: String, required: true },
    meeting: { type: Schema.Types.Mixed, required: true },
    publishedAt: { type: Date, required: true },
    notifiedOn: { type: String, required: true },
    lastDay: { type: String, required: true },
    endsAt: { type: Date, required: true },
    versionId: String,
    sections: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    finalAt: Date,
  },
  { versionKey: false, collection: 'published_minutes' },
);

const PublishedModel = storeModel<PublishedMinutes & { _id: string }>('PublishedMinutes', publishedSchema);

function plain<T>(record: T & { _id?: unknown }): T {
  const { _id, ...rest } = record;
  return rest as T;
}

/** The mark that the store holds no review, feedback or published minutes from before they were keyed by id. */
export const MINUTES_KEYED = 'minutes-keyed';

/**
 * Reviews, feedback and published minutes are keyed by their own id (BY_ID_ONLY in store/connection.ts): a
 * lookup by another field scans the whole collection on the embedded store, which made each minutes review's
 * steps slower the more reviews there were. Records stored before are still found by their id field (KeyedSince).
 */
export class MinutesReviews {
  private readonly keyed: KeyedSince;

  /** `keyedMark`: tests use marks of their own. */
  constructor(keyedMark = MINUTES_KEYED) {
    this.keyed = new KeyedSince(keyedMark);
  }

  async create(record: MinutesReviewRecord): Promise<void> {
    try {
      await ReviewModel.create({ _id: record.reviewId, ...record });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async get(reviewId: string): Promise<MinutesReviewRecord> {
    const record = await this.keyed.find(ReviewModel, 'reviewId', reviewId);
    if (!record) throw new NotFoundError(`Minutes review ${reviewId}`);
    return plain(record);
  }

  async find(reviewId: string): Promise<MinutesReviewRecord | undefined> {
    const record = await this.keyed.find(ReviewModel, 'reviewId', reviewId);
    return record ? plain(record) : undefined;
  }

  async list(limit = 200): Promise<MinutesReviewRecord[]> {
    return (await ReviewModel.find({}).sort({ createdAt: -1 }).limit(limit).lean()).map(plain);
  }

  person(record: MinutesReviewRecord, participantId: string): MinutesPerson {
    const person = record.people.find((p) => p.participantId === participantId);
    if (!person) throw new NotFoundError(`Participant ${participantId} of minutes review ${record.reviewId}`);
    return person;
  }

  /** The section pages follow the newest version; numbers, titles and publicity never change. */
  async setSections(reviewId: string, sections: MinutesSection[]): Promise<void> {
    await this.keyed.update(ReviewModel, 'reviewId', reviewId, { $set: { sections } });
  }

  async setPublicVersion(reviewId: string, versionId: string): Promise<void> {
    await this.keyed.update(ReviewModel, 'reviewId', reviewId, { $set: { publicVersionId: versionId } });
  }

  /** The people who hold a role now (not those an admin replaced). */
  current(record: MinutesReviewRecord): MinutesPerson[] {
    return record.people.filter((p) => !p.replacedBy);
  }

  /**
   * An admin hands a role to another person: the replacement is stored here
   * under a new participant id, which is all the workflow is told.
   */
  async stageReplacement(reviewId: string, participantId: string, person: { name: string; email: string }): Promise<string> {
    const record = await this.get(reviewId);
    const previous = this.person(record, participantId);
    const replacementId = `${previous.fieldName ?? previous.participantId}-r${record.people.length + 1}`;
    // The replacement is another person: the earlier person's registered identity does not go with the role.
    const { identityCode: _identityCode, ...role } = previous;
    const replacement: MinutesPerson = {
      ...role,
      ...person,
      participantId: replacementId,
      fieldName: previous.fieldName ?? previous.participantId,
      replacedBy: undefined,
    };
    await this.keyed.update(ReviewModel, 'reviewId', reviewId, { $set: { people: [...record.people, replacement] } });
    return replacementId;
  }

  async discardReplacement(reviewId: string, replacementId: string): Promise<void> {
    const record = await this.get(reviewId);
    await this.keyed.update(ReviewModel, 'reviewId', reviewId, {
      $set: { people: record.people.filter((p) => p.participantId !== replacementId) },
    });
  }

  /** The workflow accepted the replacement: the earlier person no longer holds the role. */
  async confirmReplacement(reviewId: string, participantId: string, replacementId: string): Promise<void> {
    const record = await this.get(reviewId);
    const people = record.people.map((p) => (p.participantId === participantId ? { ...p, replacedBy: replacementId } : p));
    await this.keyed.update(ReviewModel, 'reviewId', reviewId, { $set: { people } });
  }

  /** Listed first, then stored: a crash between the two leaves an id that reads as nothing, never feedback that is not read. */
  async recordFeedback(feedback: MinutesFeedback): Promise<void> {
    await addToIdList(FeedbackListModel, feedback.reviewId, [feedback.feedbackId]);
    await FeedbackModel.create({ _id: feedback.feedbackId, ...feedback });
  }

  async feedback(feedbackId: string): Promise<MinutesFeedback> {
    const record = await this.keyed.find(FeedbackModel, 'feedbackId', feedbackId);
    if (!record) throw new NotFoundError(`Feedback ${feedbackId}`);
    return plain(record);
  }

  /** Whether the review is stored under its key, and so everything of it written since is too. */
  private async isKeyed(reviewId: string): Promise<boolean> {
    return (await ReviewModel.findById(reviewId, { _id: 1 }).lean()) !== null;
  }

  /** A review stored under its key has all its feedback listed; an older one's is found by a scan. */
  async feedbackFor(reviewId: string): Promise<MinutesFeedback[]> {
    const records = (await this.isKeyed(reviewId))
      ? (await Promise.all((await idList(FeedbackListModel, reviewId)).map((id) => FeedbackModel.findById(id).lean()))).filter(
          (record) => record !== null,
        )
      : ((await this.keyed.earlier(() => FeedbackModel.find({ reviewId }).lean())) ?? []);
    return records.map(plain).sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  async publish(entry: PublishedMinutes): Promise<void> {
    if (await this.published(entry.reviewId)) return;
    try {
      await PublishedModel.create({ _id: entry.reviewId, ...entry });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async updatePublished(
    reviewId: string,
    change: Partial<Pick<PublishedMinutes, 'versionId' | 'sections' | 'status' | 'finalAt'>>,
  ): Promise<void> {
    const unset = 'versionId' in change && change.versionId === undefined ? { versionId: 1 } : undefined;
    const { versionId, ...rest } = change;
    await this.keyed.update(PublishedModel, 'reviewId', reviewId, {
      $set: { ...rest, ...(versionId ? { versionId } : {}) },
      ...(unset ? { $unset: unset } : {}),
    });
  }

  async published(reviewId: string): Promise<PublishedMinutes | undefined> {
    // Minutes not yet published are looked for by a scan only when their review is from before the keying.
    const record =
      (await PublishedModel.findById(reviewId).lean()) ??
      ((await this.isKeyed(reviewId)) ? null : await this.keyed.earlier(() => PublishedModel.findOne({ reviewId }).lean()));
    return record ? plain(record) : undefined;
  }

  /** At a worker's start: marks the store once it holds no minutes records from before the keying (see KeyedSince). */
  markKeyedOnce() {
    return this.keyed.markOnce([ReviewModel, FeedbackModel, PublishedModel] as never[]);
  }

  async allPublished(): Promise<PublishedMinutes[]> {
    return (await PublishedModel.find({}).sort({ publishedAt: -1 }).limit(500).lean()).map(plain);
  }
}
