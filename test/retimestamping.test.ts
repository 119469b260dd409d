import { prepareSignatureFields } from '../signing/prepareSignatureFields';
import { signFieldForTheLongTerm } from '../signing/longTermValidity';
import { documentTimestampLifetime } from '../signing/documentTimestampExpiry';
import { ensureTimestampRenewalSchedule, timestampRenewalScheduleId } from '../integrations/archive/timestampRenewalSchedule';
import { backfillArchiveKeepers, backfillArchiveKeepersOnce } from '../integrations/archive/keeperBackfill';
import { WatchCursors } from '../store/watchCursors';
import { Archive } from '../store/archive';
import { ChunkedDocumentStore } from '../store/documentStore';
import {
  archivedDocumentStateQuery,
  archivedDocumentWorkflow,
  archivedDocumentWorkflowId,
  type ArchivedDocumentState,
} from '../workflows/archivedDocumentTimestamps';
import { pdfsig, qpdfCheck, summarisePdfsig } from './support/pdfTools';
import { waitUntil } from './support/officialMailHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { openTestStack, type TestStack } from './support/testStack';
import { makeTextPdf } from './signing/signingFixtures';
import { expectArchivalPdf, trustServices } from './signing/ltvFixtures';

jest.setTimeout(120_000);

/**
 * Re-timestamping: an archived B-LTA document is left alone while its TSA
 * certificate is far from expiry; with the margin moved past that expiry,
 * the Schedule's sweep finds it in visibility and its keeper appends fresh
 * validation data and a second document timestamp as a new version.
 */
describe('renewing archived documents’ document timestamps', () => {
  let stack: TestStack;
  const store = new ChunkedDocumentStore(50e6);
  const archive = new Archive();

  beforeAll(async () => {
    stack = await openTestStack('retimestamping', { SINETTI_RETIMESTAMP_MARGIN_DAYS: '180' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Ends the keepers a backfill started: other tests' entries in this database got keepers too, and none may be left for the renewal test's sweep to find. */
  async function endKeepers(archiveIds: string[]): Promise<void> {
    for (const id of archiveIds)
      await stack.client.workflow
        .getHandle(archivedDocumentWorkflowId(id))
        .terminate('test finished')
        .catch(() => undefined);
  }

  async function archivedSealedDocument(): Promise<{ archiveId: string; versionId: string }> {
    const trust = await trustServices();
    const { pdf, plan } = await prepareSignatureFields(await makeTextPdf(1, 'Päätös'), [
      { name: 'organisation-seal', label: 'Esimerkkilän kunta' },
    ]);
    const sealed = await signFieldForTheLongTerm(
      pdf,
      plan,
      'organisation-seal',
      { signerName: trust.pki.seal.subjectName, role: 'Sinetti', signedAt: new Date() },
      trust.pki.seal,
      trust.services,
    );
    const archiveId = `retimestamp-test-${Date.now().toString(36)}/sealed`;
    const version = await store.saveVersion({ key: archiveId, bytes: sealed, fileName: 'decision.pdf', kind: 'sealed' });
    await archive.store({
      archiveId,
      processId: archiveId.split('/')[0],
      processType: 'test',
      title: 'Päätös',
      versionId: version.versionId,
      documentId: version.documentId,
      sha256: version.sha256,
      attachmentVersionIds: [],
      metadata: {} as never,
      createdAt: new Date(),
      archivedAt: new Date(),
    });
    return { archiveId, versionId: version.versionId };
  }

  it('backfills a keeper for a document archived before keepers existed, once', async () => {
    const { archiveId } = await archivedSealedDocument(); // stored by an Archive without the keeper hook, as before keepers
    const handle = stack.client.workflow.getHandle(archivedDocumentWorkflowId(archiveId));
    await expect(handle.describe()).rejects.toThrow();
    const options = { organization: stack.config.organization, taskQueue: stack.config.temporal.taskQueue };
    const started: string[] = [];
    try {
      const first = await backfillArchiveKeepers(stack.client, archive, options);
      started.push(...first.started);
      expect(first.started).toContain(archiveId);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      // Again, as at every worker start: nothing new is started.
      const second = await backfillArchiveKeepers(stack.client, archive, options);
      expect(second).toEqual({ started: [], alreadyKept: first.started.length + first.alreadyKept });
    } finally {
      await endKeepers(started);
    }
  });

  it('backfills at a worker start only until one run has gone through every entry', async () => {
    const { archiveId } = await archivedSealedDocument();
    const options = {
      organization: stack.config.organization,
      taskQueue: stack.config.temporal.taskQueue,
      markerName: `keeper-backfill-test-${Date.now()}`,
    };
    const cursors = new WatchCursors();
    let started: string[] = [];
    try {
      const first = await backfillArchiveKeepersOnce(stack.client, archive, cursors, options);
      if (first === 'already-done') throw new Error('a fresh marker was found set');
      started = first.started;
      expect(first.started).toContain(archiveId);
      expect(await cursors.get(options.markerName)).toBeInstanceOf(Date);
      // A document archived without a keeper after the mark is not the backfill's any more: the start does not read the archive.
      const later = await archivedSealedDocument();
      expect(await backfillArchiveKeepersOnce(stack.client, archive, cursors, options)).toBe('already-done');
      await expect(stack.client.workflow.getHandle(archivedDocumentWorkflowId(later.archiveId)).describe()).rejects.toThrow();
    } finally {
      await endKeepers(started);
    }
  });

  it('renews only once the margin reaches the TSA certificate’s expiry, as a new version with two document timestamps', async () => {
    const { archiveId, versionId } = await archivedSealedDocument();
    const workflowId = archivedDocumentWorkflowId(archiveId);
    const keeper = await stack.client.workflow.start(archivedDocumentWorkflow, {
      workflowId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ archiveId, versionId, organization: stack.config.organization }],
    });
    const expiresAt = documentTimestampLifetime(await store.readVersion(versionId)).expiresAt!;
    const schedule = stack.client.schedule.getHandle(timestampRenewalScheduleId(stack.config.temporal.taskQueue));
    const sweep = async (): Promise<{ asked: number }> => {
      const before = (await schedule.describe()).info.recentActions.length;
      await schedule.trigger();
      const action = await waitUntil('the scheduled sweep', async () => {
        const actions = (await schedule.describe()).info.recentActions;
        return actions.length > before && actions.at(-1);
      });
      const result = (await stack.client.workflow.getHandle(action.action.workflow.workflowId).result()) as { asked: number };
      recordHistoryIfAsked(stack, action.action.workflow.workflowId, 'timestampRenewalSweepWorkflow');
      return result;
    };

    try {
      // Default margin: the TSA certificate has years left, so nothing is due.
      await stack.withWorker(async () => {
        await ensureTimestampRenewalSchedule(stack.client, stack.config);
        await waitUntil('the keeper in visibility with its deadline', async () => {
          for await (const info of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
            return (info.searchAttributes?.DeadlineAt?.[0] as Date | undefined)?.getTime() === expiresAt.getTime();
          return false;
        });
        expect(await sweep()).toEqual({ asked: 0 });
        expect(await keeper.query(archivedDocumentStateQuery)).toMatchObject({ status: 'kept', renewals: 0, documentTimestamps: 1 });
      });

      // The margin moved past the expiry: the next sweep asks the keeper, which renews.
      stack.config.retimestamping.marginMs = expiresAt.getTime() - Date.now() + 24 * 3600_000;
      const renewed = await stack.withWorker(async () => {
        expect(await sweep()).toEqual({ asked: 1 });
        return waitUntil('the renewal', async () => {
          const state: ArchivedDocumentState = await keeper.query(archivedDocumentStateQuery);
          return state.renewals === 1 && state.status === 'kept' && state;
        });
      });

      expect(renewed.versionId).not.toBe(versionId);
      expect(renewed.documentTimestamps).toBe(2);
      const entry = (await archive.forProcess(archiveId.split('/')[0]))[0];
      expect(entry.versionId).toBe(renewed.versionId);
      const previous = await store.getVersion(versionId);
      const next = await store.getVersion(renewed.versionId);
      expect(next).toMatchObject({ documentId: previous.documentId, version: previous.version + 1, kind: 'retimestamped' });

      const pdf = await store.readVersion(renewed.versionId);
      const earlier = await store.readVersion(versionId);
      expect(pdf.subarray(0, earlier.length).equals(earlier)).toBe(true); // appended, not rewritten
      await expectArchivalPdf(pdf);
      const report = await pdfsig(pdf);
      expect(summarisePdfsig(report)).toMatchObject({ signatures: 1, valid: 1, lastCoversWholeDocument: true });
      expect(report.match(/Field Name: document-timestamp-\d/g)).toEqual([
        'Field Name: document-timestamp-1',
        'Field Name: document-timestamp-2',
      ]);
      expect((await qpdfCheck(pdf)).ok).toBe(true);
      recordHistoryIfAsked(stack, workflowId, 'archivedDocumentWorkflow');
    } finally {
      await keeper.terminate('test finished').catch(() => undefined);
      await schedule.delete().catch(() => undefined);
    }
  });
});
