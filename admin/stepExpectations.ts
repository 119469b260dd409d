/**
 * How long a step without a known end may take before the admin should look at it. Steps that wait by design
 * until a known moment (WaitingUntil) are not judged by these: they are waiting until then. The system's own
 * steps (checking, sealing, sending) take minutes; a person's step with no deadline takes as long as their work
 * does. A letter batch paces its sending over hours, so it gets a day.
 */

const HOUR = 3600_000;

/** By "processType.status"; the values are what a municipality would call a normal day's delay. */
const STEP_EXPECTATIONS_MS: Record<string, number> = {
  'formToDecision.awaiting_decision': 30 * 24 * HOUR,
  'formToDecision.supplementation_overdue': 30 * 24 * HOUR,
  'formToDecision.rectification_requested': 30 * 24 * HOUR,
  'formToDecision.awaiting_signature': 7 * 24 * HOUR,
  'formToDecision.notification_failed': 2 * 24 * HOUR,
  'letterBatch.sending': 24 * HOUR,
};

/** A step the system carries out itself is expected to move within the hour. */
export const SYSTEM_STEP_EXPECTATION_MS = HOUR;

export interface StepToJudge {
  processType?: string;
  status?: string;
  waitingFor?: string;
}

/**
 * The expectation for one step. `personStepMs` is the admin's choice for a person's step not listed above;
 * asked for less than an hour, it shortens the system's steps too (an admin asking for "0 hours" sees every step).
 */
export function expectedStepMs(step: StepToJudge, personStepMs: number): number {
  const listed = STEP_EXPECTATIONS_MS[`${step.processType}.${step.status}`];
  if (listed !== undefined) return listed;
  const systemActs = !step.waitingFor || step.waitingFor === 'system';
  return systemActs ? Math.min(SYSTEM_STEP_EXPECTATION_MS, personStepMs) : personStepMs;
}

/** The shortest expectation of any step: the visibility query asks for steps older than this, the rest is judged step by step. */
export function shortestExpectationMs(personStepMs: number): number {
  return Math.min(SYSTEM_STEP_EXPECTATION_MS, personStepMs, ...Object.values(STEP_EXPECTATIONS_MS));
}
