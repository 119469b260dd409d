import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import { addressSchema } from '../../application/letters';
import { type RouterContext } from '../apiDeps';
import { requesterOf, staffActor, signInFirst } from '../auth';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';
import { LANGUAGES } from '../../texts/language';
import { staffPageLanguage } from '../staffLanguage';
import { registryPage } from '../views/registryPage';

/** The registry office's official mail over HTTP: one letter, batches from CSV, their progress and reports, the work list. */

const letterRequest = z.object({
  versionId: z.string().min(1).describe('The letter PDF, uploaded first with POST /api/documents'),
  title: z.string(),
  body: z.string().max(10_000).optional().describe('The message text shown with the PDF; the title when omitted'),
  recipient: z.object({
    id: z.string().describe('Personal identity code or business ID'),
    name: z.string().trim().min(1).max(200).optional(),
    address: addressSchema.optional().describe("Given when known; otherwise a person's address comes from the population register"),
  }),
});

const templateRequest = z.object({
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(256).describe('With {{column}} placeholders; at most 256 characters once filled in'),
  body: z.string().trim().min(1).max(20_000).describe('Paragraphs separated by blank lines, with {{column}} placeholders'),
  language: z.enum(['fi', 'sv', 'en']).default('fi'),
});

const batchParams = z.object({ batchId: recordId });
const batchQuery = z.object({
  documentVersionId: recordId.optional().describe('The PDF for rows without a documentVersionId'),
  title: z.string().optional().describe('The title for rows without one'),
  templateId: recordId.optional().describe('Render one PDF per row from this letter template instead'),
  skipBadRows: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('true: send the good rows and list the bad ones in the answer and the report, instead of refusing the batch'),
});

export function letterRoutes(routes: ApiRoutes, { services: { letters, visibility }, config }: RouterContext): void {
  routes.add(
    {
      method: 'post',
      path: '/api/letters',
      tag: 'official mail',
      roles: ['registry'],
      body: letterRequest,
      summary: "Send one official letter: to the recipient's Suomi.fi mailbox, else as paper mail (starts an officialLetter process).",
      responses: {
        202: 'Started: { processId, letterId }',
        400: 'Invalid request',
        404: 'No such document',
        413: 'PDF over the service limit',
        422: 'Not a PDF, not A4, title too long, invalid identity code or business ID',
      },
    },
    async ({ body }, req, res) => {
      res.status(202).json(await letters.send(body, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/letters/work-list',
      tag: 'official mail',
      roles: ['registry'],
      summary: "Letters that came back, could not be delivered, or had no channel: the registry's work list.",
      responses: { 200: '{ items: [{ letterId, batchId, row, reason, createdAt }] }' },
    },
    async (_input, _req, res) => {
      res.json({ items: await letters.workList() });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/letters/:letterId',
      tag: 'official mail',
      roles: ['registry'],
      params: z.object({ letterId: recordId }),
      summary: 'One letter: its channel, delivery events, deemed notification date and cost (never the address).',
      responses: { 200: 'The letter', 404: 'No such letter' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.letterId, 'process');
      res.json(await letters.describe(params.letterId));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/letter-templates',
      tag: 'official mail',
      roles: ['registry'],
      body: templateRequest,
      summary:
        'A letter template for batches: a title and a body (paragraphs separated by blank lines) with {{column}} placeholders filled from each CSV row.',
      responses: {
        201: 'Created: { templateId, placeholders }',
        400: 'Invalid request',
        422: 'A malformed placeholder, or a title that cannot fit',
      },
    },
    async ({ body }, req, res) => {
      res.status(201).json(await letters.createTemplate(body, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/letter-batches',
      tag: 'official mail',
      roles: ['registry'],
      query: batchQuery,
      bodyContentType: 'text/csv',
      summary:
        'Upload a batch as CSV (text/csv; "," or ";"). Columns: recipientId, name, street, postalCode, city, countryCode, title, body, documentVersionId. Query ?documentVersionId= and ?title= give defaults for rows without them; ?templateId= instead renders one PDF per row from a letter template, its {{placeholders}} filled from the columns of the same name.',
      responses: {
        202: 'Started: { batchId, processId, rows, skipped, skippedRows }',
        400: 'Empty batch or unreadable CSV',
        413: 'More rows than allowed',
        422: 'Bad rows: every one listed with its field (details.rows, up to 100; details.badRows how many); nothing is sent',
      },
    },
    async ({ query }, req, res) => {
      // The CSV is streamed from the request, row by row, never held whole.
      res.status(202).json(await letters.startBatch(req, query, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/letter-batches/:batchId',
      tag: 'official mail',
      roles: ['registry'],
      params: batchParams,
      summary: "A batch's progress: letters dispatched so far per channel and status, cost so far, and whether the report is ready.",
      responses: { 200: 'Progress', 404: 'No such batch' },
    },
    async ({ params }, _req, res) => {
      res.json(await letters.progress(await letters.batch(params.batchId)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/letter-batches',
      tag: 'official mail',
      roles: ['registry'],
      summary: 'The 20 newest batches with their progress (the registry page shows these as progress bars).',
      responses: { 200: '{ batches: [progress, …] }' },
    },
    async (_input, _req, res) => {
      res.json({ batches: await Promise.all((await letters.recentBatches(20)).map((batch) => letters.progress(batch, false))) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/registry',
      tag: 'official mail',
      before: [signInFirst(config.staffTokens)],
      query: z.object({ lang: z.enum(LANGUAGES).optional() }),
      summary: "The registry's page: sign in, then every recent batch with a progress bar and its report, in the chosen language.",
      responses: { 200: 'HTML' },
    },
    ({ query }, req, res) => {
      res.type('html').send(registryPage(config.organization, staffPageLanguage(req, res, query.lang)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/letter-batches/:batchId/report.csv',
      tag: 'official mail',
      roles: ['registry'],
      params: batchParams,
      summary: "The batch's final report as CSV: counts per channel, failures with reasons, total cost and the saving against all paper.",
      responses: { 200: 'text/csv', 404: 'No such batch', 409: 'The batch is still being sent' },
    },
    async ({ params }, _req, res) => {
      const report = await letters.report(params.batchId);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', contentDisposition(`${report.batchId}-report.csv`));
      res.send(report.csv);
    },
  );
}
