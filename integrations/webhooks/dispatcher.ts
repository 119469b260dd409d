import { createHash } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { type BackgroundLoop, startBackgroundLoop } from '../../common/backgroundLoop';
import type { SinettiConfig } from '../../config/config';
import { logger } from '../../observability/logger';
import { WebhookDeliveries } from '../../store/webhookDeliveries';
import { DispatcherLease } from '../../store/webhookDispatcherLease';
import { WebhookOutbox } from '../../store/webhookOutbox';
import { type WebhookSubscription } from '../../store/webhookSubscriptions';
import { webhooksTaskQueue } from '../../workflows/taskQueues';
import { webhookLaneSignal, webhookLaneWorkflow, type WebhookLaneInput, type WebhookLaneRequest } from '../../workflows/webhookLane';
import { webhookMessageId } from './webhookPayload';

/**
 * Moves events from the outbox to delivery: for each event and each active
 * subscription that wants its type, a delivery record, and the event's
 * place in one of the subscription's delivery lanes (workflows/webhookLane.ts):
 * its process hashed onto one of a fixed number of lanes, so one process's
 * events always meet in the same lane, in the order they happened. A round
 * hands each lane its share in one signal (starting the lane when it is
 * not running): a thousand letters cost a few signals, not a thousand
 * workflows. Events leave the outbox only after their deliveries are
 * handed over, so a crash repeats a hand-over, which the delivery log and
 * the lane ignore.
 *
 * It runs in the worker process beside the webhooks worker (one holder per
 * task queue at a time, see store/webhookDispatcherLease.ts).
 */

const BATCH = 500;
/** Lanes per subscription: how many processes' deliveries can be under way at once is this times the lane's own limit. */
export const WEBHOOK_LANES = 8;

export interface WebhookDispatcherDeps {
  config: SinettiConfig;
  temporal: Client;
  subscriptions: { active(): Promise<WebhookSubscription[]> };
}

export function webhookLaneOf(processId: string): number {
  return createHash('sha256').update(processId).digest().readUInt32BE(0) % WEBHOOK_LANES;
}

/** The lane workflow that delivers a process's events to a subscription. */
export function deliveryWorkflowId(subscriptionId: string, processId: string): string {
  return `webhook-lane/${subscriptionId}/${webhookLaneOf(processId)}`;
}

/** Gives deliveries (one lane's, in the order they happened) to their lane, starting it when it is not running. */
export async function handOverDeliveries(
  temporal: Client,
  config: SinettiConfig,
  subscriptionId: string,
  requests: WebhookLaneRequest[],
): Promise<void> {
  if (!requests.length) return;
  const lane = webhookLaneOf(requests[0].processId);
  const input: WebhookLaneInput = {
    subscriptionId,
    lane,
    retry: config.webhooks.retry,
    requestTimeoutMs: config.webhooks.requestTimeoutMs,
  };
  await temporal.workflow.signalWithStart(webhookLaneWorkflow, {
    workflowId: deliveryWorkflowId(subscriptionId, requests[0].processId),
    taskQueue: webhooksTaskQueue(config.temporal.taskQueue),
    args: [input],
    signal: webhookLaneSignal,
    signalArgs: [requests],
  });
}

/** One round: hands over up to a batch of the oldest events; returns how many events it took from the outbox. */
export async function dispatchWebhookEvents(
  deps: WebhookDispatcherDeps,
  outbox = new WebhookOutbox(),
  deliveries = new WebhookDeliveries(),
): Promise<number> {
  const events = await outbox.oldest(BATCH);
  if (!events.length) return 0;
  const subscriptions = await deps.subscriptions.active();
  const lanes = new Map<string, { subscriptionId: string; requests: WebhookLaneRequest[] }>();
  const opened: Parameters<WebhookDeliveries['openMany']>[0] = [];
  for (const event of events) {
    for (const { subscriptionId } of subscriptions.filter((s) => s.eventTypes.includes(event.type))) {
      const key = deliveryWorkflowId(subscriptionId, event.processId);
      const lane = lanes.get(key) ?? { subscriptionId, requests: [] };
      lane.requests.push({ deliveryId: webhookMessageId(subscriptionId, event.eventId), processId: event.processId });
      lanes.set(key, lane);
      opened.push({ subscriptionId, event });
    }
  }
  // Every delivery of the round recorded in one write, then each lane's share in one signal.
  await deliveries.openMany(opened);
  await Promise.all([...lanes.values()].map((lane) => handOverDeliveries(deps.temporal, deps.config, lane.subscriptionId, lane.requests)));
  await outbox.remove(events.map((event) => event.eventId));
  return events.length;
}

/** Runs rounds until stopped: at once while there is work, every `outboxPollMs` when the outbox is empty. */
export function startWebhookDispatcher(deps: WebhookDispatcherDeps): BackgroundLoop {
  const pollMs = deps.config.webhooks.outboxPollMs;
  const lease = new DispatcherLease(`webhook-dispatcher/${deps.config.temporal.taskQueue}`, Math.max(15_000, pollMs * 10));
  return startBackgroundLoop(
    async (loop) => {
      try {
        if (!(await lease.hold())) return loop.pause(pollMs * 8);
        if ((await dispatchWebhookEvents(deps)) === 0) await loop.pause(pollMs);
      } catch (error) {
        logger.warn(
          { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'webhook dispatch round failed; trying again',
        );
        await loop.pause(Math.max(pollMs, 1_000));
      }
    },
    () => lease.release().catch(() => undefined),
  );
}
