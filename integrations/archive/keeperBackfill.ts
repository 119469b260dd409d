import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Archive } from '../../store/archive';
import type { WatchCursors } from '../../store/watchCursors';
import { archivedDocumentWorkflow, archivedDocumentWorkflowId } from '../../workflows/archivedDocumentTimestamps';

/**
 * Documents archived before keepers existed have none, so nothing renews
 * their document timestamp. Each archive entry without a keeper gets one,
 * exactly as if it had just been archived. Idempotent: a keeper that
 * exists, or ever existed (REJECT_DUPLICATE), is left alone.
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

/** The cursor saying when the backfill last ran to its end. */
export const KEEPER_BACKFILL_DONE = 'archive-keepers-backfilled';

/**
 * The backfill once per store: a worker start runs it only until one run has
 * gone through every entry (entries archived since then got their keeper when
 * they were archived), so later starts cost one read, not a Temporal start
 * call per archive entry. A run cut short leaves no mark and is redone whole.
 * The mark is in the store, the keepers in Temporal: an operator who moves
 * the store to a new, empty Temporal namespace deletes the mark (README).
 */
export async function backfillArchiveKeepersOnce(
  client: Client,
  archive: Archive,
  cursors: WatchCursors,
  options: { organization: string; taskQueue: string; markerName?: string },
): Promise<{ started: string[]; alreadyKept: number } | 'already-done'> {
  const markerName = options.markerName ?? KEEPER_BACKFILL_DONE;
  if (await cursors.get(markerName)) return 'already-done';
  const result = await backfillArchiveKeepers(client, archive, options);
  await cursors.set(markerName, new Date());
  return result;
}
