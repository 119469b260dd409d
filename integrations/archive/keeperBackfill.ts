import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Archive } from '../../store/archive';
import { archivedDocumentWorkflow, archivedDocumentWorkflowId } from '../../workflows/archivedDocumentTimestamps';

/**
 * Documents archived before keepers existed have none, so nothing renews
 * their document timestamp. At worker start every archive entry without a
 * keeper gets one, exactly as if it had just been archived. Idempotent: a
 * keeper that exists, or ever existed (REJECT_DUPLICATE), is left alone, so
 * running it at every start only costs a read of the entries' ids.
 */
export async function backfillArchiveKeepers(
  client: Client,
  archive: Archive,
  options: { organization: string; taskQueue: string },
): Promise<{ started: string[]; alreadyKept: number }> {
  const started: string[] = [];
  let alreadyKept = 0;
  for await (const entry of archive.entries()) {
    try {
      await client.workflow.start(archivedDocumentWorkflow, {
        workflowId: archivedDocumentWorkflowId(entry.archiveId),
        taskQueue: options.taskQueue,
        args: [{ archiveId: entry.archiveId, versionId: entry.versionId, organization: options.organization }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      started.push(entry.archiveId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      alreadyKept++;
    }
  }
  return { started, alreadyKept };
}
