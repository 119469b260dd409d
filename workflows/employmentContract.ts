import type { RetryPolicy } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  defineQuery,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ContractActivities, ContractEnding } from '../activities/contractActivities';
import type { DocumentActivities } from '../activities/documentActivities';
import { registerAdminUpdates } from './adminUpdates';
import { ORGANISATION_SEAL_FIELD } from './organisationSeal';
import { showProcess, showStep } from './processView';
import { QUICK_TRIES, throughTimestampOutages } from './timestampServiceOutage';
import { type RoundOutcome, type RoundSigner, type RoundSnapshot, SigningRound } from './signingRound';
import { declareVersioning } from './versioningBehavior';

/**
 * Employment contract signature (työsopimuksen allekirjoitus), as HR and the
 * signers live it: the contract is drawn up, the employee and the
 * employer's representative are invited in order, each signs or declines on
 * their phone, reminders go out while someone waits, and at the end the
 * audit certificate is appended, the organisation seals the whole document,
 * every party gets it, and it goes to the archive with its records metadata.
 *
 * The history holds ids, roles and times only: names, addresses and e-mail
 * addresses stay in the contract record, which the activities read.
 */

export interface EmploymentContractInput {
  contractId: string;
  organization: string;
  /** "staff:hr:<name>" of whoever sent it. */
  requestedBy: string;
  signers: RoundSigner[];
  deadlineAt: string;
  reminders: { intervalMs: number; max: number };
  /** Records management plan task class for the archive. */
  taskClass: string;
}

export type ContractStatus =
  'preparing' | 'awaiting_signatures' | 'certifying' | 'sealing' | 'delivering' | 'archiving' | 'completed' | ContractEnding;

export interface EmploymentContractState {
  status: ContractStatus;
  round: RoundSnapshot;
  sealedVersionId?: string;
  sealedSha256?: string;
  certificateVersionId?: string;
  archiveId?: string;
  endedAt?: string;
}

export const contractStateQuery = defineQuery<EmploymentContractState>('state');

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
const documents = proxyActivities<DocumentActivities>({ startToCloseTimeout: '2 minutes', retry });
const contracts = proxyActivities<ContractActivities>({ startToCloseTimeout: '2 minutes', retry });
/**
 * When the worker is busy, work runs by Temporal's task priority (1 is the
 * highest, 3 the default). Finishing a contract whose last signature is in
 * goes first, then a signer's signature (they wait for the receipt), then
 * invitations, and delivery mail and archiving last. The signing steps are
 * short, so a crashed worker's attempt is retried soon.
 */
const sealing = proxyActivities<ContractActivities>({ startToCloseTimeout: '30 seconds', retry, priority: { priorityKey: 1 } });
// The seal is timestamped and made B-LTA: a few quick tries, then the admin sees the wait for the timestamp service.
const sealingQuickly = proxyActivities<ContractActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: QUICK_TRIES },
  priority: { priorityKey: 1 },
});
const signing = proxyActivities<ContractActivities>({ startToCloseTimeout: '30 seconds', retry, priority: { priorityKey: 2 } });
const afterwards = proxyActivities<ContractActivities>({ startToCloseTimeout: '2 minutes', retry, priority: { priorityKey: 4 } });
/** Audit records are one small write: run in the worker without a round trip through the task queue. */
const records = proxyLocalActivities<DocumentActivities>({ startToCloseTimeout: '30 seconds', retry });

export const EMPLOYMENT_CONTRACT = 'employmentContract';

// Worker Versioning: signed within days: finishes on the build it started on, which stays up until drained.
declareVersioning(employmentContractWorkflow, 'PINNED');
export async function employmentContractWorkflow(input: EmploymentContractInput): Promise<EmploymentContractState> {
  const { contractId } = input;
  // Contracts started before the seal became one step (with audit records as local activities) replay as they ran.
  const sealInOneStep = patched('seal-in-one-step');
  const audit = (action: string, details?: Record<string, unknown>, documentSha256?: string, actor = 'system') =>
    (sealInOneStep ? records : documents).recordAuditEvent({
      processId: contractId,
      actor,
      action,
      at: new Date().toISOString(),
      documentSha256,
      details,
    });

  const round = new SigningRound({
    signers: input.signers,
    deadlineAt: new Date(input.deadlineAt),
    reminders: input.reminders,
    actions: {
      invite: (signer, deadlineAt, kind) =>
        contracts.mailSigningLink({ contractId, participantId: signer.participantId, deadlineAt: deadlineAt.toISOString(), kind }),
      sign: (signer, decision, document) =>
        signing.signAsParticipant({
          contractId,
          participantId: signer.participantId,
          versionId: document.versionId,
          evidenceId: decision.evidenceId,
        }),
      decline: (signer, decision) =>
        contracts.recordDecline({ contractId, participantId: signer.participantId, evidenceId: decision.evidenceId }),
      deadlineExtended: async (deadlineAt, actor) => {
        await contracts.extendSigningLinks({ contractId, deadlineAt: deadlineAt.toISOString() });
        await audit('contract.deadline_extended', { deadlineAt: deadlineAt.toISOString() }, undefined, actor);
      },
      reassigned: (previous, replacement, wasInvited, { actor, reason }) =>
        contracts.reassignSigner({
          contractId,
          participantId: previous.participantId,
          replacementId: replacement.participantId,
          notifyPrevious: wasInvited,
          actor,
          reason,
        }),
      show: (snapshot) => {
        if (snapshot.status !== 'open') return;
        const awaited = snapshot.signers.filter((s) => snapshot.awaited.includes(s.participantId)).map((s) => s.role);
        showStep({
          status: 'awaiting_signatures',
          waitingFor: awaited.length ? awaited.join(',') : 'system',
          deadlineAt: new Date(snapshot.deadlineAt),
        });
      },
    },
  });
  registerAdminUpdates(() => round.admin);
  const state: EmploymentContractState = { status: 'preparing', round: round.snapshot() };
  setHandler(contractStateQuery, () => ({ ...state, round: round.snapshot() }));
  const step = (status: ContractStatus, waitingFor: string | null = 'system') => {
    state.status = status;
    showStep({ status, waitingFor });
  };

  showProcess(EMPLOYMENT_CONTRACT, input.organization);
  showStep({ status: 'preparing', waitingFor: 'system', deadlineAt: new Date(input.deadlineAt) });

  // 1. Draw up the contract and plan one signature field per signer, the seal last.
  const { source, fields } = await contracts.renderContractDocument({ contractId });
  const prepared = await documents.prepareSignatureFields({
    versionId: source.versionId,
    fields: [...fields, { name: ORGANISATION_SEAL_FIELD, label: input.organization }],
  });
  await audit('contract.prepared', { signers: input.signers.length }, prepared.sha256);

  // 2–5. Invite, remind, and carry out each decision until the round ends.
  state.status = 'awaiting_signatures';
  const outcome = await round.run(prepared);

  if (outcome.kind === 'signed') {
    await completeContract(outcome.document);
  } else {
    await endContract(outcome);
  }
  state.endedAt = new Date().toISOString();
  await condition(allHandlersFinished);
  return { ...state, round: round.snapshot() };

  async function completeContract(signed: { versionId: string; sha256: string }): Promise<void> {
    await audit('contract.all_signed', undefined, signed.sha256);

    // 6. The audit certificate goes into the document; then the organisation seals all of it.
    const sealStamp = {
      signerName: input.organization,
      role: 'Sinetti / Sigill / Seal',
      signedAt: new Date().toISOString(),
      reason: 'Allekirjoitukset tarkastettu / Underskrifterna granskade / Signatures verified',
    };
    let sealed: { versionId: string; sha256: string };
    let certificateVersionId: string;
    if (sealInOneStep) {
      step('sealing');
      const sealRequest = { contractId, versionId: signed.versionId, sealFieldName: ORGANISATION_SEAL_FIELD, stamp: sealStamp };
      const done = await throughTimestampOutages(
        () => sealingQuickly.certifyAndSeal(sealRequest),
        () => sealing.certifyAndSeal(sealRequest),
        (waitingFor) => step('sealing', waitingFor),
        'system',
      );
      sealed = done.sealed;
      certificateVersionId = done.certificate.versionId;
    } else {
      step('certifying');
      const certified = await contracts.appendAuditCertificate({ contractId, versionId: signed.versionId });
      certificateVersionId = certified.certificate.versionId;
      step('sealing');
      sealed = await documents.signDocumentField({
        versionId: certified.document.versionId,
        fieldName: ORGANISATION_SEAL_FIELD,
        stamp: sealStamp,
      });
      await audit('contract.sealed', undefined, sealed.sha256);
    }
    state.certificateVersionId = certificateVersionId;
    state.sealedVersionId = sealed.versionId;
    state.sealedSha256 = sealed.sha256;

    // 7. Every signer and HR get the sealed contract.
    step('delivering');
    await (sealInOneStep ? afterwards : contracts).deliverSealedContract({ contractId, versionId: sealed.versionId });
    await audit('contract.delivered', undefined, sealed.sha256);

    // 8. Archived under the task class's records metadata.
    step('archiving');
    const archived = await (sealInOneStep ? afterwards : contracts).archiveContract({
      contractId,
      versionId: sealed.versionId,
      certificateVersionId,
      taskClass: input.taskClass,
    });
    state.archiveId = archived.archiveId;
    await audit('contract.archived', { taskClass: input.taskClass }, sealed.sha256);
    step('completed', null);
  }

  async function endContract(ended: Exclude<RoundOutcome, { kind: 'signed' }>): Promise<void> {
    state.status = ended.kind;
    const notify = round
      .contacted()
      .map((s) => s.participantId)
      .filter((id) => ended.kind !== 'declined' || id !== ended.participantId);
    await contracts.endContract({
      contractId,
      ending: ended.kind,
      notify,
      declineEvidenceId: ended.kind === 'declined' ? ended.evidenceId : undefined,
      cancelReason: ended.kind === 'cancelled' ? ended.reason : undefined,
    });
    if (ended.kind === 'cancelled') await audit('contract.cancelled', { reason: ended.reason }, undefined, ended.actor);
    if (ended.kind === 'expired') await audit('contract.expired');
    step(ended.kind, null);
  }
}
