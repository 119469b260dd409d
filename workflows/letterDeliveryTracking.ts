import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { LetterBatchActivities } from '../activities/letterBatchActivities';
import { FINAL_DELIVERY_EVENTS, letterProcessId } from '../rules/officialMail';
import type { FinalStatus } from '../store/letterPageTallies';
import type { LetterStatus } from '../store/letters';
import type { DeliveryEvent } from './officialLetter';
import { showProcess, showStep } from './processView';
import { declareVersioning } from './versioningBehavior';

/**
 * Follows the delivery of one batch page's letters, so a batch needs no
 * workflow per letter. The event poller signals it once a round with all
 * its letters' new events. It keeps each open letter's events and writes a
 * letter's record once, when a final event comes (read, receipt confirmed,
 * delivered, returned, unresolved; the last two reach the work list), and
 * only after the page has recorded the sending, which a fast first event
 * can overtake. It ends when every sent letter is final, or when the
 * tracking time is up (the rest are closed as unconfirmed), and continues
 * as new long before its history grows large.
 */

export interface LetterDeliveryEvents {
  letterId: string;
  events: DeliveryEvent[];
}
export interface TrackedEvent {
  type: string;
  at: string;
}
export interface FinalDelivery {
  letterId: string;
  status: LetterStatus;
  events: TrackedEvent[];
}

export interface LetterDeliveryTrackingInput {
  batchId: string;
  firstRow: number;
  count: number;
  organization: string;
  trackingDays: number;
  /** Carried across continue-as-new: the open letters with their events so far. */
  carried?: { open: Record<string, TrackedEvent[]>; dispatched: boolean; trackUntil: number; final: number; finalCounts?: PageFinals };
}

/** How many of the page's letters have reached each final state: the page's tally (store/letterPageTallies.ts) is kept from it. */
type PageFinals = Partial<Record<FinalStatus, number>>;

function withFinals(counts: PageFinals, statuses: FinalStatus[]): PageFinals {
  const after = { ...counts };
  for (const status of statuses) after[status] = (after[status] ?? 0) + 1;
  return after;
}

export interface LetterDeliveryTrackingState {
  status: 'following' | 'completed';
  open: number;
  final: number;
  unconfirmed: number;
  dispatched: boolean;
}

/** From the event poller: new events of this tracker's letters. */
export const pageDeliveryEventsSignal = defineSignal<[LetterDeliveryEvents[]]>('pageDeliveryEvents');
/** From the batch page, when its letters have been dispatched and recorded: the rows that were not sent, of which nothing will be heard. */
export const lettersDispatchedSignal = defineSignal<[{ untrackedRows: number[] }]>('lettersDispatched');
export const deliveryTrackingStateQuery = defineQuery<LetterDeliveryTrackingState>('state');
/** A still open letter's events so far (its record has them once it is final). */
export const letterEventsQuery = defineQuery<TrackedEvent[] | undefined, [string]>('letterEvents');

export const LETTER_DELIVERY_TRACKING = 'letterDeliveryTracking';
const HISTORY_EVENTS_PER_RUN = 2000;
const FINALS_PER_RECORDING = 500;

const tracking = proxyActivities<LetterBatchActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

// Worker Versioning: tracks a batch's letters for days: moves to each new build, changes guarded by patched().
declareVersioning(letterDeliveryTrackingWorkflow, 'AUTO_UPGRADE');
export async function letterDeliveryTrackingWorkflow(input: LetterDeliveryTrackingInput): Promise<LetterDeliveryTrackingState> {
  const carried = input.carried;
  const open = new Map<string, TrackedEvent[]>(
    carried
      ? Object.entries(carried.open)
      : Array.from({ length: input.count }, (_, i) => [letterProcessId(input.batchId, input.firstRow + i), []]),
  );
  const state: LetterDeliveryTrackingState = {
    status: 'following',
    open: open.size,
    final: carried?.final ?? 0,
    unconfirmed: 0,
    dispatched: carried?.dispatched ?? false,
  };
  const trackUntil = carried?.trackUntil ?? Date.now() + input.trackingDays * 24 * 60 * 60 * 1000;
  let finalCounts: PageFinals = carried?.finalCounts ?? {};
  setHandler(deliveryTrackingStateQuery, () => ({ ...state, open: open.size }));
  setHandler(letterEventsQuery, (letterId) => open.get(letterId));
  setHandler(pageDeliveryEventsSignal, (letters) => {
    for (const { letterId, events } of letters) {
      const seen = open.get(letterId);
      if (!seen) continue; // final already, or not sent
      for (const event of events) if (!seen.some((s) => s.type === event.type)) seen.push({ type: event.type, at: event.eventTime });
    }
  });
  setHandler(lettersDispatchedSignal, ({ untrackedRows }) => {
    for (const row of untrackedRows) open.delete(letterProcessId(input.batchId, row));
    state.dispatched = true;
  });
  showProcess(LETTER_DELIVERY_TRACKING, input.organization);
  showStep({ status: 'following', waitingFor: 'recipient', deadlineAt: new Date(trackUntil) });

  const finals = (): FinalDelivery[] => {
    if (!state.dispatched) return [];
    const found: FinalDelivery[] = [];
    for (const [letterId, events] of open) {
      const final = events.map((event) => FINAL_DELIVERY_EVENTS[event.type]).find(Boolean);
      if (final) found.push({ letterId, status: final, events });
    }
    return found;
  };
  while (!(state.dispatched && open.size === 0)) {
    if (!(await condition(() => finals().length > 0 || (state.dispatched && open.size === 0), Math.max(0, trackUntil - Date.now())))) break;
    const ready = finals().slice(0, FINALS_PER_RECORDING);
    if (ready.length) {
      const pageFinals = withFinals(
        finalCounts,
        ready.map(({ status }) => status as FinalStatus),
      );
      await tracking.recordFinalDeliveries({ batchId: input.batchId, letters: ready, pageFinals });
      finalCounts = pageFinals;
      for (const { letterId } of ready) open.delete(letterId);
      state.final += ready.length;
    }
    if (open.size && (workflowInfo().historyLength > HISTORY_EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof letterDeliveryTrackingWorkflow>({
        ...input,
        carried: { open: Object.fromEntries(open), dispatched: state.dispatched, trackUntil, final: state.final, finalCounts },
      });
    }
  }
  // Tracking time is up: what has not reached a final state is unconfirmed.
  if (open.size) {
    const pageFinals = withFinals(
      finalCounts,
      [...open.keys()].map(() => 'unconfirmed' as const),
    );
    await tracking.closeUnconfirmedLetters({
      batchId: input.batchId,
      letters: [...open].map(([letterId, events]) => ({ letterId, events })),
      pageFinals,
    });
    state.unconfirmed = open.size;
    open.clear();
  }
  state.status = 'completed';
  showStep({ status: 'completed', waitingFor: null });
  return { ...state, open: 0 };
}
