import http from 'node:http';
import request from 'supertest';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { createTimestampAuthority } from '../integrations/timestamping/localTimestampAuthority';
import { Archive } from '../store/archive';
import { ChunkedDocumentStore } from '../store/documentStore';
import { documentTimestampLifetime } from '../signing/documentTimestampExpiry';
import {
  archivedDocumentStateQuery,
  archivedDocumentWorkflow,
  archivedDocumentWorkflowId,
  renewTimestampSignal,
  type ArchivedDocumentState,
} from '../workflows/archivedDocumentTimestamps';
import { organisationSealWorkflow, type OrganisationSealState } from '../workflows/organisationSeal';
import { TIMESTAMP_SERVICE } from '../workflows/timestampServiceOutage';
import { makeTextPdf } from './signing/signingFixtures';
import { expectArchivalPdf, trustServices } from './signing/ltvFixtures';
import { waitUntil } from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';
import { freePort } from '../common/freePort';

jest.setTimeout(180_000);

/**
 * A timestamp service outage is visible, never silent: with no configured
 * TSA answering, the step retries, tries the next TSA, and then the
 * process shows WaitingFor = timestampService; when a TSA comes back it
 * goes on by itself. Our own TSA on ports of its own, so the shared one
 * other suites use stays up.
 */

/** The development TSA on a port of its own, stopped and started by the test. */
class StoppableTsa {
  private server?: http.Server;
  constructor(
    private readonly respond: (der: Buffer) => Promise<Buffer>,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.respond(Buffer.concat(chunks)).then(
          (answer) => res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(answer),
          () => res.writeHead(400).end(),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('a timestamp service outage', () => {
  let stack: TestStack;
  let tsa: StoppableTsa;
  let neverUp: string;
  const store = new ChunkedDocumentStore(50e6);

  beforeAll(async () => {
    stack = await openTestStack('timestamp-outage');
    const { pki } = await trustServices();
    const authority = createTimestampAuthority(pki.tsa);
    tsa = new StoppableTsa((der) => Promise.resolve(authority.respond(der)), await freePort());
    neverUp = `http://127.0.0.1:${await freePort()}/`;
    // The first TSA never answers; the second is ours, down until the test starts it.
    stack.config.longTermValidity.tsaUrls = [neverUp, tsa.url];
  });
  afterAll(async () => {
    await tsa?.stop();
    await stack?.close();
  });

  const waitingFor = async (workflowId: string): Promise<string | undefined> => {
    for await (const info of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      return info.searchAttributes?.WaitingFor?.[0] as string | undefined;
    return undefined;
  };

  it('a seal waits for the timestamp service in the admin’s view and finishes by itself once a TSA answers', async () => {
    const source = await store.saveVersion({
      key: `timestamp-outage-${Date.now()}`,
      bytes: Buffer.from(await makeTextPdf(1, 'Päätös')),
      fileName: 'decision.pdf',
      kind: 'upload',
    });
    const sealed = await stack.withWorker(async () => {
      const handle = await stack.client.workflow.start(organisationSealWorkflow, {
        workflowId: `timestamp-outage-seal-${Date.now().toString(36)}`,
        taskQueue: stack.config.temporal.taskQueue,
        args: [{ versionId: source.versionId, organization: stack.config.organization, requestedBy: 'staff:test', title: 'Päätös' }],
      });
      await waitUntil('WaitingFor = timestampService', async () => (await waitingFor(handle.workflowId)) === TIMESTAMP_SERVICE, 90_000);
      await tsa.start();
      const state: OrganisationSealState = await handle.result();
      expect(await waitUntil('WaitingFor cleared', async () => (await waitingFor(handle.workflowId)) !== TIMESTAMP_SERVICE)).toBe(true);
      return state;
    });
    expect(sealed.status).toBe('sealed');
    const pdf = await store.readVersion(sealed.sealedVersionId!);
    await expectArchivalPdf(pdf);
  });

  it('a renewal shows the failure to the admin while it waits, and renews once the TSA is back', async () => {
    const { pki } = await trustServices();
    await tsa.start(); // up from the test before, or started here
    // A sealed B-LTA document, archived, with its keeper.
    const archiveId = `timestamp-outage-${Date.now().toString(36)}/sealed`;
    const sealed = await stack.withWorker(async () => {
      const source = await store.saveVersion({
        key: archiveId,
        bytes: Buffer.from(await makeTextPdf(1)),
        fileName: 'd.pdf',
        kind: 'upload',
      });
      return stack.client.workflow.execute(organisationSealWorkflow, {
        workflowId: `timestamp-outage-seal-${Date.now().toString(36)}`,
        taskQueue: stack.config.temporal.taskQueue,
        args: [{ versionId: source.versionId, organization: stack.config.organization, requestedBy: 'staff:test', title: 'Päätös' }],
      });
    });
    const version = await store.getVersion(sealed.sealedVersionId!);
    await new Archive().store({
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
    await tsa.stop();

    const deps = createApiDeps(stack.config, stack.client);
    const keeper = await stack.client.workflow.start(archivedDocumentWorkflow, {
      workflowId: archivedDocumentWorkflowId(archiveId),
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ archiveId, versionId: version.versionId, organization: stack.config.organization }],
    });
    try {
      const renewed = await stack.withWorker(async () => {
        await waitUntil('the keeper reading its document', async () => (await keeper.query(archivedDocumentStateQuery)).proofExpiresAt);
        await keeper.signal(renewTimestampSignal);
        await waitUntil('WaitingFor = timestampService', async () => (await waitingFor(keeper.workflowId)) === TIMESTAMP_SERVICE, 90_000);

        const app = createApp(deps);
        const listed = await request(app)
          .get('/api/admin/archived-documents')
          .set(await staffHeaders(app, 'admin'));
        expect(listed.status).toBe(200);
        const shown = listed.body.documents.find((d: { archiveId: string }) => d.archiveId === archiveId);
        expect(shown).toMatchObject({ status: 'waiting_for_timestamp_service', waitingFor: TIMESTAMP_SERVICE, overdue: false });
        expect(shown.lastFailure).toMatch(/No TSA gave a valid timestamp/);
        expect(new Date(shown.nextDueAt).getTime()).toBe(new Date(shown.proofExpiresAt).getTime() - 180 * 24 * 3600_000);

        await tsa.start();
        return waitUntil(
          'the renewal',
          async () => {
            const state: ArchivedDocumentState = await keeper.query(archivedDocumentStateQuery);
            return state.status === 'kept' && state.renewals === 1 && state;
          },
          90_000,
        );
      });
      expect(renewed.lastFailure).toBeUndefined();
      expect(await waitUntil('WaitingFor cleared', async () => (await waitingFor(keeper.workflowId)) !== TIMESTAMP_SERVICE)).toBe(true);
      const pdf = await store.readVersion(renewed.versionId);
      expect(documentTimestampLifetime(pdf).documentTimestamps).toBe(2);
      await expectArchivalPdf(pdf);
      expect(pki.tsa.certificate.length).toBeGreaterThan(0);
    } finally {
      deps.close();
      await keeper.terminate('test finished').catch(() => undefined);
    }
  });
});
