import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

/** Milliseconds of an event's time stamp. */
function millisOf(event: temporal.api.history.v1.IHistoryEvent): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1000 + Math.round((time?.nanos ?? 0) / 1e6);
}

/** One step's cost summed over the profiled processes: waiting in the task queue, then running. */
export interface StepCost {
  step: string;
  count: number;
  queuedMs: number;
  runMs: number;
}

/**
 * Where a seeded process's time went, read from its own history (not
 * guessed): each activity type's wait in the queue (scheduled → started)
 * and its run (started → completed), and the workflow tasks' likewise,
 * summed over `workflowIds`. Read after seeding, so it costs the run nothing.
 */
export async function seedingProfile(client: Client, workflowIds: string[]): Promise<StepCost[]> {
  const costs = new Map<string, StepCost>();
  const add = (step: string, queuedMs: number, runMs: number) => {
    const cost = costs.get(step) ?? { step, count: 0, queuedMs: 0, runMs: 0 };
    cost.count++;
    cost.queuedMs += queuedMs;
    cost.runMs += runMs;
    costs.set(step, cost);
  };
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const byId = new Map(events.map((event) => [Number(event.eventId), event]));
    for (const event of events) {
      if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        const attributes = event.activityTaskCompletedEventAttributes!;
        const scheduled = byId.get(Number(attributes.scheduledEventId))!;
        const started = byId.get(Number(attributes.startedEventId))!;
        const name = scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
        add(`activity ${name}`, millisOf(started) - millisOf(scheduled), millisOf(event) - millisOf(started));
      }
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const attributes = event.workflowTaskCompletedEventAttributes!;
        const scheduled = byId.get(Number(attributes.scheduledEventId))!;
        const started = byId.get(Number(attributes.startedEventId))!;
        add('workflow task', millisOf(started) - millisOf(scheduled), millisOf(event) - millisOf(started));
      }
    }
  }
  return [...costs.values()].sort((a, b) => b.queuedMs + b.runMs - (a.queuedMs + a.runMs));
}
