import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { MinutesReviews, type MinutesFeedback, type MinutesReviewRecord, type PublishedMinutes } from '../store/minutesReviews';
import { recordStoreFilters } from './support/storeFilters';

/**
 * The minutes store reads and writes by key (BY_ID_ONLY in store/connection.ts): on the embedded store any
 * other filter scans the whole collection, and the scale benchmark saw a minutes review's mail step take
 * 3.7 s with 1,600 reviews stored. Records stored before the re-keying are still read and changed.
 */

/** Each case its own mark, so a worker's start marking the shared test store does not change what a case sees. */
const unmarked = () => new MinutesReviews(`test-minutes-keyed-${randomUUID()}`);
const filters = recordStoreFilters(/^minutes_|^published_minutes$/);

function review(reviewId: string): MinutesReviewRecord {
  return {
    reviewId,
    body: { id: 'kunnanhallitus', name: 'Kunnanhallitus' },
    meeting: { date: '2026-11-23', number: '7/2026', place: 'Kunnantalo' },
    title: 'Kunnanhallituksen pöytäkirja',
    language: 'fi',
    sections: [{ number: '1', title: 'Avaus', publicity: 'public', firstPage: 1, lastPage: 1 }],
    people: [{ participantId: 'checker-1', role: 'checker', name: 'Tapio Tarkastaja', email: 'tapio@example.test', language: 'fi' }],
    checkingDeadlineAt: new Date('2026-12-07T10:00:00Z'),
    publish: true,
    createdBy: 'dev-secretary',
    createdAt: new Date(),
  };
}

function feedback(reviewId: string, n: number): MinutesFeedback {
  return {
    feedbackId: `${reviewId}-fb-${n}`,
    reviewId,
    participantId: 'checker-1',
    action: n === 1 ? 'corrections' : 'approve',
    versionNumber: n,
    documentSha256: 'ab'.repeat(32),
    comments: [],
    at: new Date(Date.UTC(2026, 10, 30, 10, n)),
  };
}

function published(reviewId: string): PublishedMinutes {
  return {
    reviewId,
    bodyId: 'kunnanhallitus',
    bodyName: 'Kunnanhallitus',
    title: 'Kunnanhallituksen pöytäkirja',
    meeting: { date: '2026-11-23', number: '7/2026', place: 'Kunnantalo' },
    publishedAt: new Date(),
    notifiedOn: '2026-12-01',
    lastDay: '2026-12-15',
    endsAt: new Date('2026-12-15T22:00:00Z'),
    sections: [{ number: '1', title: 'Avaus', shown: 'full' }],
    status: 'rectification_period',
  };
}

it('reads and changes a review, its feedback and its published minutes by their own keys, never by a scan', async () => {
  const reviews = unmarked();
  const reviewId = `minutes-${randomUUID()}`;
  filters.length = 0;
  await reviews.create(review(reviewId));
  await reviews.create(review(reviewId)); // a retried create changes nothing
  await reviews.recordFeedback(feedback(reviewId, 2));
  await reviews.recordFeedback(feedback(reviewId, 1));
  await reviews.publish(published(reviewId));
  expect((await reviews.get(reviewId)).title).toBe('Kunnanhallituksen pöytäkirja');
  await reviews.setSections(reviewId, [{ number: '1', title: 'Kokouksen avaus', publicity: 'public', firstPage: 1, lastPage: 1 }]);
  expect((await reviews.get(reviewId)).sections[0].title).toBe('Kokouksen avaus');
  expect((await reviews.feedbackFor(reviewId)).map((f) => f.feedbackId)).toEqual([`${reviewId}-fb-1`, `${reviewId}-fb-2`]);
  expect((await reviews.feedback(`${reviewId}-fb-1`)).action).toBe('corrections');
  await reviews.updatePublished(reviewId, { status: 'final', finalAt: new Date() });
  expect((await reviews.published(reviewId))?.status).toBe('final');

  expect(filters.length).toBeGreaterThanOrEqual(10);
  for (const filter of filters) expect(Object.keys(filter)).toEqual(['_id']);
  const raw = mongoose.connection;
  expect(await raw.collection('minutes_reviews').countDocuments({ _id: reviewId as never })).toBe(1);
  expect(await raw.collection('published_minutes').countDocuments({ _id: reviewId as never })).toBe(1);
  expect(await raw.collection('minutes_feedback').countDocuments({ _id: `${reviewId}-fb-1` as never })).toBe(1);
});

it('still reads and changes records stored before they were keyed (a generated _id, the id in a field)', async () => {
  const reviews = unmarked();
  const reviewId = `minutes-${randomUUID()}`;
  const raw = mongoose.connection;
  const legacyId = new mongoose.Types.ObjectId();
  await raw.collection('minutes_reviews').insertOne({ _id: legacyId, ...review(reviewId) });
  await raw.collection('minutes_feedback').insertOne({ _id: new mongoose.Types.ObjectId(), ...feedback(reviewId, 1) });
  await raw.collection('published_minutes').insertOne({ _id: new mongoose.Types.ObjectId(), ...published(reviewId) });

  expect((await reviews.get(reviewId)).reviewId).toBe(reviewId);
  await reviews.setSections(reviewId, [{ number: '1', title: 'Uusi otsikko', publicity: 'public', firstPage: 1, lastPage: 1 }]);
  expect((await raw.collection('minutes_reviews').findOne({ _id: legacyId }))?.sections[0].title).toBe('Uusi otsikko');
  expect(await raw.collection('minutes_reviews').countDocuments({ reviewId })).toBe(1);

  // Feedback given after the upgrade on a review from before is found beside the old.
  await reviews.recordFeedback(feedback(reviewId, 2));
  expect((await reviews.feedbackFor(reviewId)).map((f) => f.versionNumber)).toEqual([1, 2]);
  expect((await reviews.feedback(`${reviewId}-fb-1`)).versionNumber).toBe(1);

  await reviews.publish(published(reviewId)); // already published: kept as it was, not written twice
  await reviews.updatePublished(reviewId, { status: 'final' });
  expect((await reviews.published(reviewId))?.status).toBe('final');
  expect(await raw.collection('published_minutes').countDocuments({ reviewId })).toBe(1);
  await expect(reviews.get(`minutes-${randomUUID()}`)).rejects.toThrow(/not found|Minutes review/i);
  expect(await reviews.markKeyedOnce()).toBe('has-earlier-rows');
});

it('marks a store with no minutes records from before the keying once, and then never scans for a miss', async () => {
  // The test store may hold records that earlier versions wrote; this version's are keyed by their id.
  for (const collection of ['minutes_reviews', 'minutes_feedback', 'published_minutes'])
    await mongoose.connection.collection(collection).deleteMany({ _id: { $type: 'objectId' } });
  const mark = `test-minutes-keyed-${randomUUID()}`;
  expect(await new MinutesReviews(mark).markKeyedOnce()).toBe('marked');
  expect(await new MinutesReviews(mark).markKeyedOnce()).toBe('already-marked');
  filters.length = 0;
  await expect(new MinutesReviews(mark).get(`minutes-${randomUUID()}`)).rejects.toThrow(/Minutes review/);
  expect(filters.map((filter) => Object.keys(filter))).toEqual([['_id']]);
});
