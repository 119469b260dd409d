import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { defineQuery, upsertSearchAttributes } from '@temporalio/workflow';
import { DeadlineAt, Organization, ProcessStatus, ProcessType, StepSince, WaitingFor, WaitingUntil } from './searchAttributes';

/**
 * Keeps the admin's view in the Temporal Web UI true: every process calls
 * these at each step instead of writing search attributes by hand.
 */

/** Every process type answers its state under this one name; each also exports the same query with its own state type. */
export const anyProcessStateQuery = defineQuery<unknown>('state');

export function showProcess(processType: string, organization: string): void {
  upsertSearchAttributes([
    { key: ProcessType, value: processType },
    { key: Organization, value: organization },
  ]);
}

export interface StepView {
  status: string;
  /** A role such as "employee" or "checker"; null when nobody is awaited. */
  waitingFor?: string | null;
  deadlineAt?: Date | null;
  /** When the step's wait by design ends, where that is not its deadline (a letter followed past its notification day). */
  waitingUntil?: Date;
}

/**
 * A step waits by design until its deadline when it awaits a person (or nobody, on a timer such as a
 * rectification period); a step of the system's own work waits on nothing, whatever deadline the process has.
 */
function waitsUntil(step: StepView): Date | null {
  if (step.waitingUntil) return step.waitingUntil;
  return step.waitingFor !== 'system' && step.deadlineAt ? step.deadlineAt : null;
}

export function showStep(step: StepView): void {
  const pairs: SearchAttributeUpdatePair[] = [
    { key: ProcessStatus, value: step.status },
    { key: StepSince, value: new Date() },
    { key: WaitingUntil, value: waitsUntil(step) },
  ];
  if (step.waitingFor !== undefined) pairs.push({ key: WaitingFor, value: step.waitingFor ?? null });
  if (step.deadlineAt !== undefined) pairs.push({ key: DeadlineAt, value: step.deadlineAt });
  upsertSearchAttributes(pairs);
}
