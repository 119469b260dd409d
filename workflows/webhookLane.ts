import { ActivityFailure, condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhookActivities';
import type { WebhookRetrySchedule } from './webhookDelivery';

/**
 * One subscription's deliveries for a share of the processes (the
 * processes hashed onto a fixed number of lanes), long-lived: a batch of
 * ten thousand letters costs a few signals and no new workflows. Within a
 * process the events go one at a time in the order they happened, so a
 * receiver sees a contract's "sent" before its "signed" even after being
 * down for a day; different processes are delivered side by side, up to
 * a limit. Each event is one activity (its delivery id names the
 * subscription and the event, and the `webhook-id` is derived from both,
 * so every retry carries the same id), retried with exponential backoff
 * until the configured time is up; then it is dead-lettered and that
 * process's next event goes. The lane ends when it has been idle a while;
 * the next event starts it again.
 */

export interface WebhookLaneRequest {
  deliveryId: string;
  processId: string;
  /** The admin's redelivery of a dead-lettered event: delivered again even though this run has seen it. */
  redeliver?: boolean;
}

export interface WebhookLaneInput {
  subscriptionId: string;
  lane: number;
  retry: WebhookRetrySchedule;
  requestTimeoutMs: number;
  /** Deliveries carried over from the previous run (continue-as-new). */
  queued?: WebhookLaneRequest[];
}

/** Deliveries in the order they happened; one signal carries a dispatcher round's share of this lane. */
export const webhookLaneSignal = defineSignal<[WebhookLaneRequest[]]>('webhookDeliveries');

/** How many processes' deliveries are under way at once in one lane. */
const PROCESSES_AT_ONCE = 16;
/** How long the lane waits for more events before it ends. */
const IDLE_BEFORE_ENDING = '2 minutes';

export async function webhookLaneWorkflow(input: WebhookLaneInput): Promise<void> {
  const waiting = new Map<string, WebhookLaneRequest[]>();
  const underWay = new Set<string>();
  const seen = new Set<string>();
  let draining = false;
  const enqueue = (request: WebhookLaneRequest) => {
    if (seen.has(request.deliveryId) && !request.redeliver) return;
    seen.add(request.deliveryId);
    const queue = waiting.get(request.processId) ?? [];
    queue.push(request);
    waiting.set(request.processId, queue);
  };
  (input.queued ?? []).forEach(enqueue);
  setHandler(webhookLaneSignal, (requests) => requests.forEach(enqueue));

  const { deliverWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: input.requestTimeoutMs + 10_000,
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: { initialInterval: input.retry.initialMs, maximumInterval: input.retry.maxIntervalMs, backoffCoefficient: 2 },
  });
  const { deadLetterWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  /** One process's waiting events, one after another, until none is left. */
  async function deliverInOrder(processId: string): Promise<void> {
    for (let next = waiting.get(processId)?.shift(); next; next = waiting.get(processId)?.shift()) {
      try {
        await deliverWebhook({ deliveryId: next.deliveryId });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        await deadLetterWebhook({ deliveryId: next.deliveryId });
      }
      if (draining) break;
    }
    if (!waiting.get(processId)?.length) waiting.delete(processId);
    underWay.delete(processId);
  }

  const startable = () => [...waiting.keys()].some((processId) => !underWay.has(processId));
  /** A delivery that failed other than by running out of retries (a bug, not a receiver): fails the lane, which Temporal shows. */
  let failure: Error | undefined;
  for (;;) {
    const busy = await condition(
      () => failure !== undefined || (!draining && underWay.size < PROCESSES_AT_ONCE && startable()) || (draining && underWay.size === 0),
      IDLE_BEFORE_ENDING,
    );
    if (failure !== undefined) throw failure;
    if (!busy && underWay.size === 0 && waiting.size === 0) return;
    if (draining && underWay.size === 0) {
      await continueAsNew<typeof webhookLaneWorkflow>({ ...input, queued: [...waiting.values()].flat() });
    }
    if (workflowInfo().continueAsNewSuggested) {
      draining = true;
      continue;
    }
    for (const processId of waiting.keys()) {
      if (underWay.size >= PROCESSES_AT_ONCE) break;
      if (underWay.has(processId)) continue;
      underWay.add(processId);
      deliverInOrder(processId).catch((error: unknown) => (failure = error instanceof Error ? error : new Error(String(error))));
    }
  }
}
