import {
  condition,
  ParentClosePolicy,
  continueAsNew,
  defineQuery,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { LetterActivities } from '../activities/letterActivities';
import type { LetterBatchActivities } from '../activities/letterBatchActivities';
import { type LetterDispatch, letterDispatchedSignal, officialLetterWorkflow } from './officialLetter';
import { letterDeliveryTrackingWorkflow, lettersDispatchedSignal } from './letterDeliveryTracking';
import { deliveryTrackerId, letterBatchPageId, letterProcessId } from '../rules/officialMail';
import { showProcess, showStep } from './processView';
import { bulkTaskQueue } from './taskQueues';
import { declareVersioning } from './versioningBehavior';

/**
 * A batch of official letters (joukkokirje): thousands of rows, sent a
 * page at a time at the rate the service is sent to. Each page is a child
 * workflow that sends its letters in bulk (one activity for the page, not
 * one workflow per letter), retries on their own the rows the service
 * failed for now, and leaves their delivery to one tracker per page. The
 * batch itself sees only pages, and continues as new after many, so its
 * history stays small. A failed letter fails alone.
 */

export interface BatchTotals {
  dispatched: number;
  electronic: number;
  paper: number;
  noChannel: number;
  rejected: number;
  failed: number;
  costCents: number;
  paperCostCents: number;
}

export interface LetterBatchInput {
  batchId: string;
  total: number;
  organization: string;
  requestedBy: string;
  trackingDays: number;
  pageSize: number;
  ratePerSecond: number;
  maxOpenPages?: number;
  /** Carried across continue-as-new. */
  progress?: { nextRow: number; pagesDone: number; totals: BatchTotals; startedAt: string };
}

export interface LetterBatchState {
  status: 'sending' | 'reporting' | 'completed';
  total: number;
  pagesDone: number;
  totals: BatchTotals;
  startedAt: string;
  reportVersionId?: string;
}

export const letterBatchStateQuery = defineQuery<LetterBatchState>('state');
export const LETTER_BATCH = 'letterBatch';
/** Pages per run before continuing as new. */
const PAGES_PER_RUN = 100;

const reports = proxyActivities<LetterActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export function emptyTotals(): BatchTotals {
  return { dispatched: 0, electronic: 0, paper: 0, noChannel: 0, rejected: 0, failed: 0, costCents: 0, paperCostCents: 0 };
}

function addTotals(into: BatchTotals, page: BatchTotals): void {
  for (const key of Object.keys(into) as (keyof BatchTotals)[]) into[key] += page[key];
}

// Worker Versioning: a batch runs for minutes: it and its pages finish on the build they started on.
declareVersioning(letterBatchWorkflow, 'PINNED');
export async function letterBatchWorkflow(input: LetterBatchInput): Promise<LetterBatchState> {
  const progress = input.progress ?? { nextRow: 1, pagesDone: 0, totals: emptyTotals(), startedAt: new Date().toISOString() };
  const state: LetterBatchState = {
    status: 'sending',
    total: input.total,
    pagesDone: progress.pagesDone,
    totals: progress.totals,
    startedAt: progress.startedAt,
  };
  setHandler(letterBatchStateQuery, () => state);
  showProcess(LETTER_BATCH, input.organization);
  showStep({ status: 'sending', waitingFor: 'system' });

  // Pages go out at the configured rate: page n no earlier than n × (page size / rate) after the start.
  const pageIntervalMs = Math.ceil((input.pageSize / input.ratePerSecond) * 1000);
  const maxOpen = input.maxOpenPages ?? 4;
  let open = 0;
  let nextRow = progress.nextRow;
  const runStartedAt = Date.now();
  const pagesThisRun: Promise<void>[] = [];
  while (nextRow <= input.total && pagesThisRun.length < PAGES_PER_RUN) {
    const firstRow = nextRow;
    const count = Math.min(input.pageSize, input.total - firstRow + 1);
    nextRow += count;
    await condition(() => open < maxOpen);
    const due = runStartedAt + pagesThisRun.length * pageIntervalMs;
    if (due > Date.now()) await sleep(due - Date.now());
    open += 1;
    pagesThisRun.push(
      executeChild(letterBatchPageWorkflow, {
        workflowId: letterBatchPageId(input.batchId, firstRow),
        args: [
          {
            batchId: input.batchId,
            firstRow,
            count,
            organization: input.organization,
            requestedBy: input.requestedBy,
            trackingDays: input.trackingDays,
          },
        ],
      }).then((page) => {
        open -= 1;
        addTotals(state.totals, page);
        state.pagesDone += 1;
      }),
    );
  }
  await Promise.all(pagesThisRun);

  if (nextRow <= input.total) {
    await continueAsNew<typeof letterBatchWorkflow>({
      ...input,
      progress: { nextRow, pagesDone: state.pagesDone, totals: state.totals, startedAt: state.startedAt },
    });
  }

  // The final report: counts per channel, failures with reasons, cost and the saving against all paper.
  state.status = 'reporting';
  const report = await reports.writeLetterBatchReport({ batchId: input.batchId, totals: state.totals, startedAt: state.startedAt });
  state.reportVersionId = report.versionId;
  state.status = 'completed';
  showStep({ status: 'completed', waitingFor: null });
  return state;
}

export interface LetterBatchPageInput {
  batchId: string;
  firstRow: number;
  count: number;
  organization: string;
  requestedBy: string;
  trackingDays: number;
}

/** Sending a page runs on the bulk task queue next to the page's own (workflows/taskQueues.ts). */
const dispatchingOn = (taskQueue: string) =>
  proxyActivities<LetterBatchActivities>({
    taskQueue: bulkTaskQueue(taskQueue),
    startToCloseTimeout: '10 minutes',
    // A killed worker is noticed within the heartbeat timeout; the retry skips the rows already recorded.
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
  });
/** Rounds of sending for rows the service failed for now, and the pause before each retry round. */
const SEND_ROUNDS = 5;
const retryPauseMs = (round: number) => 5_000 * 2 ** round;

// Worker Versioning: a page runs on its batch's build.
declareVersioning(letterBatchPageWorkflow, 'PINNED');
/** Sends one page of letters and returns what became of them. */
export async function letterBatchPageWorkflow(input: LetterBatchPageInput): Promise<BatchTotals> {
  // Runs started before bulk sending start a letter workflow per row.
  if (!patched('bulk-letter-dispatch')) return startLetterWorkflowsOfPage(input);
  const dispatching = dispatchingOn(workflowInfo().taskQueue);
  const tracker = deliveryTrackerId(letterBatchPageId(input.batchId, input.firstRow));
  // Delivery is followed for days, past the page (abandoned); it is there before the first letter goes out.
  await startChild(letterDeliveryTrackingWorkflow, {
    workflowId: tracker,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        batchId: input.batchId,
        firstRow: input.firstRow,
        count: input.count,
        organization: input.organization,
        trackingDays: input.trackingDays,
      },
    ],
  });
  const totals = emptyTotals();
  const untrackedRows: number[] = [];
  let rows = Array.from({ length: input.count }, (_, i) => input.firstRow + i);
  for (let round = 0; rows.length; round++) {
    const sent = await dispatching.dispatchLetterRows({ batchId: input.batchId, rows, trackerId: tracker, requestedBy: input.requestedBy });
    addTotals(totals, sent.totals);
    untrackedRows.push(...sent.untrackedRows);
    rows = sent.retryRows;
    if (!rows.length) break;
    if (round + 1 >= SEND_ROUNDS) {
      addTotals(
        totals,
        await dispatching.failLetterRows({ batchId: input.batchId, rows, reason: sent.retryReason ?? 'The service kept failing' }),
      );
      untrackedRows.push(...rows);
      break;
    }
    await sleep(retryPauseMs(round));
  }
  await getExternalWorkflowHandle(tracker)
    .signal(lettersDispatchedSignal, { untrackedRows })
    .catch((error: unknown) => {
      // A tracker gone already has seen its tracking period end (the chaos run's short one ended while kills held the
      // page up): there is nothing left to tell it, and the page's letters were sent, so the page must not fail.
      if (isCancellation(error)) throw error;
    });
  return totals;
}

/** Before bulk sending: one officialLetter workflow per row, the page waiting until each has been dispatched. */
async function startLetterWorkflowsOfPage(input: LetterBatchPageInput): Promise<BatchTotals> {
  const dispatched = new Map<number, LetterDispatch>();
  setHandler(letterDispatchedSignal, (dispatch) => {
    dispatched.set(dispatch.row, dispatch);
  });
  const pageId = workflowInfo().workflowId;
  const rows = Array.from({ length: input.count }, (_, i) => input.firstRow + i);
  // All starts in one workflow task; the letters outlive the page (they follow delivery for days).
  await Promise.all(
    rows.map((row) =>
      startChild(officialLetterWorkflow, {
        workflowId: letterProcessId(input.batchId, row),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            letterId: letterProcessId(input.batchId, row),
            organization: input.organization,
            requestedBy: input.requestedBy,
            trackingDays: input.trackingDays,
            page: { workflowId: pageId, row },
          },
        ],
      }),
    ),
  );
  await condition(() => dispatched.size === input.count);
  const totals = emptyTotals();
  for (const dispatch of dispatched.values()) {
    if (dispatch.outcome === 'sent') {
      totals.dispatched += 1;
      totals[dispatch.channel!] += 1;
      totals.costCents += dispatch.costCents ?? 0;
      totals.paperCostCents += dispatch.paperCostCents ?? 0;
    } else if (dispatch.outcome === 'no_channel') totals.noChannel += 1;
    else totals[dispatch.outcome] += 1;
  }
  return totals;
}
