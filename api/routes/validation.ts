import { createHash } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { SinettiError } from '../../common/errors';
import { readSinettiProvenance } from '../../signing/validation/sinettiProvenance';
import { validatePdf } from '../../signing/validation/validatePdf';
import { isLanguage, type Language } from '../../texts/language';
import { textsFor } from '../../texts/catalog';
import { multipartForm } from '../multipartForm';
import { pageLanguage } from '../requestFields';
import { chooseLanguage } from '../signerPageViews';
import { validationPage, type ValidationPageReport } from '../views/validationPage';
import { validationReportPdf } from '../views/validationReportPdf';
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

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/;

/**
 * POST /api/validate: each signature of an uploaded PDF in words, optionally as if validated on a chosen date;
 * /validate: the same for people, as the public page "Tarkista allekirjoitettu asiakirja".
 */
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
        200: '{ documentSha256, validatedAt, signatures: [{ kind, signer, claimedTime, timestampedTime, covers, revocation, level, indication, reasons, findings }] }',
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
      res.json(await validate(bytes, date));
    },
  );

  async function validate(bytes: Buffer, at: Date | undefined): Promise<ValidationPageReport> {
    const report = await validatePdf(bytes, { trustAnchors: await anchors, at });
    return { documentSha256: createHash('sha256').update(bytes).digest('hex'), ...report, provenance: readSinettiProvenance(bytes) };
  }

  const language = (req: { get(name: string): string | undefined }, lang: unknown): Language =>
    chooseLanguage(isLanguage(lang) ? lang : undefined, req.get('accept-language'), 'fi');

  routes.add(
    {
      method: 'get',
      path: '/validate',
      tag: 'validation',
      query: pageLanguage,
      summary: 'The public page "Tarkista allekirjoitettu asiakirja": upload a signed PDF and see its signatures in words (fi/sv/en).',
      responses: { 200: 'HTML' },
    },
    ({ query: { lang } }, req, res) => {
      res.type('html').send(validationPage({ language: language(req, lang), organization: deps.config.organization }));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/validate',
      tag: 'validation',
      query: pageLanguage,
      bodyContentType: 'multipart/form-data',
      summary:
        "The page's form: the PDF (pdf), an optional date (at, YYYY-MM-DD) and format html (the page with the report), json or pdf (the report to download).",
      responses: {
        200: 'HTML, or the report as JSON or PDF',
        400: 'No PDF or a bad date (the page says which)',
        413: 'Over the size limit',
        429: 'Too many requests',
      },
      before: [limitPerAddress, ...multipartForm(deps.config.maxDocumentBytes + 1024 * 1024)],
    },
    async ({ query: { lang } }, req, res) => {
      const chosen = language(req, lang);
      const t = textsFor(chosen).validationPage;
      const fields = req.form?.fields ?? {};
      const file = req.form?.files.pdf;
      const asOf = fields.at?.trim() || undefined;
      const page = (status: number, props: { problem?: string; report?: ValidationPageReport }) =>
        res
          .status(status)
          .type('html')
          .send(validationPage({ language: chosen, organization: deps.config.organization, asOf, ...props }));
      const date = asOf ? new Date(asOf) : undefined;
      if (asOf && (!DATE.test(asOf) || Number.isNaN(date!.getTime()))) return page(400, { problem: t.badDate });
      if (!file || !file.bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) return page(400, { problem: t.badFile });
      const report = await validate(file.bytes, date);
      if (fields.format === 'json') {
        res.attachment('validation-report.json').json(report);
      } else if (fields.format === 'pdf') {
        res
          .attachment('validation-report.pdf')
          .type('application/pdf')
          .send(await validationReportPdf(report, chosen));
      } else {
        page(200, { report });
      }
    },
  );
}
