import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import {
  ARCHIVED_DOCUMENT_PROCESS_TYPE,
  archivedDocumentStateQuery,
  type ArchivedDocumentState,
} from '../workflows/archivedDocumentTimestamps';

/**
 * The admin's view of archived documents' proof: for each, when its newest
 * document timestamp's TSA certificate expires, when it is next due for a
 * renewal (that expiry less the configured margin), and the renewal's
 * failure while it waits for the timestamp service. Read from visibility;
 * only a document with a failure is asked for its details.
 */

export interface ArchivedDocumentView {
  archiveId: string;
  status?: string;
  waitingFor?: string;
  proofExpiresAt?: string;
  nextDueAt?: string;
  overdue: boolean;
  lastFailure?: string;
  renewals?: number;
}

export async function listArchivedDocuments(
  client: Client,
  options: { marginMs: number; taskQueue: string; limit: number; now?: Date },
): Promise<ArchivedDocumentView[]> {
  const now = options.now ?? new Date();
  const query = `ProcessType = '${ARCHIVED_DOCUMENT_PROCESS_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${options.taskQueue}'`;
  const documents: ArchivedDocumentView[] = [];
  for await (const info of client.workflow.list({ query })) {
    const attribute = (name: string) => info.searchAttributes?.[name]?.[0];
    const expiresAt = attribute('DeadlineAt') as Date | undefined;
    const nextDue = expiresAt ? new Date(expiresAt.getTime() - options.marginMs) : undefined;
    const view: ArchivedDocumentView = {
      archiveId: info.workflowId.replace(/^archived-document\//, ''),
      status: attribute('ProcessStatus') as string | undefined,
      waitingFor: attribute('WaitingFor') as string | undefined,
      proofExpiresAt: expiresAt?.toISOString(),
      nextDueAt: nextDue?.toISOString(),
      overdue: nextDue !== undefined && nextDue <= now,
    };
    if (view.status === 'waiting_for_timestamp_service') {
      const state: ArchivedDocumentState | undefined = await client.workflow
        .getHandle(info.workflowId)
        .query(archivedDocumentStateQuery)
        .catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return undefined;
          throw error;
        });
      view.lastFailure = state?.lastFailure;
      view.renewals = state?.renewals;
    }
    documents.push(view);
    if (documents.length >= options.limit) break;
  }
  // Soonest due first (visibility on SQL stores cannot ORDER BY).
  return documents.sort((a, b) => (a.nextDueAt ?? '').localeCompare(b.nextDueAt ?? ''));
}
