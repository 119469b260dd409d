import { createHash } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { SinettiError } from '../../common/errors';
import { validatePdf } from '../../signing/validation/validatePdf';
import { loadValidationTrustAnchors } from '../../worker/signingCredentials';
import { type ApiDeps } from '../apiDeps';
import { type ApiRoutes } from '../routeRegistry';

/** Anyone may check a signed PDF; this many per address and minute keeps the public endpoint from being a free CPU. */
const REQUESTS_PER_MINUTE = 30;

const query = z.object({
  at: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'Give the date as YYYY-MM-DD (or an ISO time in UTC).')
    .optional(),
});

/** POST /api/validate: each signature of an uploaded PDF in words, optionally as if validated on a chosen date. */
export function validationRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const pdfBody = express.raw({ type: 'application/pdf', limit: deps.config.maxDocumentBytes });
  const anchors = loadValidationTrustAnchors(deps.config);
  const recent = new Map<string, { windowStart: number; count: number }>();
  const limitPerAddress: RequestHandler = (req, _res, next) => {
    const now = Date.now();
    const key = req.ip ?? 'unknown';
    const entry = recent.get(key);
    if (!entry || now - entry.windowStart > 60_000) recent.set(key, { windowStart: now, count: 1 });
    else if (++entry.count > REQUESTS_PER_MINUTE)
      throw new SinettiError('rate_limited', `At most ${REQUESTS_PER_MINUTE} validations a minute; try again shortly.`, 429);
    if (recent.size > 10_000) recent.clear();
    next();
  };

  routes.add(
    {
      method: 'post',
      path: '/api/validate',
      tag: 'validation',
      bodyContentType: 'application/pdf',
      summary: 'Validate the signatures of a PDF (body: the PDF bytes; optional ?at=YYYY-MM-DD to validate as of that date).',
      responses: {
        200: '{ documentSha256, validatedAt, signatures: [{ kind, signer, claimedTime, timestampedTime, covers, revocation, level, indication, reasons }] }',
        400: 'Bad date or empty body',
        413: 'Over the size limit',
        415: 'Not sent as application/pdf',
        422: 'Not a PDF',
        429: 'Too many requests',
      },
      query,
      before: [limitPerAddress, pdfBody],
    },
    async ({ query: { at } }, req, res) => {
      if (!req.is('application/pdf'))
        throw new SinettiError('unsupported_media_type', 'Send the PDF file as the request body with Content-Type: application/pdf.', 415);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (bytes.length === 0)
        throw new SinettiError('empty_upload', 'Send the PDF file as the request body with Content-Type: application/pdf.', 400);
      const date = at ? new Date(at) : undefined;
      if (date && Number.isNaN(date.getTime())) throw new SinettiError('invalid_date', `"${at}" is not a date.`, 400);
      const report = await validatePdf(bytes, { trustAnchors: await anchors, at: date });
      res.json({ documentSha256: createHash('sha256').update(bytes).digest('hex'), ...report });
    },
  );
}
