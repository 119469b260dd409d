import { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { SinettiError } from '../common/errors';
import { PdfError } from '../signing/errors';
import { logger } from '../observability/logger';
import { isStoreUnavailableError } from '../store/connection';

/** Every error leaves the API as `{ error, message, details }`. */
export interface ErrorBody { error: string; message: string; details?: unknown }

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `No such endpoint: ${req.method} ${req.path}. See /openapi.json for the API.` } satisfies ErrorBody);
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (error instanceof SinettiError) {
    res.status(error.status).json({ error: error.code, message: error.message, details: error.details } satisfies ErrorBody);
    return;
  }
  if (error instanceof PdfError) {
    const status = error.code === 'field_already_signed' ? 409 : 422;
    res.status(status).json({ error: error.code, message: error.message } satisfies ErrorBody);
    return;
  }
  if (error instanceof ZodError) {
    res.status(400).json({
      error: 'invalid_request',
      message: 'The request has fields to fix: ' + error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      details: error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    } satisfies ErrorBody);
    return;
  }
  // body-parser's own errors carry a status and a type.
  const parserError = error as { status?: number; type?: string; limit?: number };
  if (parserError.type === 'entity.too.large') {
    res.status(413).json({ error: 'document_too_large', message: `The upload is larger than the limit of ${((parserError.limit ?? 0) / 1e6).toFixed(1)} MB.`, details: { limit: parserError.limit } } satisfies ErrorBody);
    return;
  }
  if (parserError.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'invalid_json', message: 'The request body is not valid JSON.' } satisfies ErrorBody);
    return;
  }
  if (isStoreUnavailableError(error)) {
    res.setHeader('Retry-After', '30');
    res.status(503).json({ error: 'store_unavailable', message: 'The document store is not reachable right now. Nothing was changed; try again in a moment.' } satisfies ErrorBody);
    return;
  }
  logger.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack }, path: req.path }, 'unhandled API error');
  res.status(500).json({ error: 'internal_error', message: 'Something went wrong on our side. The error has been logged.' } satisfies ErrorBody);
};
