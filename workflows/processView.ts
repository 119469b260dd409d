import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { defineQuery, upsertSearchAttributes } from '@temporalio/workflow';
import { DeadlineAt, Organization, ProcessStatus, ProcessType, StepSince, WaitingFor } from './searchAttributes';

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
}

export function showStep(step: StepView): void {
  const pairs: SearchAttributeUpdatePair[] = [
    { key: ProcessStatus, value: step.status },
    { key: StepSince, value: new Date() },
  ];
  if (step.waitingFor !== undefined) pairs.push({ key: WaitingFor, value: step.waitingFor ?? null });
  if (step.deadlineAt !== undefined) pairs.push({ key: DeadlineAt, value: step.deadlineAt });
  upsertSearchAttributes(pairs);
}
