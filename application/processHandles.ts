import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import { NotFoundError, SinettiError } from '../common/errors';
import { REJECTIONS, type RejectionType } from '../workflows/signingRound';

/**
 * Typed calls into running processes: a query or an Update by its
 * definition (never by a string name), with the process's refusals turned
 * into errors a person can act on. A process that has already finished
 * refuses everything as "signing has ended".
 */

export const SIGNING_REJECTION_STATUS: Record<RejectionType, number> = {
  unknown_signer: 404,
  round_closed: 409,
  not_open_yet: 409,
  not_your_turn: 409,
  already_decided: 409,
  stale_document: 409,
  invalid_deadline: 400,
  not_invited: 409,
  nobody_to_remind: 409,
  invalid_replacement: 409,
};

/** How a process type's refusals read as errors a person can act on. */
export interface Refusals {
  /** A refusal the process named: its ApplicationFailure type, message and details. */
  refused(type: string | undefined, message: string, details: unknown): SinettiError;
  /** The process has already ended. */
  ended(): SinettiError;
  /** Temporal knows no such process. */
  unknown(): SinettiError;
}

/** Sends an Update by its definition; the process's refusal, or its having ended, becomes the process type's own error. */
export async function sendUpdate<Ret, Arg>(
  temporal: Client,
  processId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  refusals: Refusals,
): Promise<Ret> {
  try {
    return await temporal.workflow.getHandle(processId).executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      throw refusals.refused(error.cause.type ?? undefined, error.cause.message, error.cause.details?.[0]);
    }
    if (error instanceof WorkflowNotFoundError)
      throw /completed|closed|finished/i.test(error.message) ? refusals.ended() : refusals.unknown();
    throw error;
  }
}

/** A signing round's refusals (see workflows/signingRound.ts), each with its HTTP status. */
export function signingRoundRefusals(processId: string): Refusals {
  return {
    refused: (type, message) =>
      type && type in SIGNING_REJECTION_STATUS
        ? new SinettiError(type, REJECTIONS[type as RejectionType], SIGNING_REJECTION_STATUS[type as RejectionType])
        : new SinettiError(type ?? 'update_failed', message, 409),
    ended: () => new SinettiError('round_closed', REJECTIONS.round_closed, 409),
    unknown: () => new NotFoundError(`Process ${processId}`),
  };
}

/** Sends a signing round's Update; its named rejections keep their HTTP status. */
export function updateProcess<Ret, Arg>(temporal: Client, processId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  return sendUpdate(temporal, processId, update, arg, signingRoundRefusals(processId));
}

/** A process's answer to a query; a process Temporal does not know is a 404, anything else (an outage) passes on. */
export async function queryProcess<Ret, Args extends unknown[]>(
  temporal: Client,
  processId: string,
  query: QueryDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret> {
  try {
    return await temporal.workflow.getHandle(processId).query(query, ...args);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Process ${processId}`);
    throw error;
  }
}

/** A running process's answer; undefined once it has closed (its outcome is in the record) or when there is none. */
export async function queryWhileRunning<Ret, Args extends unknown[]>(
  temporal: Client,
  processId: string,
  query: QueryDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret | undefined> {
  try {
    const handle = temporal.workflow.getHandle(processId);
    if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
    return await handle.query(query, ...args);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Search attributes of every process of one type, by process id. */
export async function searchAttributesOf(
  temporal: Client,
  processType: string,
): Promise<Map<string, { attributes: Record<string, unknown[] | undefined>; runStatus: string }>> {
  const views = new Map<string, { attributes: Record<string, unknown[] | undefined>; runStatus: string }>();
  for await (const execution of temporal.workflow.list({ query: `ProcessType = '${processType}'` })) {
    views.set(execution.workflowId, {
      attributes: execution.searchAttributes as Record<string, unknown[] | undefined>,
      runStatus: execution.status.name,
    });
  }
  return views;
}
