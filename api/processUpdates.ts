import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { NotFoundError, SinettiError } from '../common/errors';
import type { DocumentStore } from '../store/documentStore';
import { REJECTIONS, RejectionType, RoundSnapshot } from '../workflows/signingRound';

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

/**
 * A signer's decision checked as the round's validator will check it, before
 * its evidence (typed name, IP, browser) is stored: a decision the round would
 * refuse leaves no evidence record behind. The round accepts the hash of any
 * version it has shown; from outside, a hash no version of the document has
 * is refused here, and the round's own check stays the last word.
 */
export async function checkDecisionBeforeEvidence(store: DocumentStore, round: RoundSnapshot, participantId: string, documentSha256: string): Promise<void> {
  const refuse = (type: RejectionType) => new SinettiError(type, REJECTIONS[type], STATUS[type]);
  if (round.status !== 'open') throw refuse('round_closed');
  if (!round.documentVersionId) throw refuse('not_open_yet');
  const signer = round.signers.find((s) => s.participantId === participantId);
  if (!signer) throw refuse('unknown_signer');
  if (signer.status === 'signed' || signer.status === 'declined' || signer.status === 'deciding') throw refuse('already_decided');
  if (signer.status !== 'invited') throw refuse('not_your_turn');
  if (documentSha256 === round.documentSha256) return;
  const { documentId } = await store.getVersion(round.documentVersionId);
  if (!(await store.listVersions(documentId)).some((version) => version.sha256 === documentSha256)) throw refuse('stale_document');
}
