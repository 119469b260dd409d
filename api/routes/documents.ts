import { create as contentDisposition } from 'content-disposition';
import express from 'express';
import { z } from 'zod';
import { type RouterContext } from '../apiDeps';
import { requesterOf, staffActor } from '../auth';
import { recordId, uploadedBytes } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

const STAFF = ['hr', 'secretary', 'handler', 'registry'] as const;

const sealRequest = z.object({ title: z.string().trim().min(1).max(256) });
const versionParams = z.object({ versionId: recordId });

/** Upload, list and download of document versions, and sealing with the organisation's seal. */
export function documentRoutes(routes: ApiRoutes, { services: { documents, visibility }, config }: RouterContext): void {
  const pdfBody = express.raw({ type: () => true, limit: config.maxDocumentBytes });

  routes.add(
    {
      method: 'post',
      path: '/api/documents',
      tag: 'documents',
      roles: [...STAFF],
      bodyContentType: 'application/pdf',
      before: [pdfBody],
      summary: 'Upload a PDF as the first version of a new document (body: the PDF bytes; optional header X-File-Name).',
      responses: {
        201: 'Stored: { documentId, versionId, version, sha256, size }',
        413: 'Over the size limit',
        422: 'Not a PDF, malformed or encrypted',
      },
    },
    async (_input, req, res) => {
      res.status(201).json(await documents.upload(uploadedBytes(req), req.get('x-file-name') ?? 'document.pdf', requesterOf(req)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/documents/:documentId/versions',
      tag: 'documents',
      roles: [...STAFF],
      params: z.object({ documentId: recordId }),
      summary: 'List every version of a document, oldest first.',
      responses: { 200: 'Versions', 404: 'No such document, or not one of yours' },
    },
    async ({ params }, req, res) => {
      await visibility.readDocument(requesterOf(req), params.documentId, 'document-versions');
      res.json({ versions: await documents.versions(params.documentId) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/versions/:versionId/content',
      tag: 'documents',
      roles: [...STAFF],
      params: versionParams,
      summary: 'Download one version as PDF.',
      responses: { 200: 'The PDF', 404: 'No such version, or not one of yours' },
    },
    async ({ params }, req, res) => {
      const { version, bytes } = await documents.content(params.versionId);
      await visibility.readDocument(requesterOf(req), version.documentId, 'document');
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', contentDisposition(version.fileName));
      res.setHeader('X-Content-SHA256', version.sha256);
      res.send(bytes);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/versions/:versionId/seal',
      tag: 'documents',
      roles: ['registry'],
      params: versionParams,
      body: sealRequest,
      summary: 'Seal a document version with the organisation seal (starts an organisationSeal process).',
      responses: { 202: 'Started: { processId }', 400: 'Invalid request', 404: 'No such version' },
    },
    async ({ params, body }, req, res) => {
      res.status(202).json(await documents.seal(params.versionId, body.title, staffActor(req.staff)));
    },
  );
}
