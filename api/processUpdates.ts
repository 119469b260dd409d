import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { NotFoundError, SinettiError } from '../common/errors';
import { REJECTIONS, RejectionType } from '../workflows/signingRound';

/**
 * Sends an Update to a running process and turns a refusal from its
 * validator into the HTTP answer a person can act on. A process that has
 * already finished refuses everything as "signing has ended".
 */

const STATUS: Record<RejectionType, number> = {
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

export async function updateProcess<Ret, Arg>(
  temporal: Client,
  processId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  try {
    return await temporal.workflow.getHandle(processId).executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const type = error.cause.type as RejectionType;
      if (type in STATUS) throw new SinettiError(type, REJECTIONS[type], STATUS[type]);
      throw new SinettiError(type ?? 'update_failed', error.cause.message, 409);
    }
    if (error instanceof WorkflowNotFoundError) {
      if (/completed|closed|finished/i.test(error.message)) throw new SinettiError('round_closed', REJECTIONS.round_closed, 409);
      throw new NotFoundError(`Process ${processId}`);
    }
    throw error;
  }
}

export async function queryProcess<T>(temporal: Client, processId: string): Promise<T> {
  try {
    return await temporal.workflow.getHandle(processId).query<T>('state');
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Process ${processId}`);
    throw error;
  }
}
