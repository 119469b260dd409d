import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { CsvError, readCsvRecords } from '../../common/csv';
import { SinettiError, NotFoundError } from '../../common/errors';
import { maskIdentifier, parsePartyIdentifier } from '../../rules/identifiers';
import { batchPageTrackerIds, checkLetterPdf, checkLetterTitle, letterProcessId, rowDeliveryTrackerId } from '../../rules/officialMail';
import { inspectPdf, PdfError } from '../../signing/errors';
import { LetterPageTallies } from '../../store/letterPageTallies';
import { LetterAddress, LetterBatchRecord, LetterRecord, Letters } from '../../store/letters';
import { LetterTemplates } from '../../store/letterTemplates';
import { malformedPlaceholder, mergeTemplate, templatePlaceholders } from '../../rules/letterTemplate';
import type { LetterBatchState } from '../../workflows/letterBatch';
import type { OfficialLetterState } from '../../workflows/officialLetter';
import { ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { ApiRoutes } from '../routeRegistry';
import { registryPage } from '../views/registryPage';

/**
 * The registry office's official mail: one letter, a batch from a CSV,
 * the batch's progress and report, and the work list of letters that came
 * back. Everything is checked before anything starts: bad input is a 4xx
 * naming the row and field, and nothing is sent.
 */

const addressSchema = z.object({
  street: z.string().trim().min(1).max(200),
  postalCode: z.string().trim().regex(/^\d{5}$/, 'five digits'),
  city: z.string().trim().min(1).max(100),
  countryCode: z.string().trim().length(2).default('FI'),
});

const letterRequest = z.object({
  versionId: z.string().min(1).describe('The letter PDF, uploaded first with POST /api/documents'),
  title: z.string(),
  body: z.string().max(10_000).optional().describe('The message text shown with the PDF; the title when omitted'),
  recipient: z.object({
    id: z.string().describe('Personal identity code or business ID'),
    name: z.string().trim().min(1).max(200).optional(),
    address: addressSchema.optional().describe('Given when known; otherwise a person\'s address comes from the population register'),
  }),
});

const templateRequest = z.object({
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(256).describe('With {{column}} placeholders; at most 256 characters once filled in'),
  body: z.string().trim().min(1).max(20_000).describe('Paragraphs separated by blank lines, with {{column}} placeholders'),
  language: z.enum(['fi', 'sv', 'en']).default('fi'),
});

type Problem = { row?: number; field: string; code: string; message: string };

const fail = (problem: Problem, status = 422) => new SinettiError(problem.code, problem.row ? `Row ${problem.row}, ${problem.field}: ${problem.message}` : `${problem.field}: ${problem.message}`, status, problem);

export function letterRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const letters = new Letters();
  const tallies = new LetterPageTallies();
  const templates = new LetterTemplates();
  const mail = deps.config.officialMail;

  /** A running process's live state; a closed one has left its outcome in the record. */
  async function runningState<T>(processId: string): Promise<T | undefined> {
    try {
      const handle = deps.temporal.workflow.getHandle(processId);
      if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
      return await handle.query<T>('state');
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** An open batch letter's events so far, from its page's tracker. */
  async function trackedEvents(trackerId: string, letterId: string): Promise<{ type: string; at: string }[] | undefined> {
    try {
      return await deps.temporal.workflow.getHandle(trackerId).query<{ type: string; at: string }[] | undefined, [string]>('letterEvents', letterId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * A batch's progress: letters dispatched so far per channel and status, cost so far, and the report once ready.
   * `live` also asks the running batch process (its pages done); the list leaves that out, since a query
   * waits for a worker and one slow batch must not hold up the registry's whole page.
   */
  async function progressOf(batch: LetterBatchRecord, live = true) {
    const [counts, state] = await Promise.all([
      batch.pageTallies && batch.pageSize ? tallies.batchCounts(batch.total, batchPageTrackerIds(batch._id, batch.total, batch.pageSize)) : letters.batchCounts(batch._id),
      live ? runningState<LetterBatchState>(batch.processId) : Promise.resolve(undefined),
    ]);
    const done = batch.total - (counts.byStatus.created ?? 0);
    return {
      batchId: batch._id, createdAt: batch.createdAt, total: batch.total, processed: done, percent: Math.floor((100 * done) / batch.total),
      status: state?.status ?? (batch.reportVersionId ? 'completed' : 'sending'),
      byStatus: counts.byStatus, byChannel: counts.byChannel, costCents: counts.costCents, paperCostCents: counts.paperCostCents,
      pagesDone: state?.pagesDone, reportReady: Boolean(batch.reportVersionId),
      report: batch.reportVersionId ? `/api/letter-batches/${batch._id}/report.csv` : undefined,
    };
  }

  /** A stored version as a letter's PDF: null when it will do, else what is wrong with it. */
  async function checkDocument(versionId: string): Promise<Omit<Problem, 'row' | 'field'> | null> {
    let version;
    try {
      version = await deps.store.getVersion(versionId);
    } catch (error) {
      if (error instanceof NotFoundError) return { code: 'document_not_found', message: `No document version ${versionId}; upload the PDF first with POST /api/documents.` };
      throw error;
    }
    const codeAndMessage = (problem: { code: string; message: string } | null) => problem && { code: problem.code, message: problem.message };
    if (version.size > mail.maxPdfBytes) return codeAndMessage(checkLetterPdf({ size: version.size, pageSizes: [] }, mail.maxPdfBytes));
    try {
      const inspection = await inspectPdf(await deps.store.readVersion(versionId));
      return codeAndMessage(checkLetterPdf({ size: version.size, pageSizes: inspection.pageSizes }, mail.maxPdfBytes));
    } catch (error) {
      if (error instanceof PdfError) return { code: error.code, message: error.message };
      throw error;
    }
  }

  /** One row's or one request's letter, checked; a problem names its field. */
  function letterFrom(fields: { recipientId: string; name?: string; address?: Partial<LetterAddress>; title: string; body?: string; versionId?: string }):
    { letter: Omit<LetterRecord, '_id' | 'processId' | 'createdAt'> } | { problem: Omit<Problem, 'row'> } {
    const party = parsePartyIdentifier(fields.recipientId);
    if (!party.valid) return { problem: { field: 'recipient.id', code: `invalid_recipient_${party.problem}`, message: party.message } };
    const title = checkLetterTitle(fields.title);
    if (title) return { problem: title };
    const given = fields.address;
    const anyAddress = given && (given.street || given.postalCode || given.city);
    let address: LetterAddress | undefined;
    if (anyAddress) {
      const parsed = addressSchema.safeParse(given);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return { problem: { field: `recipient.address.${issue.path.join('.')}`, code: 'invalid_address', message: issue.message } };
      }
      if (!fields.name?.trim()) return { problem: { field: 'recipient.name', code: 'name_missing', message: 'A postal address needs the recipient\'s name.' } };
      address = { name: fields.name.trim(), ...parsed.data };
    }
    return {
      letter: {
        recipientId: party.party.code, recipientKind: party.party.kind, ...(address ? { address } : {}),
        title: fields.title, body: fields.body?.trim() || fields.title, ...(fields.versionId ? { versionId: fields.versionId } : {}), status: 'created', events: [],
      },
    };
  }

  routes.add({
    method: 'post', path: '/api/letters', tag: 'official mail', roles: ['registry'], body: letterRequest,
    summary: 'Send one official letter: to the recipient\'s Suomi.fi mailbox, else as paper mail (starts an officialLetter process).',
    responses: { 202: 'Started: { processId, letterId }', 400: 'Invalid request', 404: 'No such document', 413: 'PDF over the service limit', 422: 'Not a PDF, not A4, title too long, invalid identity code or business ID' },
  }, async (req, res) => {
    const request = letterRequest.parse(req.body);
    const checked = letterFrom({
      recipientId: request.recipient.id, name: request.recipient.name, address: request.recipient.address,
      title: request.title, body: request.body, versionId: request.versionId,
    });
    if ('problem' in checked) throw fail(checked.problem);
    const documentProblem = await checkDocument(request.versionId);
    if (documentProblem) throw fail({ field: 'versionId', ...documentProblem }, documentProblem.code === 'document_too_large' ? 413 : documentProblem.code === 'document_not_found' ? 404 : 422);
    const letterId = `letter-${randomUUID()}`;
    await letters.create([{ _id: letterId, processId: letterId, createdAt: new Date(), ...checked.letter }]);
    await deps.temporal.workflow.start('officialLetterWorkflow', {
      taskQueue: deps.config.temporal.taskQueue, workflowId: letterId,
      args: [{ letterId, organization: deps.config.organization, requestedBy: staffActor(req.staff), trackingDays: mail.trackingDays }],
    });
    res.status(202).json({ processId: letterId, letterId });
  });

  routes.add({
    method: 'get', path: '/api/letters/work-list', tag: 'official mail', roles: ['registry'],
    summary: 'Letters that came back, could not be delivered, or had no channel: the registry\'s work list.',
    responses: { 200: '{ items: [{ letterId, batchId, row, reason, createdAt }] }' },
  }, async (_req, res) => {
    res.json({ items: await letters.workList() });
  });

  routes.add({
    method: 'get', path: '/api/letters/:letterId', tag: 'official mail', roles: ['registry'],
    summary: 'One letter: its channel, delivery events, deemed notification date and cost (never the address).',
    responses: { 200: 'The letter', 404: 'No such letter' },
  }, async (req, res) => {
    const letter = await letters.get(String(req.params.letterId));
    // A batch letter has no workflow of its own: the page records its sending, its page's tracker its final state and events.
    const state = letter.trackedBy ? undefined : await runningState<OfficialLetterState>(letter.processId);
    const eventsSoFar = letter.trackedBy && letter.status === 'sent' ? await trackedEvents(letter.trackedBy, letter._id) : undefined;
    res.json({
      letterId: letter._id, processId: letter.processId, batchId: letter.batchId, row: letter.row,
      recipient: maskIdentifier(letter.recipientId), recipientKind: letter.recipientKind, addressFrom: letter.addressFrom,
      title: letter.title, status: state?.status ?? letter.status, channel: state?.channel ?? letter.channel,
      deemedNotifiedOn: state?.deemedNotifiedOn ?? letter.deemedNotifiedOn, costCents: state?.costCents ?? letter.costCents,
      events: state?.events ?? eventsSoFar ?? letter.events, failure: state?.failure ?? letter.failure,
    });
  });

  routes.add({
    method: 'post', path: '/api/letter-templates', tag: 'official mail', roles: ['registry'], body: templateRequest,
    summary: 'A letter template for batches: a title and a body (paragraphs separated by blank lines) with {{column}} placeholders filled from each CSV row.',
    responses: { 201: 'Created: { templateId, placeholders }', 400: 'Invalid request', 422: 'A malformed placeholder, or a title that cannot fit' },
  }, async (req, res) => {
    const request = templateRequest.parse(req.body);
    for (const [field, text] of [['title', request.title], ['body', request.body]] as const) {
      const malformed = malformedPlaceholder(text);
      if (malformed) throw fail({ field, code: 'template_placeholder', message: `A placeholder is written {{column}} with a letter first, then letters, digits or _: near "${malformed}".` });
    }
    const templateId = `letter-template-${randomUUID()}`;
    const placeholders = templatePlaceholders(request.title, request.body);
    await templates.create({ _id: templateId, ...request, placeholders, createdBy: staffActor(req.staff), createdAt: new Date() });
    res.status(201).json({ templateId, placeholders });
  });

  routes.add({
    method: 'post', path: '/api/letter-batches', tag: 'official mail', roles: ['registry'],
    summary: 'Upload a batch as CSV (text/csv; "," or ";"). Columns: recipientId, name, street, postalCode, city, countryCode, title, body, documentVersionId. Query ?documentVersionId= and ?title= give defaults for rows without them; ?templateId= instead renders one PDF per row from a letter template, its {{placeholders}} filled from the columns of the same name.',
    responses: { 202: 'Started: { batchId, processId, rows }', 400: 'Empty batch or unreadable CSV', 413: 'More rows than allowed', 422: 'A bad row: the error names the row and field; nothing is sent' },
  }, async (req, res) => {
    const defaultVersionId = typeof req.query.documentVersionId === 'string' ? req.query.documentVersionId : undefined;
    const defaultTitle = typeof req.query.title === 'string' ? req.query.title : undefined;
    const template = typeof req.query.templateId === 'string' ? await templates.get(req.query.templateId).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw fail({ field: 'templateId', code: 'template_not_found', message: `No letter template ${String(req.query.templateId)}; create one first with POST /api/letter-templates.` }, 404);
      throw error;
    }) : undefined;
    const batchId = `letter-batch-${randomUUID()}`;
    const checkedDocuments = new Map<string, Omit<Problem, 'row' | 'field'> | null>();
    let header: string[] | undefined;
    let rows = 0;
    let chunk: LetterRecord[] = [];
    const flush = async () => { if (chunk.length) { await letters.create(chunk); chunk = []; } };
    try {
      for await (const record of readCsvRecords(req)) {
        if (!header) {
          header = record.fields.map((h) => h.trim());
          if (!header.includes('recipientId')) throw fail({ field: 'recipientId', code: 'csv_header', message: 'The first line must name the columns; recipientId is required.' }, 400);
          const missing = template?.placeholders.find((name) => !header!.includes(name));
          if (missing) throw fail({ field: missing, code: 'csv_header', message: `The template fills in {{${missing}}}: the CSV needs a column named ${missing}.` }, 400);
          continue;
        }
        rows += 1;
        if (rows > mail.batch.maxRows) throw fail({ field: '(batch)', code: 'batch_too_large', message: `A batch may have at most ${mail.batch.maxRows} letters.` }, 413);
        const cell = (name: string) => { const i = header!.indexOf(name); return i >= 0 ? (record.fields[i] ?? '').trim() : ''; };
        const versionId = template ? undefined : cell('documentVersionId') || defaultVersionId;
        if (!template && !versionId) throw fail({ row: rows, field: 'documentVersionId', code: 'document_missing', message: 'No PDF: give documentVersionId in the row or as ?documentVersionId=, or a letter template as ?templateId=.' });
        const fields = template ? Object.fromEntries(template.placeholders.map((name) => [name, cell(name)])) : undefined;
        const empty = template?.placeholders.find((name) => !fields![name]);
        if (empty) throw fail({ row: rows, field: empty, code: 'template_field_missing', message: `The template fills in {{${empty}}}, but this row leaves ${empty} empty.` });
        const checked = letterFrom({
          recipientId: cell('recipientId'), name: cell('name') || undefined,
          address: { street: cell('street'), postalCode: cell('postalCode'), city: cell('city'), countryCode: cell('countryCode') || 'FI' },
          title: template ? mergeTemplate(template.title, fields!) : cell('title') || defaultTitle || '', body: cell('body') || undefined, versionId,
        });
        if ('problem' in checked) throw fail({ row: rows, ...checked.problem });
        if (versionId) {
          if (!checkedDocuments.has(versionId)) checkedDocuments.set(versionId, await checkDocument(versionId));
          const documentProblem = checkedDocuments.get(versionId);
          if (documentProblem) throw fail({ row: rows, field: 'documentVersionId', ...documentProblem });
        }
        const letterId = letterProcessId(batchId, rows);
        chunk.push({ _id: letterId, processId: letterId, batchId, row: rows, trackedBy: rowDeliveryTrackerId(batchId, rows, mail.batch.pageSize), createdAt: new Date(), ...checked.letter, ...(template ? { template: { templateId: template._id, fields: fields! } } : {}) });
        if (chunk.length >= 500) await flush();
      }
      if (rows === 0) throw fail({ field: '(batch)', code: 'empty_batch', message: 'The CSV has no letters: a header line and at least one row are needed.' }, 400);
      await flush();
    } catch (error) {
      await letters.discardBatch(batchId);
      if (error instanceof CsvError) throw fail({ field: '(csv)', code: 'csv_unreadable', message: error.message }, 400);
      throw error;
    }
    await letters.createBatch({ _id: batchId, total: rows, createdBy: staffActor(req.staff), createdAt: new Date(), processId: batchId, pageSize: mail.batch.pageSize, pageTallies: true });
    await deps.temporal.workflow.start('letterBatchWorkflow', {
      taskQueue: deps.config.temporal.taskQueue, workflowId: batchId,
      args: [{
        batchId, total: rows, organization: deps.config.organization, requestedBy: staffActor(req.staff), trackingDays: mail.trackingDays,
        pageSize: mail.batch.pageSize, ratePerSecond: mail.batch.ratePerSecond,
      }],
    });
    res.status(202).json({ batchId, processId: batchId, rows });
  });

  routes.add({
    method: 'get', path: '/api/letter-batches/:batchId', tag: 'official mail', roles: ['registry'],
    summary: 'A batch\'s progress: letters dispatched so far per channel and status, cost so far, and whether the report is ready.',
    responses: { 200: 'Progress', 404: 'No such batch' },
  }, async (req, res) => {
    res.json(await progressOf(await letters.getBatch(String(req.params.batchId))));
  });

  routes.add({
    method: 'get', path: '/api/letter-batches', tag: 'official mail', roles: ['registry'],
    summary: 'The 20 newest batches with their progress (the registry page shows these as progress bars).',
    responses: { 200: '{ batches: [progress, …] }' },
  }, async (_req, res) => {
    res.json({ batches: await Promise.all((await letters.recentBatches(20)).map((batch) => progressOf(batch, false))) });
  });

  routes.add({
    method: 'get', path: '/registry', tag: 'official mail',
    summary: "The registry's page: sign in, then every recent batch with a progress bar and its report.", responses: { 200: 'HTML' },
  }, (_req, res) => { res.type('html').send(registryPage(deps.config.organization)); });

  routes.add({
    method: 'get', path: '/api/letter-batches/:batchId/report.csv', tag: 'official mail', roles: ['registry'],
    summary: 'The batch\'s final report as CSV: counts per channel, failures with reasons, total cost and the saving against all paper.',
    responses: { 200: 'text/csv', 404: 'No such batch', 409: 'The batch is still being sent' },
  }, async (req, res) => {
    const batch = await letters.getBatch(String(req.params.batchId));
    if (!batch.reportVersionId) throw new SinettiError('report_not_ready', 'The batch is still being sent; its report is written when every letter has been dispatched.', 409);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${batch._id}-report.csv"`);
    res.send(await deps.store.readVersion(batch.reportVersionId));
  });
}
