import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { nameSearchAttributes } from './nameTokens';
import { z } from 'zod';
import { CsvError, readCsvRecords } from '../common/csv';
import { NotFoundError, SinettiError } from '../common/errors';
import { maskIdentifier, parsePartyIdentifier } from '../rules/identifiers';
import { malformedPlaceholder, mergeTemplate, templatePlaceholders } from '../rules/letterTemplate';
import { batchPageTrackerIds, checkLetterPdf, checkLetterTitle, letterProcessId, rowDeliveryTrackerId } from '../rules/officialMail';
import { inspectPdf, PdfError } from '../signing/errors';
import { LetterPageTallies } from '../store/letterPageTallies';
import { type LetterAddress, type LetterBatchRecord, type LetterRecord, Letters } from '../store/letters';
import { type LetterTemplateRecord, LetterTemplates } from '../store/letterTemplates';
import { letterBatchStateQuery, letterBatchWorkflow } from '../workflows/letterBatch';
import { letterEventsQuery } from '../workflows/letterDeliveryTracking';
import { letterStateQuery, officialLetterWorkflow } from '../workflows/officialLetter';
import { queryWhileRunning } from './processHandles';
import { type ServiceDeps } from './serviceDeps';

/**
 * The registry office's official mail: one letter, a batch from a CSV,
 * the batch's progress and report, and the work list of letters that came
 * back. Everything is checked before anything starts: bad input is a 4xx
 * naming the row and field, and nothing is sent.
 */

export const addressSchema = z.object({
  street: z.string().trim().min(1).max(200),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/, 'five digits'),
  city: z.string().trim().min(1).max(100),
  countryCode: z.string().trim().length(2).default('FI'),
});

export interface LetterRequest {
  versionId: string;
  title: string;
  body?: string;
  recipient: { id: string; name?: string; address?: z.input<typeof addressSchema> };
}

export interface NewLetterTemplate {
  name: string;
  title: string;
  body: string;
  language: 'fi' | 'sv' | 'en';
}

type Problem = { row?: number; field: string; code: string; message: string };

const fail = (problem: Problem, status = 422) =>
  new SinettiError(
    problem.code,
    problem.row ? `Row ${problem.row}, ${problem.field}: ${problem.message}` : `${problem.field}: ${problem.message}`,
    status,
    problem,
  );

/** Bad rows listed in a refusal or a report; beyond these only their number is given. */
export const BAD_ROWS_LISTED = 100;

/** A batch refused for its bad rows: each listed with its field; `error` and `details` are the first's, as before. */
function badRows(problems: Problem[], count: number): SinettiError {
  const [first] = problems;
  const listed = problems.map((p) => `Row ${p.row}, ${p.field}: ${p.message}`).join('; ');
  const more = count > problems.length ? ` … and ${count - problems.length} more bad rows.` : '';
  return new SinettiError(
    first.code,
    `${count} bad row${count === 1 ? '' : 's'}; nothing was sent (send with ?skipBadRows=true to send the others): ${listed}${more}`,
    422,
    { ...first, rows: problems, badRows: count },
  );
}

export class LetterService {
  private readonly letters = new Letters();
  private readonly tallies = new LetterPageTallies();
  private readonly templates = new LetterTemplates();

  constructor(private readonly deps: ServiceDeps) {}

  private get mail() {
    return this.deps.config.officialMail;
  }

  /** Checks the letter and its PDF, stores it and starts its officialLetter process. */
  async send(request: LetterRequest, actor: string): Promise<{ processId: string; letterId: string }> {
    const checked = this.letterFrom({
      recipientId: request.recipient.id,
      name: request.recipient.name,
      address: request.recipient.address,
      title: request.title,
      body: request.body,
      versionId: request.versionId,
    });
    if ('problem' in checked) throw fail(checked.problem);
    const documentProblem = await this.checkDocument(request.versionId);
    if (documentProblem)
      throw fail(
        { field: 'versionId', ...documentProblem },
        documentProblem.code === 'document_too_large' ? 413 : documentProblem.code === 'document_not_found' ? 404 : 422,
      );
    const letterId = `letter-${randomUUID()}`;
    await this.letters.create([{ _id: letterId, processId: letterId, createdAt: new Date(), ...checked.letter }]);
    await this.deps.temporal.workflow.start(officialLetterWorkflow, {
      taskQueue: this.deps.config.temporal.taskQueue,
      workflowId: letterId,
      args: [{ letterId, organization: this.deps.config.organization, requestedBy: actor, trackingDays: this.mail.trackingDays }],
      // The recipient, findable by name as keyed hashes only (application/nameTokens.ts).
      typedSearchAttributes: nameSearchAttributes(this.deps.config, [request.recipient.name]),
    });
    return { processId: letterId, letterId };
  }

  workList() {
    return this.letters.workList();
  }

  /** One letter: its channel, delivery events, deemed notification date and cost (never the address). */
  async describe(letterId: string) {
    const letter = await this.letters.get(letterId);
    // A batch letter has no workflow of its own: the page records its sending, its page's tracker its final state and events.
    // Any other letter's workflow has the letter's id. Not its processId: a decision's letter belongs to the application,
    // whose own "state" query would answer the application's status (issue 15, C9).
    const state = letter.trackedBy ? undefined : await queryWhileRunning(this.deps.temporal, letter._id, letterStateQuery);
    const eventsSoFar = letter.trackedBy && letter.status === 'sent' ? await this.trackedEvents(letter.trackedBy, letter._id) : undefined;
    return {
      letterId: letter._id,
      processId: letter.processId,
      batchId: letter.batchId,
      row: letter.row,
      recipient: maskIdentifier(letter.recipientId),
      recipientKind: letter.recipientKind,
      addressFrom: letter.addressFrom,
      title: letter.title,
      status: state?.status ?? letter.status,
      channel: state?.channel ?? letter.channel,
      deemedNotifiedOn: state?.deemedNotifiedOn ?? letter.deemedNotifiedOn,
      costCents: state?.costCents ?? letter.costCents,
      events: state?.events ?? eventsSoFar ?? letter.events,
      failure: state?.failure ?? letter.failure,
    };
  }

  /** An open batch letter's events so far, from its page's tracker; undefined once the tracker has gone. */
  private async trackedEvents(trackerId: string, letterId: string) {
    try {
      return await this.deps.temporal.workflow.getHandle(trackerId).query(letterEventsQuery, letterId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** A letter template for batches, its placeholders checked. */
  async createTemplate(request: NewLetterTemplate, actor: string): Promise<{ templateId: string; placeholders: string[] }> {
    for (const [field, text] of [
      ['title', request.title],
      ['body', request.body],
    ] as const) {
      const malformed = malformedPlaceholder(text);
      if (malformed)
        throw fail({
          field,
          code: 'template_placeholder',
          message: `A placeholder is written {{column}} with a letter first, then letters, digits or _: near "${malformed}".`,
        });
    }
    const templateId = `letter-template-${randomUUID()}`;
    const placeholders = templatePlaceholders(request.title, request.body);
    await this.templates.create({ _id: templateId, ...request, placeholders, createdBy: actor, createdAt: new Date() });
    return { templateId, placeholders };
  }

  private async template(templateId: string): Promise<LetterTemplateRecord> {
    try {
      return await this.templates.get(templateId);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw fail(
          {
            field: 'templateId',
            code: 'template_not_found',
            message: `No letter template ${templateId}; create one first with POST /api/letter-templates.`,
          },
          404,
        );
      throw error;
    }
  }

  /**
   * Reads a batch CSV row by row, checking each. Bad rows refuse the whole
   * batch, every one of them listed with its field (up to BAD_ROWS_LISTED),
   * its stored rows discarded and nothing sent; or, when the clerk chooses
   * `skipBadRows`, the good rows are sent and the skipped ones are in the
   * answer and in the batch's report.
   */
  async startBatch(
    csv: AsyncIterable<Buffer | string>,
    defaults: { documentVersionId?: string; title?: string; templateId?: string; skipBadRows?: boolean },
    actor: string,
  ): Promise<{ batchId: string; processId: string; rows: number; skipped: number; skippedRows: Problem[] }> {
    const template = defaults.templateId ? await this.template(defaults.templateId) : undefined;
    const batchId = `letter-batch-${randomUUID()}`;
    const checkedDocuments = new Map<string, Omit<Problem, 'row' | 'field'> | null>();
    let header: string[] | undefined;
    /** Letters accepted so far: the batch's own numbering (ids, pages), which has no gaps. */
    let rows = 0;
    /** The row of the CSV, after its header: what the clerk sees in their spreadsheet, less one. */
    let csvRow = 0;
    const bad: Problem[] = [];
    let badCount = 0;
    const badRow = (problem: Problem) => {
      badCount += 1;
      if (bad.length < BAD_ROWS_LISTED) bad.push(problem);
    };
    let chunk: LetterRecord[] = [];
    const flush = async () => {
      if (chunk.length) {
        await this.letters.create(chunk);
        chunk = [];
      }
    };
    try {
      for await (const record of readCsvRecords(csv)) {
        if (!header) {
          header = record.fields.map((h) => h.trim());
          if (!header.includes('recipientId'))
            throw fail(
              { field: 'recipientId', code: 'csv_header', message: 'The first line must name the columns; recipientId is required.' },
              400,
            );
          const missing = template?.placeholders.find((name) => !header!.includes(name));
          if (missing)
            throw fail(
              {
                field: missing,
                code: 'csv_header',
                message: `The template fills in {{${missing}}}: the CSV needs a column named ${missing}.`,
              },
              400,
            );
          continue;
        }
        csvRow += 1;
        if (csvRow > this.mail.batch.maxRows)
          throw fail(
            { field: '(batch)', code: 'batch_too_large', message: `A batch may have at most ${this.mail.batch.maxRows} letters.` },
            413,
          );
        const cell = (name: string) => {
          const i = header!.indexOf(name);
          return i >= 0 ? (record.fields[i] ?? '').trim() : '';
        };
        const versionId = template ? undefined : cell('documentVersionId') || defaults.documentVersionId;
        if (!template && !versionId) {
          badRow({
            row: csvRow,
            field: 'documentVersionId',
            code: 'document_missing',
            message: 'No PDF: give documentVersionId in the row or as ?documentVersionId=, or a letter template as ?templateId=.',
          });
          continue;
        }
        const fields = template ? Object.fromEntries(template.placeholders.map((name) => [name, cell(name)])) : undefined;
        const empty = template?.placeholders.find((name) => !fields![name]);
        if (empty) {
          badRow({
            row: csvRow,
            field: empty,
            code: 'template_field_missing',
            message: `The template fills in {{${empty}}}, but this row leaves ${empty} empty.`,
          });
          continue;
        }
        const checked = this.letterFrom({
          recipientId: cell('recipientId'),
          name: cell('name') || undefined,
          address: { street: cell('street'), postalCode: cell('postalCode'), city: cell('city'), countryCode: cell('countryCode') || 'FI' },
          title: template ? mergeTemplate(template.title, fields!) : cell('title') || defaults.title || '',
          body: cell('body') || undefined,
          versionId,
        });
        if ('problem' in checked) {
          badRow({ row: csvRow, ...checked.problem });
          continue;
        }
        if (versionId) {
          if (!checkedDocuments.has(versionId)) checkedDocuments.set(versionId, await this.checkDocument(versionId));
          const documentProblem = checkedDocuments.get(versionId);
          if (documentProblem) {
            badRow({ row: csvRow, field: 'documentVersionId', ...documentProblem });
            continue;
          }
        }
        // Once a row is bad and the batch is to be refused, the good rows after it are only checked, not stored.
        if (badCount && !defaults.skipBadRows) continue;
        rows += 1;
        const letterId = letterProcessId(batchId, rows);
        chunk.push({
          _id: letterId,
          processId: letterId,
          batchId,
          row: rows,
          ...(csvRow !== rows ? { csvRow } : {}),
          trackedBy: rowDeliveryTrackerId(batchId, rows, this.mail.batch.pageSize),
          createdAt: new Date(),
          ...checked.letter,
          ...(template ? { template: { templateId: template._id, fields: fields! } } : {}),
        });
        if (chunk.length >= 500) await flush();
      }
      if (badCount && (!defaults.skipBadRows || rows === 0)) throw badRows(bad, badCount);
      if (rows === 0)
        throw fail(
          { field: '(batch)', code: 'empty_batch', message: 'The CSV has no letters: a header line and at least one row are needed.' },
          400,
        );
      await flush();
    } catch (error) {
      await this.letters.discardBatch(batchId);
      if (error instanceof CsvError) throw fail({ field: '(csv)', code: 'csv_unreadable', message: error.message }, 400);
      throw error;
    }
    await this.letters.createBatch({
      _id: batchId,
      total: rows,
      createdBy: actor,
      createdAt: new Date(),
      processId: batchId,
      pageSize: this.mail.batch.pageSize,
      pageTallies: true,
      ...(badCount ? { skippedRows: bad, skippedCount: badCount } : {}),
    });
    await this.deps.temporal.workflow.start(letterBatchWorkflow, {
      taskQueue: this.deps.config.temporal.taskQueue,
      workflowId: batchId,
      args: [
        {
          batchId,
          total: rows,
          organization: this.deps.config.organization,
          requestedBy: actor,
          trackingDays: this.mail.trackingDays,
          pageSize: this.mail.batch.pageSize,
          ratePerSecond: this.mail.batch.ratePerSecond,
        },
      ],
    });
    return { batchId, processId: batchId, rows, skipped: badCount, skippedRows: bad };
  }

  batch(batchId: string) {
    return this.letters.getBatch(batchId);
  }

  recentBatches(count: number) {
    return this.letters.recentBatches(count);
  }

  /** The batch's final report as CSV; 409 while it is still being sent. */
  async report(batchId: string): Promise<{ batchId: string; csv: Buffer }> {
    const batch = await this.letters.getBatch(batchId);
    if (!batch.reportVersionId)
      throw new SinettiError(
        'report_not_ready',
        'The batch is still being sent; its report is written when every letter has been dispatched.',
        409,
      );
    return { batchId: batch._id, csv: await this.deps.store.readVersion(batch.reportVersionId) };
  }

  /**
   * A batch's progress: letters dispatched so far per channel and status, cost so far, and the report once ready.
   * `live` also asks the running batch process (its pages done); the list leaves that out, since a query
   * waits for a worker and one slow batch must not hold up the registry's whole page.
   */
  async progress(batch: LetterBatchRecord, live = true) {
    const [counts, state] = await Promise.all([
      batch.pageTallies && batch.pageSize
        ? this.tallies.batchCounts(batch.total, batchPageTrackerIds(batch._id, batch.total, batch.pageSize))
        : this.letters.batchCounts(batch._id),
      live ? queryWhileRunning(this.deps.temporal, batch.processId, letterBatchStateQuery) : Promise.resolve(undefined),
    ]);
    const done = batch.total - (counts.byStatus.created ?? 0);
    return {
      batchId: batch._id,
      createdAt: batch.createdAt,
      total: batch.total,
      processed: done,
      percent: Math.floor((100 * done) / batch.total),
      status: state?.status ?? (batch.reportVersionId ? 'completed' : 'sending'),
      byStatus: counts.byStatus,
      byChannel: counts.byChannel,
      costCents: counts.costCents,
      paperCostCents: counts.paperCostCents,
      pagesDone: state?.pagesDone,
      reportReady: Boolean(batch.reportVersionId),
      report: batch.reportVersionId ? `/api/letter-batches/${batch._id}/report.csv` : undefined,
    };
  }

  /** A stored version as a letter's PDF: null when it will do, else what is wrong with it. */
  private async checkDocument(versionId: string): Promise<Omit<Problem, 'row' | 'field'> | null> {
    let version;
    try {
      version = await this.deps.store.getVersion(versionId);
    } catch (error) {
      if (error instanceof NotFoundError)
        return { code: 'document_not_found', message: `No document version ${versionId}; upload the PDF first with POST /api/documents.` };
      throw error;
    }
    const codeAndMessage = (problem: { code: string; message: string } | null) =>
      problem && { code: problem.code, message: problem.message };
    if (version.size > this.mail.maxPdfBytes)
      return codeAndMessage(checkLetterPdf({ size: version.size, pageSizes: [] }, this.mail.maxPdfBytes));
    try {
      const inspection = await inspectPdf(await this.deps.store.readVersion(versionId));
      return codeAndMessage(checkLetterPdf({ size: version.size, pageSizes: inspection.pageSizes }, this.mail.maxPdfBytes));
    } catch (error) {
      if (error instanceof PdfError) return { code: error.code, message: error.message };
      throw error;
    }
  }

  /** One row's or one request's letter, checked; a problem names its field. */
  private letterFrom(fields: {
    recipientId: string;
    name?: string;
    address?: Partial<LetterAddress>;
    title: string;
    body?: string;
    versionId?: string;
  }): { letter: Omit<LetterRecord, '_id' | 'processId' | 'createdAt'> } | { problem: Omit<Problem, 'row'> } {
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
        const issue = parsed.error.issues[0];
        return { problem: { field: `recipient.address.${issue.path.join('.')}`, code: 'invalid_address', message: issue.message } };
      }
      if (!fields.name?.trim())
        return { problem: { field: 'recipient.name', code: 'name_missing', message: "A postal address needs the recipient's name." } };
      address = { name: fields.name.trim(), ...parsed.data };
    }
    return {
      letter: {
        recipientId: party.party.code,
        recipientKind: party.party.kind,
        ...(address ? { address } : {}),
        title: fields.title,
        body: fields.body?.trim() || fields.title,
        ...(fields.versionId ? { versionId: fields.versionId } : {}),
        status: 'created',
        events: [],
      },
    };
  }
}
