import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { ZodError } from 'zod';
import { SinettiError } from '../common/errors';
import { PdfError } from '../signing/errors';
import { logger } from '../observability/logger';
import { isStoreUnavailableError } from '../store/connection';

/** Every error leaves the API as `{ error, message, details }`. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/** gRPC codes that mean Temporal could not be reached or did not answer in time, not that the request was wrong. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** A Temporal connection failure, anywhere in the error's chain of causes. */
export function isTemporalUnavailableError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && (Number(e.code) === GRPC_UNAVAILABLE || Number(e.code) === GRPC_DEADLINE_EXCEEDED)) return true;
    if (e instanceof ServiceError && /UNAVAILABLE|DEADLINE_EXCEEDED|failed to connect|connection refused/i.test(e.message)) return true;
  }
  return false;
}

/** The route's template (`/s/:token`), never the concrete path: a personal link's token must not reach the logs. */
export function routeTemplate(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return route ? `${req.baseUrl}${route}` : '(no route)';
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({
    error: 'not_found',
    message: `No such endpoint: ${req.method} ${req.path}. See /openapi.json for the API.`,
  } satisfies ErrorBody);
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
    res.status(413).json({
      error: 'document_too_large',
      message: `The upload is larger than the limit of ${((parserError.limit ?? 0) / 1e6).toFixed(1)} MB.`,
      details: { limit: parserError.limit },
    } satisfies ErrorBody);
    return;
  }
  if (parserError.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'invalid_json', message: 'The request body is not valid JSON.' } satisfies ErrorBody);
    return;
  }
  if (isStoreUnavailableError(error)) {
    res.setHeader('Retry-After', '30');
    res.status(503).json({
      error: 'store_unavailable',
      message: 'The document store is not reachable right now. Nothing was changed; try again in a moment.',
    } satisfies ErrorBody);
    return;
  }
  if (isTemporalUnavailableError(error)) {
    logger.warn({ route: routeTemplate(req), method: req.method, err: { name: (error as Error)?.name } }, 'Temporal unreachable');
    res.setHeader('Retry-After', '30');
    res.status(503).json({
      error: 'temporal_unavailable',
      message: 'The process engine is not reachable right now; try again in a moment.',
    } satisfies ErrorBody);
    return;
  }
  logger.error(
    {
      err: { name: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack },
      route: routeTemplate(req),
      method: req.method,
    },
    'unhandled API error',
  );
  res
    .status(500)
    .json({ error: 'internal_error', message: 'Something went wrong on our side. The error has been logged.' } satisfies ErrorBody);
};
