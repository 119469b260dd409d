import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Archive } from '../../store/archive';
import { archivedDocumentWorkflow, archivedDocumentWorkflowId } from '../../workflows/archivedDocumentTimestamps';

/**
 * Documents archived before keepers existed have none, so nothing renews
 * their document timestamp. At worker start every archive entry without a
 * keeper gets one, exactly as if it had just been archived. Idempotent: a
 * keeper that exists, or ever existed (REJECT_DUPLICATE), is left alone.
 * Its cost at every start is a scan of the entries' ids and one start call
 * to Temporal per entry (refused for those kept): fine for thousands, but a
 * marker that ends the backfill once every entry has a keeper is still owed.
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
