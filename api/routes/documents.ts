import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { SinettiError } from '../../common/errors';
import { inspectPdf } from '../../signing/errors';
import { ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { ApiRoutes } from '../routeRegistry';

const STAFF = ['hr', 'secretary', 'handler', 'registry'] as const;

const sealRequest = z.object({ title: z.string().trim().min(1).max(256) });

/** Upload, list and download of document versions, and sealing with the organisation's seal. */
export function documentRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const pdfBody = express.raw({ type: () => true, limit: deps.config.maxDocumentBytes });

  routes.add({
    method: 'post', path: '/api/documents', tag: 'documents', roles: [...STAFF], bodyContentType: 'application/pdf',
    summary: 'Upload a PDF as the first version of a new document (body: the PDF bytes; optional header X-File-Name).',
    responses: { 201: 'Stored: { documentId, versionId, version, sha256, size }', 413: 'Over the size limit', 422: 'Not a PDF, malformed or encrypted' },
  }, pdfBody, async (req, res) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
    const inspection = await inspectPdf(bytes);
    const fileName = String(req.headers['x-file-name'] ?? 'document.pdf').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
    const saved = await deps.store.saveVersion({ key: `upload/${randomUUID()}`, bytes, fileName, kind: 'upload' });
    await deps.audit.append({
      eventId: `upload/${saved.versionId}`, processId: `document/${saved.documentId}`, actor: staffActor(req.staff), action: 'document.uploaded',
      at: new Date(), ip: req.ip, userAgent: req.get('user-agent'), documentSha256: saved.sha256, details: { pages: inspection.pageCount },
    });
    res.status(201).json({ ...saved, pages: inspection.pageCount });
  });

  routes.add({
    method: 'get', path: '/api/documents/:documentId/versions', tag: 'documents', roles: [...STAFF],
    summary: 'List every version of a document, oldest first.', responses: { 200: 'Versions', 404: 'No such document' },
  }, async (req, res) => {
    const versions = await deps.store.listVersions(String(req.params.documentId));
    if (versions.length === 0) throw new SinettiError('not_found', `Document ${req.params.documentId} was not found`, 404);
    res.json({ versions });
  });

  routes.add({
    method: 'get', path: '/api/versions/:versionId/content', tag: 'documents', roles: [...STAFF],
    summary: 'Download one version as PDF.', responses: { 200: 'The PDF', 404: 'No such version' },
  }, async (req, res) => {
    const versionId = String(req.params.versionId);
    const version = await deps.store.getVersion(versionId);
    const bytes = await deps.store.readVersion(versionId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${encodeURIComponent(version.fileName)}"`);
    res.setHeader('X-Content-SHA256', version.sha256);
    res.send(bytes);
  });

  routes.add({
    method: 'post', path: '/api/versions/:versionId/seal', tag: 'documents', roles: ['registry'], body: sealRequest,
    summary: 'Seal a document version with the organisation seal (starts an organisationSeal process).',
    responses: { 202: 'Started: { processId }', 400: 'Invalid request', 404: 'No such version' },
  }, async (req, res) => {
    const { title } = sealRequest.parse(req.body);
    const version = await deps.store.getVersion(String(req.params.versionId));
    const processId = `seal-${randomUUID()}`;
    await deps.temporal.workflow.start('organisationSealWorkflow', {
      taskQueue: deps.config.temporal.taskQueue, workflowId: processId,
      args: [{ versionId: version.versionId, organization: deps.config.organization, requestedBy: staffActor(req.staff), title }],
    });
    res.status(202).json({ processId });
  });
}
