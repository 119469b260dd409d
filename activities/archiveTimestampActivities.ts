import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { ArchiveEntry, Archive } from '../store/archive';
import { versionIdForKey, type DocumentStore } from '../store/documentStore';
import { documentTimestampLifetime } from '../signing/documentTimestampExpiry';
import { addArchivalTimestamp, type LongTermValidityServices } from '../signing/longTermValidity';
import {
  ARCHIVED_DOCUMENT_PROCESS_TYPE,
  archivedDocumentWorkflow,
  archivedDocumentWorkflowId,
  renewTimestampSignal,
} from '../workflows/archivedDocumentTimestamps';
import { failFastOnBadInput } from './activityContext';

/**
 * Keeping archived documents' proof alive: reading when the newest document
 * timestamp lapses, renewing it as a new version, and the Schedule's sweep
 * that finds the documents due in visibility.
 */

export interface ArchiveTimestampDeps {
  store: DocumentStore;
  archive: Archive;
  longTermValidity: LongTermValidityServices;
  /** Renew documents whose proof lapses within this many ms. */
  marginMs: number;
  /** The keepers this deployment runs (a namespace may hold several deployments). */
  taskQueue: string;
}

export interface RenewedDocument {
  versionId: string;
  sha256: string;
  documentTimestamps: number;
  expiresAt?: string;
  renewedAt: string;
}

/** The visibility query for archived documents whose proof lapses before `before`. */
export function documentsDueQuery(before: Date, taskQueue: string): string {
  return `ProcessType = '${ARCHIVED_DOCUMENT_PROCESS_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}' AND DeadlineAt < '${before.toISOString()}'`;
}

export function createArchiveTimestampActivities(deps: ArchiveTimestampDeps) {
  return {
    async readDocumentTimestampLifetime(input: { versionId: string }): Promise<{ documentTimestamps: number; expiresAt?: string }> {
      const lifetime = documentTimestampLifetime(await deps.store.readVersion(input.versionId));
      return { documentTimestamps: lifetime.documentTimestamps, expiresAt: lifetime.expiresAt?.toISOString() };
    },

    /**
     * Fresh validation data (a complete DSS) and a new document timestamp over all of it, saved as the
     * document's next version and named in the archive. Keyed by the version it renews: a retry after
     * the save finds that version and does not timestamp again.
     */
    async renewDocumentTimestamp(input: { archiveId: string; versionId: string }): Promise<RenewedDocument> {
      return failFastOnBadInput(async () => {
        const key = `retimestamp/${input.archiveId}/${input.versionId}`;
        const existing = await deps.store.getVersion(versionIdForKey(key)).catch(() => undefined);
        let saved = existing;
        if (!saved) {
          const previous = await deps.store.getVersion(input.versionId);
          const renewed = await addArchivalTimestamp(await deps.store.readVersion(input.versionId), deps.longTermValidity);
          saved = await deps.store.saveVersion({
            key,
            documentId: previous.documentId,
            bytes: renewed.pdf,
            fileName: previous.fileName,
            kind: 'retimestamped',
          });
        }
        await deps.archive.renewVersion(input.archiveId, saved);
        const lifetime = documentTimestampLifetime(await deps.store.readVersion(saved.versionId));
        return {
          versionId: saved.versionId,
          sha256: saved.sha256,
          documentTimestamps: lifetime.documentTimestamps,
          expiresAt: lifetime.expiresAt?.toISOString(),
          renewedAt: saved.createdAt.toISOString(),
        };
      });
    },

    /** The Schedule's sweep: signals every document due within the margin; a document already renewing ignores it. */
    async askDueDocumentsToRenew(): Promise<{ asked: number }> {
      const { client } = Context.current();
      let asked = 0;
      for await (const execution of client.workflow.list({
        query: documentsDueQuery(new Date(Date.now() + deps.marginMs), deps.taskQueue),
      })) {
        try {
          await client.workflow.getHandle(execution.workflowId).signal(renewTimestampSignal);
          asked++;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error; // closed since it was listed
        }
        Context.current().heartbeat(asked);
      }
      return { asked };
    },
  };
}

export type ArchiveTimestampActivities = ReturnType<typeof createArchiveTimestampActivities>;

/**
 * Starts the document's keeper once it is archived (called by the Archive after every store, so
 * again on a retry: an already running keeper is left as it is). Runs inside the archiving activity.
 */
export function keepArchivedDocument(organization: string, taskQueue: string): (entry: ArchiveEntry) => Promise<void> {
  return async (entry) => {
    const { client } = Context.current();
    try {
      await client.workflow.start(archivedDocumentWorkflow, {
        workflowId: archivedDocumentWorkflowId(entry.archiveId),
        taskQueue,
        args: [{ archiveId: entry.archiveId, versionId: entry.versionId, organization }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };
}
