import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/auditLog';
import { ChunkedDocumentStore } from '../store/documentStore';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { pdfsig, qpdfCheck, summarisePdfsig } from './support/pdfTools';
import { expectArchivalPdf } from './signing/ltvFixtures';
import { recordHistoryIfAsked } from './support/recordHistory';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('seal');
});
afterAll(async () => {
  await stack?.close();
});

describe('organisation seal process on the real dev server', () => {
  it('seals a stored PDF, keeps the admin view true and leaves an audit event', async () => {
    const store = new ChunkedDocumentStore(stack.config.maxDocumentBytes);
    const upload = await store.saveVersion({ key: randomUUID(), bytes: await samplePdf(3), fileName: 'päätös.pdf', kind: 'upload' });
    const workflowId = `seal-test-${randomUUID()}`;

    const result = await stack.withWorker(async () => {
      const handle = await stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: stack.config.temporal.taskQueue,
        workflowId,
        args: [
          { versionId: upload.versionId, organization: 'Esimerkkilän kunta', requestedBy: 'staff:registry:test', title: 'Päätös 12/2026' },
        ],
      });
      return handle.result();
    });

    expect(result.status).toBe('sealed');
    const sealed = await store.readVersion(result.sealedVersionId!);
    const report = summarisePdfsig(await pdfsig(sealed));
    expect(report).toEqual({ signatures: 1, valid: 1, lastCoversWholeDocument: true });
    expect((await qpdfCheck(sealed)).ok).toBe(true);
    await expectArchivalPdf(sealed);
    expect((await store.listVersions(upload.documentId)).map((v) => v.kind)).toEqual(['upload', 'prepared', 'sealed']);

    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.searchAttributes.ProcessType).toEqual(['organisationSeal']);
    expect(description.searchAttributes.ProcessStatus).toEqual(['sealed']);
    expect(description.searchAttributes.Organization).toEqual(['Esimerkkilän kunta']);

    const events = await new AuditLog().forProcess(workflowId);
    expect(events).toEqual([expect.objectContaining({ action: 'document.sealed', documentSha256: result.sha256 })]);

    recordHistoryIfAsked(stack, workflowId, 'organisationSealWorkflow');
  });

  it('fails with a typed, non-retried error when the stored file is not a PDF', async () => {
    const store = new ChunkedDocumentStore(stack.config.maxDocumentBytes);
    const upload = await store.saveVersion({
      key: randomUUID(),
      bytes: Buffer.from('this is not a pdf'),
      fileName: 'x.pdf',
      kind: 'upload',
    });
    const failure = await stack.withWorker(async () => {
      const handle = await stack.client.workflow.start(organisationSealWorkflow, {
        taskQueue: stack.config.temporal.taskQueue,
        workflowId: `seal-bad-${randomUUID()}`,
        args: [{ versionId: upload.versionId, organization: 'K', requestedBy: 'staff:registry:test', title: 'X' }],
      });
      return handle.result().then(
        () => undefined,
        (error: unknown) => error as { cause?: { cause?: { type?: string; message?: string } } },
      );
    });
    expect(failure?.cause?.cause?.type).toBe('PdfError.not_pdf');
  });
});
