import { Context } from '@temporalio/activity';
import { type Client, WorkflowIdConflictPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type AuditLog } from '../audit/auditLog';
import { type OfficialMailConfig } from '../config/officialMail';
import { type PopulationRegister } from '../integrations/populationRegister/populationRegister';
import {
  type MessageEvent,
  type MessagesService,
  MessagesServiceError,
  type PostalAddress,
} from '../integrations/suomifiMessages/messagesService';
import { parsePartyIdentifier, maskIdentifier } from '../rules/identifiers';
import {
  type Channel,
  checkLetterPdf,
  checkLetterTitle,
  letterCostCents,
  parseLetterProcessId,
  rowDeliveryTrackerId,
} from '../rules/officialMail';
import { PdfError } from '../signing/errors';
import { type DocumentStore } from '../store/documentStore';
import { type LetterRecord, type Letters, type LetterStatus } from '../store/letters';
import type { BatchTotals } from '../workflows/letterBatch';
import type { DeliveryEvent, OfficialLetterState } from '../workflows/officialLetter';
import type { LetterDeliveryEvents } from '../workflows/letterDeliveryTracking';
import { csvCell } from '../common/csv';
import { idempotencyKey } from './activityContext';
import { createLetterBatchActivities } from './letterBatchActivities';
import { createLetterSending } from './letterSending';
import { LetterPageTallies } from '../store/letterPageTallies';
import { LetterTemplates } from '../store/letterTemplates';

/**
 * The official mail activities: thin, idempotent steps over the letter
 * record, the document store, the population register and Suomi.fi
 * Messages. They take and return ids, statuses and amounts; identity codes
 * and addresses never leave them.
 */

export interface LetterActivityDeps {
  letters: Letters;
  store: DocumentStore;
  audit: AuditLog;
  messages: MessagesService;
  register: PopulationRegister;
  config: OfficialMailConfig;
  organization: string;
  /** Sender's return address for paper mail. */
  senderAddress: PostalAddress;
  taskQueue: string;
  temporal: () => Promise<Client>;
  /** Keyed hashes of a name's words (application/nameTokens.ts), so a letter is found by the name the register gave. */
  nameTokens?: (names: string[]) => string[];
}

export const MESSAGE_EVENT_POLLER_PREFIX = 'suomifi-message-events';
export function messageEventPollerId(taskQueue: string): string {
  return `${MESSAGE_EVENT_POLLER_PREFIX}-${taskQueue}`;
}

const rejected = (code: string, message: string) =>
  ApplicationFailure.create({ type: `LetterRejected.${code}`, message, nonRetryable: true });

function toDeliveryEvent(event: MessageEvent): DeliveryEvent {
  return { type: event.type, eventTime: event.eventTime, messageId: event.metadata.messageId };
}

export function createLetterActivities(deps: LetterActivityDeps) {
  let pollerEnsuredAt = 0;

  const sending = createLetterSending(deps);
  const { letterPdf, lookup, paperAddress } = sending;

  /** The poller is started once and found running afterwards; a start of a running one changes nothing. */
  async function ensureEventPoller(): Promise<void> {
    if (Date.now() - pollerEnsuredAt < 60_000) return;
    const client = await deps.temporal();
    await client.workflow.start('messageEventPollerWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: messageEventPollerId(deps.taskQueue),
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [{ intervalMs: deps.config.eventPollIntervalMs }],
    });
    pollerEnsuredAt = Date.now();
  }

  async function audit(
    letter: LetterRecord,
    action: string,
    details: Record<string, unknown>,
    actor = 'system',
    documentSha256?: string,
  ): Promise<void> {
    await deps.audit.append({
      eventId: idempotencyKey(),
      processId: letter.processId,
      actor,
      action,
      at: new Date(),
      details,
      documentSha256,
    });
  }

  return {
    ...createLetterBatchActivities(
      { ...deps, templates: new LetterTemplates(), tallies: new LetterPageTallies() },
      sending,
      ensureEventPoller,
    ),

    /** A PDF on A4 within the service's limits, a title of at most 256 characters, a valid identity code or business ID. */
    async checkLetter(input: { letterId: string }): Promise<{ pages: number; recipientKind: 'person' | 'organisation' }> {
      const letter = await deps.letters.get(input.letterId);
      const title = checkLetterTitle(letter.title);
      if (title) throw rejected(title.code, title.message);
      const party = parsePartyIdentifier(letter.recipientId);
      if (!party.valid) throw rejected(`recipient_${party.problem}`, party.message);
      let document;
      try {
        document = await letterPdf(singleLetterPdf(letter));
      } catch (error) {
        if (error instanceof PdfError) throw rejected(error.code, error.message);
        throw error;
      }
      const pdf = checkLetterPdf({ size: document.size, pageSizes: document.pageSizes }, deps.config.maxPdfBytes);
      if (pdf) throw rejected(pdf.code, pdf.message);
      return { pages: document.pageSizes.length, recipientKind: party.party.kind };
    },

    /**
     * The postal address from the population register where the sender gave
     * none. Under a security ban nothing is stored: the address is read
     * again at the moment of sending and handed only to the print service.
     */
    async resolveLetterAddress(input: {
      letterId: string;
    }): Promise<{ addressFrom: 'given' | 'register' | 'security_ban' | 'none'; nameTokens?: string[] }> {
      const letter = await deps.letters.get(input.letterId);
      if (letter.address) {
        await deps.letters.update(input.letterId, { addressFrom: 'given' });
        return { addressFrom: 'given' };
      }
      if (letter.recipientKind !== 'person') {
        await deps.letters.update(input.letterId, { addressFrom: 'none' });
        return { addressFrom: 'none' };
      }
      const found = await lookup(letter.recipientId);
      if (found.kind === 'found') {
        await deps.letters.update(input.letterId, {
          addressFrom: 'register',
          address: { name: found.name, ...found.address, countryCode: 'FI' },
        });
        return { addressFrom: 'register', ...(deps.nameTokens ? { nameTokens: deps.nameTokens([found.name]) } : {}) };
      }
      const addressFrom = found.kind === 'security_ban' ? 'security_ban' : 'none';
      await deps.letters.update(input.letterId, { addressFrom });
      return { addressFrom };
    },

    /**
     * Sends the letter as one multichannel message: the electronic part goes
     * to the recipient's mailbox if there is one, otherwise the service
     * prints the paper part. The workflow id is the externalId, so a repeat
     * after a lost answer is refused with 409 and counted as sent.
     */
    async sendLetter(input: { letterId: string; externalId: string; pages: number; requestedBy: string }): Promise<
      | {
          outcome: 'sent' | 'already_sent';
          channel: Channel;
          messageId?: string;
          sentAt: string;
          costCents: number;
          paperCostCents: number;
        }
      | { outcome: 'no_channel' }
    > {
      try {
        const letter = await deps.letters.get(input.letterId);
        const [active] = await deps.messages
          .activeMailboxes([letter.recipientId])
          .then((ids) => ids.filter((id) => id === letter.recipientId));
        const channel: Channel = active ? 'electronic' : 'paper';
        const address = await paperAddress(letter);
        if (!active && !address) {
          await deps.letters.update(input.letterId, {
            status: 'no_channel',
            failure: { code: 'no_address', reason: 'No Suomi.fi mailbox and no postal address' },
          });
          return { outcome: 'no_channel' };
        }
        const document = await letterPdf(singleLetterPdf(letter));
        const attachmentId = await deps.messages.uploadAttachment({ fileName: document.fileName, bytes: document.bytes });
        const result = await deps.messages.sendMultichannel(sending.multichannelMessage(letter, input.externalId, attachmentId, address));
        const sentAt = new Date();
        const costCents = letterCostCents(channel, input.pages, deps.config.pricesCents);
        const paperCostCents = letterCostCents('paper', input.pages, deps.config.pricesCents);
        await deps.letters.update(input.letterId, {
          status: 'sent',
          channel,
          messageId: result.messageId,
          sentAt,
          costCents,
          paperCostCents,
          pages: input.pages,
        });
        await audit(
          letter,
          'letter.sent',
          { channel, outcome: result.outcome, messageId: result.messageId, recipient: maskIdentifier(letter.recipientId) },
          input.requestedBy,
          document.sha256,
        );
        await ensureEventPoller();
        return { outcome: result.outcome, channel, messageId: result.messageId, sentAt: sentAt.toISOString(), costCents, paperCostCents };
      } catch (error) {
        if (error instanceof MessagesServiceError && !error.retryable) {
          throw ApplicationFailure.create({ type: 'SuomifiMessages.rejected', message: error.reason, nonRetryable: true });
        }
        throw error;
      }
    },

    /** The letter's final state into its record; returned and unresolved letters onto the registry's work list. */
    async recordLetterOutcome(input: { letterId: string; state: OfficialLetterState; requestedBy: string }): Promise<void> {
      const letter = await deps.letters.get(input.letterId);
      const { state } = input;
      const status = state.status as LetterStatus;
      await deps.letters.update(input.letterId, {
        status,
        events: state.events,
        ...(state.deemedNotifiedOn ? { deemedNotifiedOn: state.deemedNotifiedOn } : {}),
        ...(state.failure ? { failure: state.failure } : {}),
      });
      if (['returned_to_sender', 'unresolved', 'no_channel'].includes(status)) {
        await deps.letters.addToWorkList({ letterId: letter._id, batchId: letter.batchId, row: letter.row, reason: status });
      }
      await audit(letter, `letter.${status}`, {
        channel: state.channel,
        deemedNotifiedOn: state.deemedNotifiedOn,
        failure: state.failure?.code,
      });
    },

    /**
     * One round of the event feed: pages of /v2/events from the stored
     * continuation token, the continuation token saved after each page. A
     * letter sent on its own hears its events itself; a batch letter's
     * events go to the tracker its record names, all of one tracker's
     * events in one signal. A crash between signal and save repeats
     * signals, which the letters and trackers ignore.
     */
    async pollMessageEvents(input: { pollerId: string; maxPages?: number }): Promise<{ events: number; letters: number }> {
      const client = await deps.temporal();
      // A batch letter's tracker follows from its row and the batch's page size: one read per batch, not one per letter.
      const pageSizes = new Map<string, Promise<number | undefined>>();
      const trackerOf = async (letterId: string) => {
        const parsed = parseLetterProcessId(letterId);
        if (!parsed) return undefined;
        let pageSize = pageSizes.get(parsed.batchId);
        if (!pageSize)
          pageSizes.set(
            parsed.batchId,
            (pageSize = deps.letters.getBatch(parsed.batchId).then(
              (batch) => batch.pageSize,
              () => undefined,
            )),
          );
        const size = await pageSize;
        return size ? rowDeliveryTrackerId(parsed.batchId, parsed.row, size) : undefined;
      };
      let token = await deps.letters.eventCursor(input.pollerId);
      let total = 0;
      let lettersSignalled = 0;
      for (let page = 0; page < (input.maxPages ?? 20); page++) {
        const { events, continuationToken } = await deps.messages.events(token);
        const byLetter = new Map<string, DeliveryEvent[]>();
        for (const event of events) {
          const list = byLetter.get(event.metadata.externalId) ?? [];
          list.push(toDeliveryEvent(event));
          byLetter.set(event.metadata.externalId, list);
        }
        const trackers = new Map<string, string | undefined>();
        for (const letterId of byLetter.keys()) trackers.set(letterId, await trackerOf(letterId));
        const signals: { workflowId: string; signal: string; payload: unknown; letters: number }[] = [];
        const byTracker = new Map<string, LetterDeliveryEvents[]>();
        for (const [letterId, letterEvents] of byLetter) {
          const tracker = trackers.get(letterId);
          if (!tracker) {
            signals.push({ workflowId: letterId, signal: 'deliveryEvents', payload: letterEvents, letters: 1 });
            continue;
          }
          const list = byTracker.get(tracker) ?? [];
          list.push({ letterId, events: letterEvents });
          byTracker.set(tracker, list);
        }
        for (const [tracker, letters] of byTracker)
          signals.push({ workflowId: tracker, signal: 'pageDeliveryEvents', payload: letters, letters: letters.length });
        for (let i = 0; i < signals.length; i += 32) {
          await Promise.all(
            signals.slice(i, i + 32).map(async ({ workflowId, signal, payload, letters }) => {
              try {
                await client.workflow.getHandle(workflowId).signal(signal, payload);
                lettersSignalled += letters;
              } catch (error) {
                // A letter of another deployment sharing the account, or one whose tracking has ended.
                if (!(error instanceof WorkflowNotFoundError)) throw error;
              }
            }),
          );
          Context.current().heartbeat();
        }
        total += events.length;
        token = continuationToken;
        const newest = events.reduce((max, event) => Math.max(max, Date.parse(event.eventTime) || 0), 0);
        await deps.letters.saveEventCursor(input.pollerId, continuationToken, newest ? new Date(newest) : undefined);
        if (events.length < 1000) break;
      }
      return { events: total, letters: lettersSignalled };
    },

    /** The batch's report as CSV in the document store: a summary, then one line per letter. */
    async writeLetterBatchReport(input: { batchId: string; totals: BatchTotals; startedAt: string }): Promise<{ versionId: string }> {
      const t = input.totals;
      const euros = (cents: number) => (cents / 100).toFixed(2);
      const { total, skippedRows, skippedCount } = await deps.letters.getBatch(input.batchId);
      const lines: string[] = [
        'section,key,value',
        `summary,letters,${t.dispatched + t.noChannel + t.rejected + t.failed}`,
        `summary,electronic,${t.electronic}`,
        `summary,paper,${t.paper}`,
        `summary,no_channel,${t.noChannel}`,
        `summary,rejected,${t.rejected}`,
        `summary,failed,${t.failed}`,
        `summary,total_cost_eur,${euros(t.costCents)}`,
        `summary,all_paper_cost_eur,${euros(t.paperCostCents)}`,
        `summary,saving_eur,${euros(t.paperCostCents - t.costCents)}`,
        `summary,saving_percent,${t.paperCostCents ? ((100 * (t.paperCostCents - t.costCents)) / t.paperCostCents).toFixed(1) : '0.0'}`,
        `summary,skipped_rows,${skippedCount ?? 0}`,
        `summary,started_at,${input.startedAt}`,
        `summary,finished_at,${new Date().toISOString()}`,
        '',
        'row,recipient,status,channel,cost_eur,deemed_notified_on,reason',
      ];
      let count = 0;
      for await (const letter of deps.letters.batchLetters(input.batchId, total, {
        recipientId: 1,
        row: 1,
        csvRow: 1,
        status: 1,
        channel: 1,
        costCents: 1,
        failure: 1,
        deemedNotifiedOn: 1,
      })) {
        const reason = letter.failure ? `${letter.failure.code}: ${letter.failure.reason}` : '';
        lines.push(
          [
            letter.csvRow ?? letter.row ?? '',
            maskIdentifier(letter.recipientId),
            letter.status,
            letter.channel ?? '',
            letter.costCents !== undefined ? euros(letter.costCents) : '',
            letter.deemedNotifiedOn ?? '',
            reason,
          ]
            .map((cell) => csvCell(cell, ','))
            .join(','),
        );
        if (++count % 500 === 0) Context.current().heartbeat();
      }
      // Rows the clerk chose to leave out of the batch: the row, the field and why, as they were told at upload.
      for (const skipped of skippedRows ?? [])
        lines.push(
          [skipped.row ?? '', '', 'skipped', '', '', '', `${skipped.field}: ${skipped.message}`].map((c) => csvCell(c, ',')).join(','),
        );
      if ((skippedCount ?? 0) > (skippedRows?.length ?? 0))
        lines.push(
          ['', '', 'skipped', '', '', '', `${skippedCount! - skippedRows!.length} more rows skipped`].map((c) => csvCell(c, ',')).join(','),
        );
      const saved = await deps.store.saveVersion({
        key: idempotencyKey(),
        bytes: Buffer.from(lines.join('\r\n') + '\r\n'),
        fileName: `${input.batchId}-report.csv`,
        kind: 'letter-batch-report',
      });
      await deps.letters.setBatchReport(input.batchId, saved.versionId);
      return { versionId: saved.versionId };
    },
  };
}

/** A single letter always names its PDF; only batch rows are rendered from a template. */
function singleLetterPdf(letter: LetterRecord): string {
  if (!letter.versionId)
    throw ApplicationFailure.create({ type: 'LetterRejected.document_missing', message: 'The letter names no PDF.', nonRetryable: true });
  return letter.versionId;
}

export type LetterActivities = ReturnType<typeof createLetterActivities>;
