import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError, SinettiError } from '../../common/errors';
import { buildArchivePackage } from '../../integrations/archive/archivePackage';
import { Archive } from '../../store/archive';
import { archiveTransferWorkflow, archiveTransferWorkflowId } from '../../workflows/archiveTransfer';
import { type ApiDeps } from '../apiDeps';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

const processParams = z.object({ processId: recordId });

/** Archive transfer packages: looked at on demand, pushed to the archive's directory by a workflow. */
export function archiveRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const packageDeps = { store: deps.store, audit: deps.audit, archive: new Archive(), organization: deps.config.organization };

  routes.add(
    {
      method: 'get',
      path: '/api/archive/:processId/package',
      tag: 'archive',
      roles: ['registry'],
      params: processParams,
      summary:
        'The archive package a finished process would transfer, built now: its records metadata (Sähke2 names) and the checksum of every file.',
      responses: { 200: '{ packageId, metadata, files: [{ path, sha256, size }] }', 409: 'The process has not archived its document yet' },
    },
    async ({ params }, _req, res) => {
      const pkg = await buildArchivePackage(packageDeps, params.processId);
      res.json({
        packageId: pkg.packageId,
        metadata: pkg.metadata,
        files: pkg.files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.bytes).digest('hex'), size: f.bytes.length })),
      });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/archive/:processId/transfer',
      tag: 'archive',
      roles: ['registry'],
      params: processParams,
      summary:
        "Push the process's package to the archive directory (ARCHIVE_TRANSFER_DIR). Once per process: asking again reports the transfer under way or done.",
      responses: { 202: '{ workflowId, status }', 409: 'The process has not archived its document yet' },
    },
    async ({ params: { processId } }, _req, res) => {
      // A process with nothing archived yet gets its 409 here rather than a failing workflow.
      if (!(await packageDeps.archive.forProcess(processId)).length) {
        throw new SinettiError(
          'not_archived',
          `Process ${processId} has no archived document yet: a package is made once the process has finished and archived its document.`,
          409,
        );
      }
      const workflowId = archiveTransferWorkflowId(processId);
      try {
        // A transfer that failed may be asked again; a finished one stays done.
        await deps.temporal.workflow.start(archiveTransferWorkflow, {
          workflowId,
          taskQueue: deps.config.temporal.taskQueue,
          args: [{ processId }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      const description = await deps.temporal.workflow.getHandle(workflowId).describe();
      res.status(202).json({ workflowId, status: description.status.name });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/archive/:processId/transfer',
      tag: 'archive',
      roles: ['registry'],
      params: processParams,
      summary: "The transfer of a process's package: running, or done with the package id, file count and signature validation.",
      responses: { 200: '{ workflowId, status, result? }', 404: 'Never transferred' },
    },
    async ({ params: { processId } }, _req, res) => {
      const workflowId = archiveTransferWorkflowId(processId);
      const handle = deps.temporal.workflow.getHandle(workflowId);
      const description = await handle.describe().catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`A transfer of ${processId}`);
        throw error;
      });
      const status = description.status.name;
      res.json({ workflowId, status, ...(status === 'COMPLETED' ? { result: await handle.result() } : {}) });
    },
  );
}
