import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/**
 * Where the time between the last signature and the sealed PDF goes, read
 * from one contract's history: waiting in the task queue versus running,
 * for the last signature and for the certificate-and-seal step.
 */
export interface SealingTimeline {
  /** From the signer pressing "sign" to the signature activity being scheduled (API, Update, workflow task). */
  toSignScheduled: number;
  signQueued: number;
  signRunning: number;
  /** From the signature done to the seal scheduled (workflow tasks, the audit record). */
  toSealScheduled: number;
  sealQueued: number;
  sealRunning: number;
  /** From the press to the seal activity's completion: the sealed version, its record and audit event all written. */
  pressToSealed: number;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function lastActivity(events: HistoryEvent[], activityType: string) {
  const scheduled = [...events].reverse().find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType);
  if (!scheduled) return undefined;
  const id = Number(scheduled.eventId);
  const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
  const completed = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
  if (!started || !completed) return undefined;
  return { scheduled: tsToMs(scheduled.eventTime), started: tsToMs(started.eventTime), completed: tsToMs(completed.eventTime) };
}

export async function sealingTimeline(client: Client, workflowId: string, pressedSignAt: number): Promise<SealingTimeline | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const sign = lastActivity(events, 'signAsParticipant');
  const seal = lastActivity(events, 'certifyAndSeal');
  if (!sign || !seal) return undefined;
  return {
    toSignScheduled: sign.scheduled - pressedSignAt,
    signQueued: sign.started - sign.scheduled,
    signRunning: sign.completed - sign.started,
    toSealScheduled: seal.scheduled - sign.completed,
    sealQueued: seal.started - seal.scheduled,
    sealRunning: seal.completed - seal.started,
    pressToSealed: seal.completed - pressedSignAt,
  };
}
