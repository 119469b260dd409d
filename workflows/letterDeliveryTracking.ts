import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { LetterBatchActivities } from '../activities/letterBatchActivities';
import { letterProcessId } from '../rules/officialMail';
import type { DeliveryEvent } from './officialLetter';
import { showProcess, showStep } from './processView';

/**
 * Follows the delivery of one batch page's letters, so a batch needs no
 * workflow per letter. The event poller signals it once a round with all
 * its letters' new events; each round's events go into the letter records
 * (final states, the work list for letters that came back), and it ends
 * when every sent letter has reached a final state, or when the tracking
 * time is up (the rest are closed as unconfirmed). It continues as new
 * long before its history grows large.
 */

export interface LetterDeliveryEvents { letterId: string; events: DeliveryEvent[] }

export interface LetterDeliveryTrackingInput {
  batchId: string;
  firstRow: number;
  count: number;
  organization: string;
  trackingDays: number;
  /** Carried across continue-as-new. */
  carried?: { open: string[]; dispatched: boolean; trackUntil: number; final: number };
}

export interface LetterDeliveryTrackingState { status: 'following' | 'completed'; open: number; final: number; unconfirmed: number; dispatched: boolean }

/** From the event poller: new events of this tracker's letters. */
export const pageDeliveryEventsSignal = defineSignal<[LetterDeliveryEvents[]]>('pageDeliveryEvents');
/** From the batch page, when its letters have been dispatched: the rows that were not sent, of which nothing will be heard. */
export const lettersDispatchedSignal = defineSignal<[{ untrackedRows: number[] }]>('lettersDispatched');
export const deliveryTrackingStateQuery = defineQuery<LetterDeliveryTrackingState>('state');

export const LETTER_DELIVERY_TRACKING = 'letterDeliveryTracking';
const HISTORY_EVENTS_PER_RUN = 2000;
const LETTERS_PER_RECORDING = 1000;
const WAITING_RETRY_MS = 2000;

const tracking = proxyActivities<LetterBatchActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function letterDeliveryTrackingWorkflow(input: LetterDeliveryTrackingInput): Promise<LetterDeliveryTrackingState> {
  const carried = input.carried;
  const open = new Set(carried?.open ?? Array.from({ length: input.count }, (_, i) => letterProcessId(input.batchId, input.firstRow + i)));
  const state: LetterDeliveryTrackingState = { status: 'following', open: open.size, final: carried?.final ?? 0, unconfirmed: 0, dispatched: carried?.dispatched ?? false };
  const trackUntil = carried?.trackUntil ?? Date.now() + input.trackingDays * 24 * 60 * 60 * 1000;
  const heard: LetterDeliveryEvents[] = [];
  setHandler(deliveryTrackingStateQuery, () => ({ ...state, open: open.size }));
  setHandler(pageDeliveryEventsSignal, (letters) => { heard.push(...letters); });
  setHandler(lettersDispatchedSignal, ({ untrackedRows }) => {
    for (const row of untrackedRows) open.delete(letterProcessId(input.batchId, row));
    state.dispatched = true;
  });
  showProcess(LETTER_DELIVERY_TRACKING, input.organization);
  showStep({ status: 'following', waitingFor: 'recipient', deadlineAt: new Date(trackUntil) });

  const everyLetterFinal = () => state.dispatched && open.size === 0;
  while (!everyLetterFinal()) {
    if (!await condition(() => heard.length > 0 || everyLetterFinal(), Math.max(0, trackUntil - Date.now()))) break;
    const waiting: LetterDeliveryEvents[] = [];
    while (heard.length) {
      const recorded = await tracking.recordDeliveryEvents({ letters: heard.splice(0, LETTERS_PER_RECORDING) });
      for (const letterId of recorded.finalLetterIds) if (open.delete(letterId)) state.final += 1;
      waiting.push(...recorded.waiting);
    }
    // Final events that overtook the record of the sending: heard again in a moment.
    if (waiting.length) {
      await sleep(WAITING_RETRY_MS);
      heard.push(...waiting);
    }
    if (!everyLetterFinal() && !heard.length && (workflowInfo().historyLength > HISTORY_EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof letterDeliveryTrackingWorkflow>({ ...input, carried: { open: [...open], dispatched: state.dispatched, trackUntil, final: state.final } });
    }
  }
  // Tracking time is up: what has not reached a final state is unconfirmed.
  if (open.size) {
    await tracking.closeUnconfirmedLetters({ letterIds: [...open] });
    state.unconfirmed = open.size;
    open.clear();
  }
  state.status = 'completed';
  showStep({ status: 'completed', waitingFor: null });
  return { ...state, open: 0 };
}
