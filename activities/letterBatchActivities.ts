import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type PostalAddress, MessagesServiceError } from '../integrations/suomifiMessages/messagesService';
import { maskIdentifier, parsePartyIdentifier } from '../rules/identifiers';
import {
  type Channel,
  checkLetterPdf,
  checkLetterTitle,
  deemedNotificationDate,
  FINAL_DELIVERY_EVENTS,
  finnishCalendarDate,
  letterCostCents,
  letterProcessId,
  parseLetterProcessId,
} from '../rules/officialMail';
import { inspectPdf, PdfError } from '../signing/errors';
import { activityTallyKey, countLetters, type FinalStatus, type LetterPageTallies } from '../store/letterPageTallies';
import { type LetterTemplateRecord, type LetterTemplates } from '../store/letterTemplates';
import { type LetterRecord, type LetterStatus } from '../store/letters';
import type { AuditEvent } from '../audit/auditLog';
import type { BatchTotals } from '../workflows/letterBatch';
import type { FinalDelivery, TrackedEvent } from '../workflows/letterDeliveryTracking';
import type { LetterActivityDeps } from './letterActivities';
import { type LetterSending } from './letterSending';
import { renderTemplateLetter } from './templateLetterPdf';

/**
 * A batch page's letters sent in bulk, in one activity rather than one
 * workflow each: every row checked, its address resolved and the letter
 * sent, a few at a time, each outcome written to the letter's record. The
 * externalId is the row's letter id, so a retried activity or a killed
 * worker never sends twice: rows already recorded are skipped, and a
 * resend of one sent but not yet recorded is answered 409 and counted as
 * sent. A row the service fails for now (5xx, timeout) is tried a few
 * times here, then handed back for the workflow to retry later on its own.
 */

export interface PageDispatch {
  /** Rows settled by this call or an earlier one: sent, without a channel, or rejected. */
  totals: BatchTotals;
  /** Rows not sent (no channel, rejected): nothing will be heard of them. */
  untrackedRows: number[];
  /** Rows that met only passing failures; the workflow retries them later. */
  retryRows: number[];
  retryReason?: string;
}

const TO_WORK_LIST: LetterStatus[] = ['returned_to_sender', 'unresolved'];
const SENT_STATUSES = new Set<LetterStatus>([
  'sent',
  'read',
  'receipt_confirmed',
  'delivered',
  'returned_to_sender',
  'unresolved',
  'unconfirmed',
]);

/** Attempts of one send inside the activity, and the pauses between them. */
const SEND_ATTEMPTS = 3;
const SEND_BACKOFF_MS = [500, 2000];

function emptyTotals(): BatchTotals {
  return { dispatched: 0, electronic: 0, paper: 0, noChannel: 0, rejected: 0, failed: 0, costCents: 0, paperCostCents: 0 };
}

function count(totals: BatchTotals, letter: Pick<LetterRecord, 'status' | 'channel' | 'costCents' | 'paperCostCents'>): void {
  if (SENT_STATUSES.has(letter.status)) {
    totals.dispatched += 1;
    if (letter.channel) totals[letter.channel] += 1;
    totals.costCents += letter.costCents ?? 0;
    totals.paperCostCents += letter.paperCostCents ?? 0;
  } else if (letter.status === 'no_channel') totals.noChannel += 1;
  else if (letter.status === 'rejected') totals.rejected += 1;
  else if (letter.status === 'failed') totals.failed += 1;
}

/** The tracker a final-state activity runs for: its id keys the page's tally and audit trail. */
function pageTracker(): string | undefined {
  return Context.current().info.workflowExecution?.workflowId;
}

class Rejected extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createLetterBatchActivities(
  deps: LetterActivityDeps & { templates: LetterTemplates; tallies: LetterPageTallies },
  sending: LetterSending,
  ensureEventPoller: () => Promise<void>,
) {
  const templates = new Map<string, Promise<LetterTemplateRecord>>();
  const template = (templateId: string) => {
    let cached = templates.get(templateId);
    if (!cached) {
      cached = deps.templates.get(templateId);
      cached.catch(() => templates.delete(templateId));
      templates.set(templateId, cached);
      if (templates.size > 20) templates.delete(templates.keys().next().value!);
    }
    return cached;
  };

  /**
   * Outcomes and audit events gathered and written a hundred at a time: one
   * round trip each, not one per letter. `tally.settled` holds every row this
   * sending has settled so far; each write brings the page's tally up to it.
   */
  function outcomeWriter(tally: {
    pageKey: string;
    batchId: string;
    activityKey: string;
    settled: Pick<LetterRecord, 'status' | 'channel' | 'costCents' | 'paperCostCents'>[];
  }) {
    let changes: Parameters<typeof deps.letters.updateMany>[0] = [];
    let audits: AuditEvent[] = [];
    let workList: Parameters<typeof deps.letters.addManyToWorkList>[0] = [];
    let writing = Promise.resolve();
    const flush = () => {
      // Counted now: the rows settled up to this flush, whose records this write completes.
      const batch = { changes, audits, workList, counts: countLetters(tally.settled) };
      changes = [];
      audits = [];
      workList = [];
      writing = writing.then(async () => {
        await deps.letters.updateMany(batch.changes);
        await deps.tallies.setSending(tally.pageKey, tally.batchId, tally.activityKey, batch.counts);
        await deps.letters.addManyToWorkList(batch.workList);
        await deps.audit.appendMany(batch.audits);
      });
      return writing;
    };
    return {
      add(change: (typeof changes)[number], audit?: AuditEvent, workItem?: (typeof workList)[number]) {
        changes.push(change);
        if (audit) audits.push(audit);
        if (workItem) workList.push(workItem);
        if (changes.length >= 100) void flush().catch(() => undefined);
      },
      done: () => flush(),
    };
  }

  /** The row's PDF: the shared stored version, or the row rendered from its template. */
  async function rowDocument(
    letter: LetterRecord,
  ): Promise<{ bytes: Buffer; fileName: string; sha256: string; pages: number; shared?: string }> {
    try {
      if (letter.template) {
        const bytes = await renderTemplateLetter({
          template: await template(letter.template.templateId),
          fields: letter.template.fields,
          organization: deps.organization,
          date: finnishCalendarDate(new Date(letter.createdAt)).split('-').reverse().join('.'),
        });
        const { pageSizes } = await inspectPdf(bytes);
        const problem = checkLetterPdf({ size: bytes.length, pageSizes }, deps.config.maxPdfBytes);
        if (problem) throw new Rejected(`LetterRejected.${problem.code}`, problem.message);
        return { bytes, fileName: `${letter._id}.pdf`, sha256: createHash('sha256').update(bytes).digest('hex'), pages: pageSizes.length };
      }
      const pdf = await sending.letterPdf(letter.versionId!);
      const problem = checkLetterPdf({ size: pdf.size, pageSizes: pdf.pageSizes }, deps.config.maxPdfBytes);
      if (problem) throw new Rejected(`LetterRejected.${problem.code}`, problem.message);
      return { bytes: pdf.bytes, fileName: pdf.fileName, sha256: pdf.sha256, pages: pdf.pageSizes.length, shared: letter.versionId };
    } catch (error) {
      if (error instanceof PdfError) throw new Rejected(`LetterRejected.${error.code}`, error.message);
      throw error;
    }
  }

  /** Where the paper part goes: the given address, the register's, or (under a security ban) one held only until the send. */
  async function resolveAddress(
    letter: LetterRecord,
  ): Promise<{ addressFrom: NonNullable<LetterRecord['addressFrom']>; stored?: LetterRecord['address']; send?: PostalAddress }> {
    if (letter.address) return { addressFrom: 'given', send: await sending.paperAddress(letter) };
    if (letter.recipientKind !== 'person') return { addressFrom: 'none' };
    let found;
    try {
      found = await sending.lookup(letter.recipientId);
    } catch (error) {
      if (error instanceof ApplicationFailure) throw new Rejected(error.type ?? 'PopulationRegister.refused', error.message);
      throw error;
    }
    if (found.kind === 'found') {
      const stored = { name: found.name, ...found.address, countryCode: 'FI' };
      return { addressFrom: 'register', stored, send: await sending.paperAddress({ ...letter, address: stored }) };
    }
    if (found.kind === 'security_ban' && found.protectedAddress) {
      const hidden = found.protectedAddress.reveal();
      return {
        addressFrom: 'security_ban',
        send: { name: hidden.name, streetAddress: hidden.street, zipCode: hidden.postalCode, city: hidden.city, countryCode: 'FI' },
      };
    }
    return { addressFrom: found.kind === 'security_ban' ? 'security_ban' : 'none' };
  }

  /** A call to the service tried a few times for passing failures; a 4xx is thrown at once. */
  async function withBackoff<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const passing = !(error instanceof MessagesServiceError) || error.retryable;
        if (!passing || attempt >= SEND_ATTEMPTS) throw error;
        await sleep(SEND_BACKOFF_MS[attempt - 1] ?? 2000);
      }
    }
  }

  return {
    async dispatchLetterRows(input: {
      batchId: string;
      rows: number[];
      trackerId: string;
      requestedBy: string;
      concurrency?: number;
    }): Promise<PageDispatch> {
      const context = Context.current();
      const ids = input.rows.map((row) => letterProcessId(input.batchId, row));
      const records = await deps.letters.getMany(ids);
      const result: PageDispatch = { totals: emptyTotals(), untrackedRows: [], retryRows: [] };
      const todo: LetterRecord[] = [];
      const settledBefore: LetterRecord[] = [];
      for (const id of ids) {
        const letter = records.get(id);
        if (!letter) throw ApplicationFailure.create({ type: 'LetterMissing', message: `No letter record ${id}`, nonRetryable: true });
        if (letter.status === 'created') todo.push(letter);
        else {
          settledBefore.push(letter); // by an earlier attempt
          count(result.totals, letter);
          if (!SENT_STATUSES.has(letter.status)) result.untrackedRows.push(letter.row!);
        }
      }
      const tally = {
        pageKey: input.trackerId,
        batchId: input.batchId,
        activityKey: activityTallyKey(context.info),
        settled: [...settledBefore],
      };
      // An earlier attempt may have stopped between its letters' records and the page's tally.
      if (settledBefore.length) await deps.tallies.setSending(tally.pageKey, tally.batchId, tally.activityKey, countLetters(tally.settled));
      if (!todo.length) return result;

      // The channel for all of the page at once: the ids with an active mailbox (at most 10,000 a call).
      const mailboxes = new Set<string>();
      for (let i = 0; i < todo.length; i += 10_000) {
        for (const id of await withBackoff(() => deps.messages.activeMailboxes(todo.slice(i, i + 10_000).map((l) => l.recipientId))))
          mailboxes.add(id);
      }
      // The tracker is named before anything is sent, so the event poller can route the very first event (the API names it at upload).
      await deps.letters.updateMany(
        todo
          .filter((letter) => letter.trackedBy !== input.trackerId)
          .map((letter) => ({ letterId: letter._id, set: { trackedBy: input.trackerId } })),
      );

      const writer = outcomeWriter(tally);
      const settle = (
        letter: LetterRecord,
        set: Partial<LetterRecord> & { status: LetterStatus },
        audit?: { action: string; details: Record<string, unknown>; sha256?: string },
      ) => {
        const settled = { ...letter, ...set };
        tally.settled.push(settled);
        count(result.totals, settled);
        if (!SENT_STATUSES.has(settled.status)) result.untrackedRows.push(letter.row!);
        // Only this activity moves a letter on from "created"; the tracker waits for "sent" before recording a final state.
        const { status } = set;
        writer.add(
          { letterId: letter._id, set },
          audit && {
            eventId: `${letter._id}/${audit.action}`,
            processId: letter.processId,
            trail: input.trackerId,
            actor: status === 'sent' ? input.requestedBy : 'system',
            action: audit.action,
            at: new Date(),
            details: audit.details,
            documentSha256: audit.sha256,
          },
          status === 'no_channel' ? { letterId: letter._id, batchId: letter.batchId, row: letter.row, reason: 'no_channel' } : undefined,
        );
      };

      async function dispatchOne(letter: LetterRecord): Promise<void> {
        try {
          const title = checkLetterTitle(letter.title);
          if (title) throw new Rejected(`LetterRejected.${title.code}`, title.message);
          const party = parsePartyIdentifier(letter.recipientId);
          if (!party.valid) throw new Rejected(`LetterRejected.recipient_${party.problem}`, party.message);
          const document = await rowDocument(letter);
          const address = await resolveAddress(letter);
          const placed = { addressFrom: address.addressFrom, ...(address.stored ? { address: address.stored } : {}) };
          const electronic = mailboxes.has(letter.recipientId);
          if (!electronic && !address.send) {
            settle(
              letter,
              { ...placed, status: 'no_channel', failure: { code: 'no_address', reason: 'No Suomi.fi mailbox and no postal address' } },
              { action: 'letter.no_channel', details: { recipient: maskIdentifier(letter.recipientId) } },
            );
            return;
          }
          const attachmentId = await withBackoff(() =>
            document.shared
              ? sending.sharedAttachment(document.shared, {
                  bytes: document.bytes,
                  fileName: document.fileName,
                  size: document.bytes.length,
                  sha256: document.sha256,
                  pageSizes: [],
                })
              : deps.messages.uploadAttachment({ fileName: document.fileName, bytes: document.bytes }),
          );
          const sent = await withBackoff(() =>
            deps.messages.sendMultichannel(sending.multichannelMessage(letter, letter._id, attachmentId, address.send)),
          );
          const channel: Channel = electronic ? 'electronic' : 'paper';
          const sentAt = new Date();
          settle(
            letter,
            {
              ...placed,
              status: 'sent',
              channel,
              ...(sent.messageId ? { messageId: sent.messageId } : {}),
              sentAt,
              pages: document.pages,
              costCents: letterCostCents(channel, document.pages, deps.config.pricesCents),
              paperCostCents: letterCostCents('paper', document.pages, deps.config.pricesCents),
              deemedNotifiedOn: deemedNotificationDate(channel, sentAt),
            },
            {
              action: 'letter.sent',
              details: {
                channel,
                outcome: sent.outcome,
                messageId: sent.messageId,
                deemedNotifiedOn: deemedNotificationDate(channel, sentAt),
                recipient: maskIdentifier(letter.recipientId),
              },
              sha256: document.sha256,
            },
          );
        } catch (error) {
          if (error instanceof Rejected) {
            settle(
              letter,
              { status: 'rejected', failure: { code: error.code, reason: error.reason } },
              { action: 'letter.rejected', details: { failure: error.code } },
            );
          } else if (error instanceof MessagesServiceError && !error.retryable) {
            settle(
              letter,
              { status: 'rejected', failure: { code: 'SuomifiMessages.rejected', reason: error.reason } },
              { action: 'letter.rejected', details: { failure: 'SuomifiMessages.rejected' } },
            );
          } else {
            // Passing: left as created, tried again later on its own.
            result.retryRows.push(letter.row!);
            result.retryReason = error instanceof Error ? error.message : String(error);
          }
        }
      }

      // A few letters at a time; the heartbeat carries how far the page is, also while the last outcomes are written.
      let next = 0;
      let done = 0;
      const heartbeat = setInterval(() => context.heartbeat({ done, of: todo.length }), 2000);
      try {
        const concurrency = input.concurrency ?? deps.config.batch.sendConcurrency;
        await Promise.all(
          Array.from({ length: Math.min(concurrency, todo.length) }, async () => {
            while (next < todo.length) {
              await dispatchOne(todo[next++]);
              done += 1;
            }
          }),
        );
        await writer.done();
      } finally {
        clearInterval(heartbeat);
      }
      if (result.totals.dispatched) await ensureEventPoller();
      return result;
    },

    /** Rows the service kept failing through every retry: failed, with the last reason, for the registry to send again. */
    async failLetterRows(input: { batchId: string; rows: number[]; reason: string }): Promise<BatchTotals> {
      const letters = [...(await deps.letters.getMany(input.rows.map((row) => letterProcessId(input.batchId, row)))).values()];
      const failed = { status: 'failed' as const, failure: { code: 'SuomifiMessages.unavailable', reason: input.reason } };
      await deps.letters.updateMany(
        letters.filter((letter) => letter.status === 'created').map((letter) => ({ letterId: letter._id, set: failed })),
      );
      // This call's rows that are failed now, also those an earlier attempt of it failed.
      const failedNow = letters.filter((letter) => letter.status === 'created' || letter.status === 'failed');
      const pageKey = failedNow[0]?.trackedBy;
      if (pageKey)
        await deps.tallies.setSending(
          pageKey,
          input.batchId,
          activityTallyKey(Context.current().info),
          countLetters(failedNow.map((letter) => ({ ...letter, ...failed }))),
        );
      const totals = emptyTotals();
      for (const letter of letters) count(totals, letter.status === 'created' ? { ...letter, ...failed } : letter);
      return totals;
    },

    /** Letters that reached a final state: the status and the events into each record, returned and unresolved ones onto the work list. */
    async recordFinalDeliveries(input: {
      batchId: string;
      letters: FinalDelivery[];
      pageFinals?: Partial<Record<FinalStatus, number>>;
    }): Promise<void> {
      await deps.letters.updateMany(input.letters.map(({ letterId, status, events }) => ({ letterId, set: { status, events } })));
      const tracker = pageTracker();
      if (tracker && input.pageFinals) await deps.tallies.setFinals(tracker, input.batchId, input.pageFinals);
      await deps.letters.addManyToWorkList(
        input.letters
          .filter((letter) => TO_WORK_LIST.includes(letter.status))
          .map((letter) => ({
            letterId: letter.letterId,
            batchId: input.batchId,
            row: parseLetterProcessId(letter.letterId)?.row,
            reason: letter.status,
          })),
      );
      // Listed with the page's other events (see AuditEvent.trail).
      await deps.audit.appendMany(
        input.letters.map((letter) => ({
          eventId: `${letter.letterId}/letter.final`,
          processId: letter.letterId,
          trail: tracker,
          actor: 'system',
          action: `letter.${letter.status}`,
          at: new Date(),
          details: { event: letter.events.find((event) => FINAL_DELIVERY_EVENTS[event.type])?.type },
        })),
      );
    },

    /**
     * Letters no final event came for within the tracking time: unconfirmed, with the events there were. A letter
     * still "created" has not been sent (its page's sending outlasted the tracking time): it is left for the page,
     * which sends only "created" letters, so closing it would lose it (the chaos run's 148 letters never sent).
     */
    async closeUnconfirmedLetters(input: {
      batchId?: string;
      letters: { letterId: string; events: TrackedEvent[] }[];
      pageFinals?: Partial<Record<FinalStatus, number>>;
    }): Promise<void> {
      const records = await deps.letters.getMany(
        input.letters.map(({ letterId }) => letterId),
        { status: 1 },
      );
      const unsent = (letterId: string) => records.get(letterId)?.status === 'created';
      await deps.letters.updateMany(
        input.letters
          .filter(({ letterId }) => !unsent(letterId))
          .map(({ letterId, events }) => ({ letterId, set: { status: 'unconfirmed', events } })),
      );
      const tracker = pageTracker();
      if (tracker && input.batchId && input.pageFinals) await deps.tallies.setFinals(tracker, input.batchId, input.pageFinals);
    },
  };
}

export type LetterBatchActivities = ReturnType<typeof createLetterBatchActivities>;
