import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { ZodError } from 'zod';
import { SinettiError } from '../common/errors';
import { PdfError } from '../signing/errors';
import { logger } from '../observability/logger';
import { isStoreUnavailableError } from '../store/connection';
import { textsFor } from '../texts/catalog';
import { signInUrl } from './auth';
import { sendErrorPage, wantsErrorPage } from './errorPages';
import { isApiRequest, requestLanguage } from './rateLimits';
import { explanationPage } from './views/kit/participantPage';

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

const PEOPLES_ROUTES = ['/s/', '/m/', '/hakemus/', '/forms/', '/api/forms/', '/api/applicant/'];

function isPeoplesRoute(req: Request): boolean {
  return PEOPLES_ROUTES.some((prefix) => req.originalUrl.startsWith(prefix));
}

/** The route's template (`/s/:token`), never the concrete path: a personal link's token must not reach the logs. */
export function routeTemplate(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return route ? `${req.baseUrl}${route}` : '(no route)';
}

/** The error as JSON for API clients, as a page in their language for a person's browser (api/errorPages.ts). */
function sendError(req: Request, res: Response, status: number, body: ErrorBody): void {
  // Only a request's own mistakes are worth the detail (a field to fix); a 404 or 500 says no more than the page's text.
  if (wantsErrorPage(req))
    sendErrorPage(req, res, status, signInUrl(req), { detail: status < 500 && status !== 404 ? body.message : undefined });
  else res.status(status).json(body);
}

export const notFound: RequestHandler = (req, res) => {
  sendError(req, res, 404, {
    error: 'not_found',
    message: `No such endpoint: ${req.method} ${req.path}. See /openapi.json for the API.`,
  });
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (error instanceof SinettiError) {
    sendError(req, res, error.status, { error: error.code, message: error.message, details: error.details });
    return;
  }
  if (error instanceof PdfError) {
    const status = error.code === 'field_already_signed' ? 409 : 422;
    sendError(req, res, status, { error: error.code, message: error.message });
    return;
  }
  if (error instanceof ZodError) {
    sendError(req, res, 400, {
      error: 'invalid_request',
      message: 'The request has fields to fix: ' + error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      details: error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
    return;
  }
  // body-parser's own errors carry a status and a type.
  const parserError = error as { status?: number; type?: string; limit?: number };
  if (parserError.type === 'entity.too.large') {
    sendError(req, res, 413, {
      error: 'document_too_large',
      message: `The upload is larger than the limit of ${((parserError.limit ?? 0) / 1e6).toFixed(1)} MB.`,
      details: { limit: parserError.limit },
    });
    return;
  }
  if (parserError.type === 'entity.parse.failed') {
    sendError(req, res, 400, { error: 'invalid_json', message: 'The request body is not valid JSON.' });
    return;
  }
  if (isStoreUnavailableError(error)) {
    res.setHeader('Retry-After', '30');
    sendError(req, res, 503, {
      error: 'store_unavailable',
      message: 'The document store is not reachable right now. Nothing was changed; try again in a moment.',
    });
    return;
  }
  if (isTemporalUnavailableError(error)) {
    logger.warn({ route: routeTemplate(req), method: req.method, err: { name: (error as Error)?.name } }, 'Temporal unreachable');
    res.setHeader('Retry-After', '30');
    if (isPeoplesRoute(req)) {
      // People are told in their own language that nothing was saved and a retry is safe (creates are idempotent).
      const language = requestLanguage(req);
      const { heading, text } = textsFor(language).busyPages.unavailable;
      if (isApiRequest(req)) sendError(req, res, 503, { error: 'temporal_unavailable', message: text(30) });
      else
        res
          .status(503)
          .type('html')
          .send(explanationPage({ language, organization: '', heading, texts: [text(30)] }));
      return;
    }
    sendError(req, res, 503, {
      error: 'temporal_unavailable',
      message:
        'The process engine is not reachable right now; nothing was changed. Try again in a moment (with the same Idempotency-Key when creating).',
    });
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
  sendError(req, res, 500, { error: 'internal_error', message: 'Something went wrong on our side. The error has been logged.' });
};
