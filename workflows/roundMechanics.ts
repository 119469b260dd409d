import { condition } from '@temporalio/workflow';

/**
 * What every round shares, whatever people do in it (check minutes, sign a
 * contract): the reminder rule, the deadline check, the queue that carries
 * out human decisions one at a time on the workflow's main loop, and the
 * wait for whichever comes first of a message, a reminder or the deadline.
 */

export interface ReminderRule {
  intervalMs: number;
  max: number;
}

/** What the reminder rule needs to know of a participant. */
export interface Remindable {
  invitedAt?: string;
  lastRemindedAt?: string;
  remindersSent: number;
}

/**
 * When the participant's next automatic reminder is due (Infinity: none).
 * An admin can remind at any moment, so the next one is due an interval
 * after the latest reminder of any kind, never at or after the deadline,
 * and at most `max` in all. `fixedSchedule` is the older rule (every
 * interval from the invitation), kept for processes started before.
 */
export function nextReminderAt(participant: Remindable, rule: ReminderRule, deadlineAt: Date, fixedSchedule = false): number {
  if (!participant.invitedAt || participant.remindersSent >= rule.max) return Infinity;
  const at = fixedSchedule
    ? new Date(participant.invitedAt).getTime() + (participant.remindersSent + 1) * rule.intervalMs
    : new Date(participant.lastRemindedAt ?? participant.invitedAt).getTime() + rule.intervalMs;
  return at < deadlineAt.getTime() ? at : Infinity;
}

/** A new deadline must be a valid time in the future. */
export function isValidNewDeadline(deadlineAt: string): boolean {
  const at = new Date(deadlineAt).getTime();
  return !Number.isNaN(at) && at > Date.now();
}

/** How a queued decision was settled: its receipt, or the named rejection it met on the main loop. */
export type Settled<Receipt, Rejection extends string> = { receipt: Receipt } | { rejected: Rejection };

/**
 * Human decisions arrive as Updates whose validators have accepted them;
 * each waits here until the round's main loop has carried it out, so
 * decisions run one at a time and in order, never inside a handler.
 */
export class DecisionQueue<Decision extends { participantId: string }, Receipt, Rejection extends string> {
  private readonly waiting: Decision[] = [];
  private readonly settled = new Map<string, Settled<Receipt, Rejection>>();

  get isEmpty(): boolean {
    return this.waiting.length === 0;
  }

  /** Called by the Update handler: resolves once the main loop has settled the decision. */
  async submit(decision: Decision): Promise<Settled<Receipt, Rejection>> {
    this.settled.delete(decision.participantId);
    this.waiting.push(decision);
    await condition(() => this.settled.has(decision.participantId));
    return this.settled.get(decision.participantId)!;
  }

  /** The next decision for the main loop to carry out. */
  next(): Decision | undefined {
    return this.waiting.shift();
  }

  settle(participantId: string, outcome: Settled<Receipt, Rejection>): void {
    this.settled.set(participantId, outcome);
  }

  /** When the round ends, decisions still queued are refused, not left hanging. */
  refuseRemaining(rejection: Rejection): Decision[] {
    const late = this.waiting.splice(0);
    for (const decision of late) this.settled.set(decision.participantId, { rejected: rejection });
    return late;
  }
}

/** Sleeps on the main loop until `ready` holds or `wakeAt` (epoch ms; Infinity: no timer) comes. */
export async function waitUntil(ready: () => boolean, wakeAt: number): Promise<void> {
  if (Number.isFinite(wakeAt)) await condition(ready, Math.max(1, wakeAt - Date.now()));
  else await condition(ready);
}
