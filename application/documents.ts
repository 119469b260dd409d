import { randomUUID } from 'node:crypto';
import { SinettiError } from '../common/errors';
import { inspectPdf } from '../signing/errors';
import type { StoredVersion } from '../store/documentStore';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { type Requester, type ServiceDeps } from './serviceDeps';

/** Uploaded documents and their versions, and sealing one with the organisation's seal. */
export class DocumentService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Checks the PDF (not encrypted, not malformed), stores it as the first version of a new document and audits the upload. */
  async upload(bytes: Buffer, fileName: string, by: Requester): Promise<StoredVersion & { pages: number }> {
    if (bytes.length === 0)
      throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
    const inspection = await inspectPdf(bytes);
    const saved = await this.deps.store.saveVersion({
      key: `upload/${randomUUID()}`,
      bytes,
      fileName: safeFileName(fileName),
      kind: 'upload',
    });
    await this.deps.audit.append({
      eventId: `upload/${saved.versionId}`,
      processId: `document/${saved.documentId}`,
      actor: by.actor,
      action: 'document.uploaded',
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      documentSha256: saved.sha256,
      details: { pages: inspection.pageCount },
    });
    return { ...saved, pages: inspection.pageCount };
  }

  async versions(documentId: string): Promise<StoredVersion[]> {
    const versions = await this.deps.store.listVersions(documentId);
    if (versions.length === 0) throw new SinettiError('not_found', `Document ${documentId} was not found`, 404);
    return versions;
  }

  async content(versionId: string): Promise<{ version: StoredVersion; bytes: Buffer }> {
    const version = await this.deps.store.getVersion(versionId);
    return { version, bytes: await this.deps.store.readVersion(versionId) };
  }

  /** Starts an organisationSeal process for a stored version. */
  async seal(versionId: string, title: string, actor: string): Promise<{ processId: string }> {
    const version = await this.deps.store.getVersion(versionId);
    const processId = `seal-${randomUUID()}`;
    await this.deps.temporal.workflow.start(organisationSealWorkflow, {
      taskQueue: this.deps.config.temporal.taskQueue,
      workflowId: processId,
      args: [{ versionId: version.versionId, organization: this.deps.config.organization, requestedBy: actor, title }],
    });
    return { processId };
  }
}

/** A file name as stored: letters, digits and . _ - and space; anything else becomes _. */
export function safeFileName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
}
