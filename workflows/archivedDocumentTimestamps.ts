import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { ArchiveTimestampActivities } from '../activities/archiveTimestampActivities';
import { TIMESTAMP_SERVICE } from './timestampServiceOutage';
import { DeadlineAt, Organization, ProcessStatus, ProcessType, WaitingFor } from './searchAttributes';

/**
 * One per archived document, for as long as it is kept: it knows when the
 * proof of its newest document timestamp lapses (the TSA certificate's
 * expiry, shown as DeadlineAt in the admin's view) and, when the renewal
 * Schedule says the document is due, appends fresh validation data and a
 * new document timestamp as a new version. Its history holds ids and dates
 * only. It sets no StepSince: a document kept quietly for years is not stuck.
 */

export const ARCHIVED_DOCUMENT_PROCESS_TYPE = 'archivedDocument';

export function archivedDocumentWorkflowId(archiveId: string): string {
  return `archived-document/${archiveId}`;
}

export interface ArchivedDocumentInput {
  archiveId: string;
  versionId: string;
  organization: string;
  renewals?: number;
}

export interface ArchivedDocumentState {
  archiveId: string;
  versionId: string;
  status: 'kept' | 'renewing' | 'waiting_for_timestamp_service' | 'renewal_refused';
  /** When the newest document timestamp's TSA certificate expires (ISO). */
  proofExpiresAt?: string;
  documentTimestamps: number;
  renewals: number;
  lastRenewedAt?: string;
  /** The last failed renewal attempt, in words; cleared when a renewal succeeds. */
  lastFailure?: string;
}

export const renewTimestampSignal = defineSignal('renewTimestamp');
export const archivedDocumentStateQuery = defineQuery<ArchivedDocumentState>('state');

const retry: RetryPolicy = { initialInterval: '2 seconds', backoffCoefficient: 2 };
const reading = proxyActivities<ArchiveTimestampActivities>({
  startToCloseTimeout: '1 minute',
  retry: { ...retry, maximumInterval: '5 minutes' },
});
// A few quick tries (each already trying every configured TSA); then the admin is shown what we wait for.
const renewing = proxyActivities<ArchiveTimestampActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumInterval: '30 seconds', maximumAttempts: 3 },
});
const renewingPatiently = proxyActivities<ArchiveTimestampActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumInterval: '1 hour' },
});

/** Runs are kept short: a document renewed every few years for decades still starts a new run now and then. */
const RENEWALS_PER_RUN = 10;

export async function archivedDocumentWorkflow(input: ArchivedDocumentInput): Promise<void> {
  const state: ArchivedDocumentState = {
    archiveId: input.archiveId,
    versionId: input.versionId,
    status: 'kept',
    documentTimestamps: 0,
    renewals: input.renewals ?? 0,
  };
  let renewalAsked = false;
  setHandler(archivedDocumentStateQuery, () => state);
  setHandler(renewTimestampSignal, () => {
    renewalAsked = true;
  });

  const show = () =>
    upsertSearchAttributes([
      { key: ProcessType, value: ARCHIVED_DOCUMENT_PROCESS_TYPE },
      { key: Organization, value: input.organization },
      { key: ProcessStatus, value: state.status },
      { key: WaitingFor, value: state.status === 'waiting_for_timestamp_service' ? TIMESTAMP_SERVICE : null },
      { key: DeadlineAt, value: state.proofExpiresAt ? new Date(state.proofExpiresAt) : null },
    ]);

  const lifetime = await reading.readDocumentTimestampLifetime({ versionId: state.versionId });
  state.documentTimestamps = lifetime.documentTimestamps;
  state.proofExpiresAt = lifetime.expiresAt;
  show();

  for (let run = 0; run < RENEWALS_PER_RUN; run++) {
    await condition(() => renewalAsked);
    renewalAsked = false;
    state.status = 'renewing';
    show();
    const request = { archiveId: state.archiveId, versionId: state.versionId };
    let renewed;
    try {
      renewed = await renewing.renewDocumentTimestamp(request);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      state.lastFailure = error.cause?.message ?? error.message;
      if (error.cause instanceof ApplicationFailure && error.cause.nonRetryable) {
        // The stored document itself is refused (not the service): the admin sees why; the next sweep asks again.
        state.status = 'renewal_refused';
        show();
        continue;
      }
      state.status = 'waiting_for_timestamp_service';
      show();
      renewed = await renewingPatiently.renewDocumentTimestamp(request);
    }
    Object.assign(state, {
      versionId: renewed.versionId,
      documentTimestamps: renewed.documentTimestamps,
      proofExpiresAt: renewed.expiresAt,
      status: 'kept',
      lastFailure: undefined,
      lastRenewedAt: renewed.renewedAt,
      renewals: state.renewals + 1,
    });
    show();
    // Signals that came in while renewing asked for what is now done.
    renewalAsked = false;
  }
  await continueAsNew<typeof archivedDocumentWorkflow>({ ...input, versionId: state.versionId, renewals: state.renewals });
}
