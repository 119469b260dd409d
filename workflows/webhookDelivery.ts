import { ActivityFailure, condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhookActivities';

/**
 * The webhook deliveries of one process to one subscription, one event at
 * a time in the order they happened, so a receiver sees a contract's
 * "sent" before its "signed" even after being down for a day. Each event
 * is one activity (its delivery id names the subscription and the event,
 * and the `webhook-id` is derived from both, so every retry carries the
 * same id), retried with exponential backoff until the configured time is
 * up; then it is dead-lettered and the next event goes. The workflow ends
 * when it has been idle a while; the next event starts it again.
 *
 * Superseded by the lanes of workflows/webhookLane.ts (one workflow per
 * process cost a new sandbox per letter in a batch); kept registered so
 * runs started before the change finish what they hold.
 */

export interface WebhookRetrySchedule {
  initialMs: number;
  maxIntervalMs: number;
  giveUpAfterMs: number;
}

export interface WebhookDeliveryInput {
  subscriptionId: string;
  processId: string;
  retry: WebhookRetrySchedule;
  requestTimeoutMs: number;
  /** Deliveries carried over from the previous run (continue-as-new). */
  queued?: WebhookDeliveryRequest[];
}

export interface WebhookDeliveryRequest {
  deliveryId: string;
  /** The admin's redelivery of a dead-lettered event: delivered again even though this run has seen it. */
  redeliver?: boolean;
}

export const webhookEventSignal = defineSignal<[WebhookDeliveryRequest]>('webhookEvent');

/** How long the workflow waits for the process's next event before it ends. */
const IDLE_BEFORE_ENDING = '2 minutes';

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<void> {
  const queue: WebhookDeliveryRequest[] = [...(input.queued ?? [])];
  const seen = new Set(queue.map((request) => request.deliveryId));
  setHandler(webhookEventSignal, (request) => {
    if (seen.has(request.deliveryId) && !request.redeliver) return;
    seen.add(request.deliveryId);
    queue.push(request);
  });

  const { deliverWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: input.requestTimeoutMs + 10_000,
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: { initialInterval: input.retry.initialMs, maximumInterval: input.retry.maxIntervalMs, backoffCoefficient: 2 },
  });
  const { deadLetterWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  for (;;) {
    await condition(() => queue.length > 0, IDLE_BEFORE_ENDING);
    if (queue.length === 0) return;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof webhookDeliveryWorkflow>({ ...input, queued: queue });
    const request = queue.shift()!;
    try {
      await deliverWebhook({ deliveryId: request.deliveryId });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await deadLetterWebhook({ deliveryId: request.deliveryId });
    }
  }
}
