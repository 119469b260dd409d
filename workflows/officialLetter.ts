import { ActivityFailure, ApplicationFailure, type RetryPolicy } from '@temporalio/common';
import {
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LetterActivities } from '../activities/letterActivities';
import { type Channel, deemedNotificationDate, FINAL_DELIVERY_EVENTS } from '../rules/officialMail';
import type { LetterStatus } from '../store/letters';
import { showProcess, showStep } from './processView';
import { NameTokens } from './searchAttributes';
import { declareVersioning } from './versioningBehavior';

/**
 * An official letter (virallinen kirje) as the registry office sends it:
 * the letter is checked, the recipient's address is found in the
 * population register where needed, the letter goes to the recipient's
 * Suomi.fi mailbox or else to the print service as paper mail, and its
 * delivery is followed until the recipient has read it, the post has
 * delivered it, or it came back. Letters that came back go to the
 * registry's work list. The history carries the letter id only; the
 * recipient and the address stay in the letter record.
 */

export interface OfficialLetterInput {
  letterId: string;
  organization: string;
  requestedBy: string;
  /** How long delivery is followed before the letter is closed as unconfirmed. */
  trackingDays: number;
  /** Set when a batch page sent the letter: the page hears when it has been dispatched. */
  page?: { workflowId: string; row: number };
}

export interface DeliveryEvent {
  type: string;
  eventTime: string;
  messageId: string;
}

export interface LetterFailure {
  code: string;
  reason: string;
}

export interface OfficialLetterState {
  status: LetterStatus | 'checking' | 'resolving_address' | 'sending';
  channel?: Channel;
  messageId?: string;
  sentAt?: string;
  deemedNotifiedOn?: string;
  costCents?: number;
  paperCostCents?: number;
  events: { type: string; at: string }[];
  failure?: LetterFailure;
}

/** What a batch page is told about one of its letters once it has been sent, or could not be. */
export interface LetterDispatch {
  row: number;
  outcome: 'sent' | 'no_channel' | 'rejected' | 'failed';
  channel?: Channel;
  costCents?: number;
  paperCostCents?: number;
  failure?: LetterFailure;
}

export const letterStateQuery = defineQuery<OfficialLetterState>('state');
/** From the event poller: this letter's new delivery events. */
export const deliveryEventsSignal = defineSignal<[DeliveryEvent[]]>('deliveryEvents');
export const letterDispatchedSignal = defineSignal<[LetterDispatch]>('letterDispatched');

export const OFFICIAL_LETTER = 'officialLetter';

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
const letters = proxyActivities<LetterActivities>({ startToCloseTimeout: '30 seconds', retry });
/** Sending retries 5xx and timeouts with backoff, but gives up in minutes: a batch must not wait forever on one letter. */
const sending = proxyActivities<LetterActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 8 },
});

// Worker Versioning: tracks delivery for days: moves to each new build, changes guarded by patched().
declareVersioning(officialLetterWorkflow, 'AUTO_UPGRADE');
export async function officialLetterWorkflow(input: OfficialLetterInput): Promise<OfficialLetterState> {
  const { letterId } = input;
  const state: OfficialLetterState = { status: 'checking', events: [] };
  setHandler(letterStateQuery, () => state);
  setHandler(deliveryEventsSignal, (events) => {
    for (const event of events) {
      if (state.events.some((seen) => seen.type === event.type)) continue; // the poller may repeat itself
      state.events.push({ type: event.type, at: event.eventTime });
    }
  });
  const step = (status: OfficialLetterState['status'], waitingFor: string | null = 'system', deadlineAt?: Date) => {
    state.status = status;
    showStep({ status, waitingFor, ...(deadlineAt ? { deadlineAt } : {}) });
  };
  showProcess(OFFICIAL_LETTER, input.organization);
  step('checking');

  const dispatch = await sendTheLetter();
  if (input.page) {
    await getExternalWorkflowHandle(input.page.workflowId).signal(letterDispatchedSignal, { row: input.page.row, ...dispatch });
  }
  if (dispatch.outcome === 'sent') await followDelivery();
  await letters.recordLetterOutcome({ letterId, state, requestedBy: input.requestedBy });
  return state;

  async function sendTheLetter(): Promise<Omit<LetterDispatch, 'row'>> {
    try {
      // 1. Check the letter: a PDF on A4 within the limit, a title, a valid recipient.
      const checked = await letters.checkLetter({ letterId });
      // 2. The address from the register where the sender gave none.
      step('resolving_address');
      const resolved = await letters.resolveLetterAddress({ letterId });
      showRecipientName(resolved.nameTokens);
      // 3. The channel from the recipient's mailbox; the externalId is this workflow's id, so a retry never sends twice.
      step('sending');
      const sent = await sending.sendLetter({
        letterId,
        externalId: workflowInfo().workflowId,
        pages: checked.pages,
        requestedBy: input.requestedBy,
      });
      if (sent.outcome === 'no_channel') {
        state.failure = { code: 'no_address', reason: 'The recipient has no Suomi.fi mailbox and no postal address is known.' };
        step('no_channel', null);
        return { outcome: 'no_channel', failure: state.failure };
      }
      Object.assign(state, {
        channel: sent.channel,
        messageId: sent.messageId,
        sentAt: sent.sentAt,
        costCents: sent.costCents,
        paperCostCents: sent.paperCostCents,
        deemedNotifiedOn: deemedNotificationDate(sent.channel, new Date(sent.sentAt)),
      });
      state.status = 'sent';
      return { outcome: 'sent', channel: sent.channel, costCents: sent.costCents, paperCostCents: sent.paperCostCents };
    } catch (error) {
      const failure = describeFailure(error);
      state.failure = failure;
      const outcome = failure.code.startsWith('LetterRejected') ? 'rejected' : 'failed';
      step(outcome, null);
      return { outcome, failure };
    }
  }

  // 4. Follow the delivery events until a final one, or until tracking ends.
  async function followDelivery(): Promise<void> {
    // Deemed notified on its day; the delivery events are followed for trackingDays, which is how long it waits by design.
    const trackUntil = new Date(Date.now() + input.trackingDays * 24 * 60 * 60 * 1000);
    showStep({
      status: 'sent',
      waitingFor: 'recipient',
      deadlineAt: new Date(`${state.deemedNotifiedOn}T21:00:00Z`),
      waitingUntil: trackUntil,
    });
    const finalEvent = () => state.events.find((event) => FINAL_DELIVERY_EVENTS[event.type]);
    const reached = await condition(() => finalEvent() !== undefined, Math.max(0, trackUntil.getTime() - Date.now()));
    step(reached ? FINAL_DELIVERY_EVENTS[finalEvent()!.type] : 'unconfirmed', null);
  }
}

function describeFailure(error: unknown): LetterFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? 'failed', reason: cause.message };
  if (cause instanceof Error) return { code: cause.name, reason: cause.message };
  return { code: 'failed', reason: String(cause) };
}

/**
 * The recipient's name from the population register, as keyed hashes beside any the letter started with, so the
 * letter is found by that name too. Letters that resolved their address before this change go on without it.
 */
function showRecipientName(tokens: string[] | undefined): void {
  if (!tokens?.length || !patched('letter-recipient-name-tokens')) return;
  const known = workflowInfo().typedSearchAttributes.get(NameTokens) ?? [];
  upsertSearchAttributes([{ key: NameTokens, value: [...new Set([...known, ...tokens])] }]);
}
