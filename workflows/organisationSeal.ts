import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DocumentActivities } from '../activities/documentActivities';
import type { RetryPolicy } from '@temporalio/common';
import { showProcess, showStep } from './processView';
import { QUICK_TRIES, throughTimestampOutages } from './timestampServiceOutage';
import { declareVersioning } from './versioningBehavior';

/**
 * The registry seals a finished document with the organisation's seal: a
 * signature field is added, the seal fills it, and the act is audited.
 */

export interface OrganisationSealInput {
  versionId: string;
  organization: string;
  requestedBy: string;
  title: string;
}

export interface OrganisationSealState {
  status: 'preparing' | 'sealing' | 'sealed';
  sealedVersionId?: string;
  sha256?: string;
}

export const organisationSealStateQuery = defineQuery<OrganisationSealState>('state');

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
const documents = proxyActivities<DocumentActivities>({ startToCloseTimeout: '2 minutes', retry });
const documentsQuickly = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: QUICK_TRIES },
});

export const ORGANISATION_SEAL_FIELD = 'organisation-seal';

// Worker Versioning: done in seconds: finishes on the build it started on.
declareVersioning(organisationSealWorkflow, 'PINNED');
export async function organisationSealWorkflow(input: OrganisationSealInput): Promise<OrganisationSealState> {
  const state: OrganisationSealState = { status: 'preparing' };
  setHandler(organisationSealStateQuery, () => state);
  const processId = workflowInfo().workflowId;
  showProcess('organisationSeal', input.organization);
  showStep({ status: 'preparing', waitingFor: 'system' });

  const prepared = await documents.prepareSignatureFields({
    versionId: input.versionId,
    fields: [{ name: ORGANISATION_SEAL_FIELD, label: input.organization }],
  });

  state.status = 'sealing';
  showStep({ status: 'sealing' });
  const sealRequest = {
    versionId: prepared.versionId,
    fieldName: ORGANISATION_SEAL_FIELD,
    stamp: { signerName: input.organization, role: 'seal', signedAt: new Date().toISOString(), reason: input.title },
  };
  const sealed = await throughTimestampOutages(
    () => documentsQuickly.signDocumentField(sealRequest),
    () => documents.signDocumentField(sealRequest),
    (waitingFor) => showStep({ status: 'sealing', waitingFor }),
    'system',
  );

  await documents.recordAuditEvent({
    processId,
    actor: input.requestedBy,
    action: 'document.sealed',
    at: new Date().toISOString(),
    documentSha256: sealed.sha256,
  });
  Object.assign(state, { status: 'sealed', sealedVersionId: sealed.versionId, sha256: sealed.sha256 });
  showStep({ status: 'sealed', waitingFor: null });
  return state;
}
