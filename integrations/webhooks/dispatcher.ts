import { type Client } from '@temporalio/client';
import type { SinettiConfig } from '../../config/config';
import { logger } from '../../observability/logger';
import { WebhookDeliveries } from '../../store/webhookDeliveries';
import { DispatcherLease } from '../../store/webhookDispatcherLease';
import { WebhookOutbox } from '../../store/webhookOutbox';
import { type WebhookSubscription } from '../../store/webhookSubscriptions';
import { webhooksTaskQueue } from '../../workflows/taskQueues';
import {
  webhookDeliveryWorkflow,
  type WebhookDeliveryInput,
  type WebhookDeliveryRequest,
  webhookEventSignal,
} from '../../workflows/webhookDelivery';
import { webhookMessageId, type WebhookEvent } from './webhookPayload';

/**
 * Moves events from the outbox to delivery: for each event and each active
 * subscription that wants its type, a delivery record and a signal to the
 * delivery workflow of that subscription and process (started if it is
 * not running). One process's events are signalled one after another, in
 * the order they happened; different processes go in parallel. Events
 * leave the outbox only after their deliveries are handed over, so a crash
 * repeats a hand-over, which the delivery log and the workflow ignore.
 *
 * It runs in the worker process beside the webhooks worker (one holder per
 * task queue at a time, see store/webhookDispatcherLease.ts).
 */

const BATCH = 500;
const PARALLEL_PROCESSES = 64;

export interface WebhookDispatcherDeps {
  config: SinettiConfig;
  temporal: Client;
  subscriptions: { active(): Promise<WebhookSubscription[]> };
}

export function deliveryWorkflowId(subscriptionId: string, processId: string): string {
  return `webhook-delivery/${subscriptionId}/${processId}`;
}

/** Gives a delivery to its subscription and process's delivery workflow, starting the workflow when it is not running. */
export async function handOverDelivery(
  temporal: Client,
  config: SinettiConfig,
  lane: { subscriptionId: string; processId: string },
  request: WebhookDeliveryRequest,
): Promise<void> {
  const input: WebhookDeliveryInput = { ...lane, retry: config.webhooks.retry, requestTimeoutMs: config.webhooks.requestTimeoutMs };
  await temporal.workflow.signalWithStart(webhookDeliveryWorkflow, {
    workflowId: deliveryWorkflowId(lane.subscriptionId, lane.processId),
    taskQueue: webhooksTaskQueue(config.temporal.taskQueue),
    args: [input],
    signal: webhookEventSignal,
    signalArgs: [request],
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
  const lanes = new Map<string, { subscription: WebhookSubscription; events: WebhookEvent[] }>();
  for (const event of events) {
    for (const subscription of subscriptions.filter((s) => s.eventTypes.includes(event.type))) {
      const key = deliveryWorkflowId(subscription.subscriptionId, event.processId);
      const lane = lanes.get(key) ?? { subscription, events: [] };
      lane.events.push(event);
      lanes.set(key, lane);
    }
  }
  // Every delivery of the round recorded in one write, then handed over, a lane's events one after another.
  const all = [...lanes.values()];
  await deliveries.openMany(
    all.flatMap((lane) => lane.events.map((event) => ({ subscriptionId: lane.subscription.subscriptionId, event }))),
  );
  const handOver = async ({
    subscription: { subscriptionId },
    events: laneEvents,
  }: {
    subscription: WebhookSubscription;
    events: WebhookEvent[];
  }) => {
    for (const event of laneEvents) {
      await handOverDelivery(
        deps.temporal,
        deps.config,
        { subscriptionId, processId: event.processId },
        { deliveryId: webhookMessageId(subscriptionId, event.eventId) },
      );
    }
  };
  let nextLane = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_PROCESSES, all.length) }, async () => {
      while (nextLane < all.length) await handOver(all[nextLane++]);
    }),
  );
  await outbox.remove(events.map((event) => event.eventId));
  return events.length;
}

/** Runs rounds until stopped: at once while there is work, every `outboxPollMs` when the outbox is empty. */
export function startWebhookDispatcher(deps: WebhookDispatcherDeps): { stop(): Promise<void> } {
  const pollMs = deps.config.webhooks.outboxPollMs;
  const lease = new DispatcherLease(`webhook-dispatcher/${deps.config.temporal.taskQueue}`, Math.max(15_000, pollMs * 10));
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const running = (async () => {
    while (!stopped) {
      try {
        if (!(await lease.hold())) {
          await pause(pollMs * 8);
          continue;
        }
        if ((await dispatchWebhookEvents(deps)) === 0) await pause(pollMs);
      } catch (error) {
        logger.warn(
          { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'webhook dispatch round failed; trying again',
        );
        await pause(Math.max(pollMs, 1_000));
      }
    }
    await lease.release().catch(() => undefined);
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
