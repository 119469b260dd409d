import request from 'supertest';
import { AuditLog } from '../audit/auditLog';
import { LetterModel, Letters } from '../store/letters';
import type { LetterBatchState } from '../workflows/letterBatch';
import {
  counters,
  freshIdentityCode,
  letterApi,
  registerPerson,
  asRegistry,
  stopEventPoller,
  storedPdf,
  waitUntil,
} from './support/officialMailHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { openTestStack, type TestStack } from './support/testStack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter-batch', {
    LETTER_BATCH_PAGE_SIZE: '4',
    LETTER_BATCH_RATE_PER_SECOND: '20',
    LETTER_BATCH_MAX_ROWS: '50',
  });
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

async function uploadCsv(csv: string, query = '') {
  return request(letterApi(stack))
    .post(`/api/letter-batches${query}`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(csv);
}

describe('a batch of letters', () => {
  it('sends a mixed batch, reports progress, and ends with a report of channels, failures, cost and saving', async () => {
    const config = stack.config;
    const mailbox = await Promise.all([1, 2, 3, 4, 5].map(() => registerPerson(config, { mailbox: true })));
    const paper = await Promise.all([1, 2, 3].map(() => registerPerson(config, { mailbox: false })));
    const banned = await registerPerson(config, { mailbox: false, securityBan: true });
    const noAddress = await registerPerson(config, { mailbox: false, addresses: {} });
    const returned = await registerPerson(config, { mailbox: false, paperOutcome: 'returned' });
    const company = await registerPerson(config, { id: '0201256-6', mailbox: true });
    const versionId = await storedPdf();
    const rows = [
      'recipientId;name;street;postalCode;city;title',
      ...mailbox.map((p) => `${p.id};;;;;Päätös`),
      ...paper.map((p) => `${p.id};;;;;Päätös`),
      `${banned.id};;;;;Päätös`,
      `${noAddress.id};;;;;Päätös`,
      `${returned.id};Palautuva Henkilö;Annettu katu 4;00200;HELSINKI;"Päätös; liite"`,
      `${company.id};;;;;Hankintapäätös`,
    ];
    const started = await uploadCsv(rows.join('\n') + '\n', `?documentVersionId=${versionId}`);
    expect(started.status).toBe(202);
    expect(started.body.rows).toBe(12);
    const { batchId } = started.body;

    const state = await stack.withWorker(async () => {
      const handle = stack.client.workflow.getHandle(batchId);
      const midway = await request(letterApi(stack))
        .get(`/api/letter-batches/${batchId}`)
        .set(await asRegistry(stack));
      expect(midway.status).toBe(200);
      expect(midway.body).toMatchObject({ total: 12, reportReady: false });
      return handle.result() as Promise<LetterBatchState>;
    });

    expect(state.status).toBe('completed');
    expect(state.totals).toMatchObject({
      dispatched: 11,
      electronic: 6,
      paper: 5,
      noChannel: 1,
      rejected: 0,
      failed: 0,
      costCents: 6 * 10 + 5 * 120,
      paperCostCents: 11 * 120,
    });
    const sent = await counters(config, `${batchId}-`);
    expect(sent).toMatchObject({ accepted: 11, distinctExternalIds: 11, posts: 11 });

    const progress = await request(letterApi(stack))
      .get(`/api/letter-batches/${batchId}`)
      .set(await asRegistry(stack));
    // Counted from the pages' tallies, and agreeing with the batch's own totals.
    expect(progress.body).toMatchObject({
      total: 12,
      processed: 12,
      percent: 100,
      reportReady: true,
      byChannel: { electronic: 6, paper: 5 },
      costCents: 6 * 10 + 5 * 120,
      paperCostCents: 11 * 120,
    });
    expect(Object.values(progress.body.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(12);
    expect(progress.body.byStatus.no_channel).toBe(1);
    expect(progress.body.byStatus.created).toBeUndefined();
    const report = await request(letterApi(stack))
      .get(`/api/letter-batches/${batchId}/report.csv`)
      .set(await asRegistry(stack));
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const text = report.text;
    for (const line of [
      'summary,electronic,6',
      'summary,paper,5',
      'summary,no_channel,1',
      'summary,total_cost_eur,6.60',
      'summary,all_paper_cost_eur,13.20',
      'summary,saving_eur,6.60',
      'summary,saving_percent,50.0',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/\r\n10,\d{6}-\*\*\*\w,no_channel,,,,no_address: /);
    expect(text).not.toContain(noAddress.id);
    recordHistoryIfAsked(stack, batchId, 'letterBatchWorkflow-v2');
    recordHistoryIfAsked(stack, `${batchId}-page-1`, 'letterBatchPageWorkflow-v2');
    // No workflow per letter: the batch, its pages and one delivery tracker per page.
    const perLetter = await stack.client.workflow.count(`WorkflowId = "${batchId}-1"`);
    expect(perLetter.count).toBe(0);

    // Delivery goes on after the report: the returned letter reaches the work list.
    await stack.withWorker(() =>
      waitUntil('the returned letter', async () => (await LetterModel.findById(`${batchId}-11`).lean())?.status === 'returned_to_sender'),
    );
  });

  it("follows every batch letter to its final state through its page's tracker, from the records", async () => {
    const config = stack.config;
    const people = [
      await registerPerson(config, { mailbox: true, electronicOutcome: 'read' }),
      await registerPerson(config, { mailbox: true, electronicOutcome: 'receipt' }),
      await registerPerson(config, { mailbox: true, electronicOutcome: 'unread' }),
      await registerPerson(config, { mailbox: false, paperOutcome: 'delivered' }),
      await registerPerson(config, { mailbox: false, paperOutcome: 'returned' }),
      await registerPerson(config, { mailbox: false, paperOutcome: 'unresolved' }),
    ];
    // Delivery followed for 15 s only, so the unread letter is closed as unconfirmed within the test.
    const api = letterApi(stack, { ...config, officialMail: { ...config.officialMail, trackingDays: 15 / 86_400 } });
    const started = await request(api)
      .post(`/api/letter-batches?documentVersionId=${await storedPdf()}&title=Tiedote`)
      .set(await asRegistry(stack))
      .set('Content-Type', 'text/csv')
      .send(['recipientId', ...people.map((p) => p.id)].join('\n'));
    expect(started.status).toBe(202);
    const { batchId } = started.body;
    const trackers = [`${batchId}-page-1-delivery`, `${batchId}-page-5-delivery`];
    const finals = await stack.withWorker(async () => {
      await stack.client.workflow.getHandle(batchId).result();
      return Promise.all(trackers.map((id) => stack.client.workflow.getHandle(id).result()));
    });
    expect(finals.map((f: { status: string; final: number; unconfirmed: number }) => [f.status, f.final, f.unconfirmed])).toEqual([
      ['completed', 3, 1],
      ['completed', 2, 0],
    ]);
    // The progress the registry sees has each letter's final state.
    const progress = await request(api)
      .get(`/api/letter-batches/${batchId}`)
      .set(await asRegistry(stack));
    expect(progress.body.byStatus).toEqual({
      read: 1,
      receipt_confirmed: 1,
      unconfirmed: 1,
      delivered: 1,
      returned_to_sender: 1,
      unresolved: 1,
    });
    expect(progress.body.byChannel).toEqual({ electronic: 3, paper: 3 });
    const expected = ['read', 'receipt_confirmed', 'unconfirmed', 'delivered', 'returned_to_sender', 'unresolved'];
    for (const [index, status] of expected.entries()) {
      const shown = await request(api)
        .get(`/api/letters/${batchId}-${index + 1}`)
        .set(await asRegistry(stack));
      expect(shown.body).toMatchObject({ status, batchId, row: index + 1, channel: index < 3 ? 'electronic' : 'paper' });
      expect(shown.body.deemedNotifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(shown.body.events.length).toBeGreaterThan(0);
    }
    const workList = await new Letters().workList(10_000);
    expect(
      workList
        .filter((item) => item.batchId === batchId)
        .map((item) => [item.row, item.reason])
        .sort(),
    ).toEqual([
      [5, 'returned_to_sender'],
      [6, 'unresolved'],
    ]);
    // A batch letter's events are listed in its page's trail, not one of its own; the process's audit view finds them there.
    const audit = await request(api)
      .get(`/api/processes/${batchId}-1/audit`)
      .set(await asRegistry(stack));
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(['letter.sent', 'letter.read']);
    expect(await new AuditLog().forProcess(`${batchId}-1`)).toEqual([]);
    expect((await new AuditLog().forProcess(`${batchId}-1`, trackers[0])).map((e) => e.action)).toEqual(['letter.sent', 'letter.read']);
    recordHistoryIfAsked(stack, trackers[0], 'letterDeliveryTrackingWorkflow');
  }, 120_000);

  it.each([
    ['an empty batch', 'recipientId;title\n', 400, 'empty_batch', undefined],
    [
      'a bad identity code on row 2',
      'recipientId,title\n131052-308T,Päätös\n131052-308X,Päätös\n',
      422,
      'invalid_recipient_checksum',
      { row: 2, field: 'recipient.id' },
    ],
    ['a title too long on row 1', `recipientId,title\n131052-308T,${'x'.repeat(300)}\n`, 422, 'title_too_long', { row: 1, field: 'title' }],
    [
      'a half address on row 1',
      'recipientId,name,street,title\n131052-308T,Maija,Katu 1,Päätös\n',
      422,
      'invalid_address',
      { row: 1, field: 'recipient.address.postalCode' },
    ],
    ['no recipientId column', 'henkilötunnus,title\n131052-308T,Päätös\n', 400, 'csv_header', undefined],
    [
      'more rows than allowed',
      `recipientId,title\n${Array.from({ length: 51 }, () => `${freshIdentityCode()},Päätös`).join('\n')}\n`,
      413,
      'batch_too_large',
      undefined,
    ],
  ])('refuses %s, naming the row and field, and sends nothing', async (_what, csv, status, code, details) => {
    const versionId = await storedPdf();
    const testStart = new Date();
    const workflowsBefore = (await stack.client.workflow.count(`TaskQueue = "${stack.config.temporal.taskQueue}"`)).count;
    const response = await uploadCsv(csv, `?documentVersionId=${versionId}`);
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(code);
    if (details) {
      expect(response.body.details).toMatchObject(details);
      expect(response.body.message).toContain(`Row ${details.row}`);
    }
    // Letters of this upload's own PDF: another run's batch sharing the store does not count.
    expect(await LetterModel.countDocuments({ batchId: { $exists: true }, versionId, createdAt: { $gte: testStart } })).toBe(0);
    expect((await stack.client.workflow.count(`TaskQueue = "${stack.config.temporal.taskQueue}"`)).count).toBe(workflowsBefore);
  });

  it('refuses a batch with bad rows listing every bad row and field, or, when the clerk chooses, sends the others and reports the skipped', async () => {
    const [first, second] = await Promise.all([1, 2].map(() => registerPerson(stack.config, { mailbox: true })));
    const versionId = await storedPdf();
    const csv = [
      'recipientId,name,street,postalCode,city,title',
      '131052-308X,,,,,Päätös',
      `${first.id},,,,,Päätös`,
      `${first.id},Maija,Katu 1,,,Päätös`,
      `${second.id},,,,,${'x'.repeat(300)}`,
      `${second.id},,,,,Päätös`,
    ].join('\n');
    const testStart = new Date();
    const refused = await uploadCsv(csv + '\n', `?documentVersionId=${versionId}`);
    expect(refused.status).toBe(422);
    expect(refused.body.details.badRows).toBe(3);
    expect(refused.body.details.rows.map((p: { row: number; field: string }) => [p.row, p.field])).toEqual([
      [1, 'recipient.id'],
      [3, 'recipient.address.postalCode'],
      [4, 'title'],
    ]);
    for (const row of [1, 3, 4]) expect(refused.body.message).toContain(`Row ${row},`);
    expect(await LetterModel.countDocuments({ batchId: { $exists: true }, createdAt: { $gte: testStart } })).toBe(0);

    const sent = await uploadCsv(csv + '\n', `?documentVersionId=${versionId}&skipBadRows=true`);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ rows: 2, skipped: 3 });
    expect(sent.body.skippedRows.map((p: { row: number }) => p.row)).toEqual([1, 3, 4]);
    const { batchId } = sent.body;
    // The letters keep the batch's gap-free numbering; each remembers its row in the CSV.
    expect((await new Letters().get(`${batchId}-2`)).csvRow).toBe(5);
    await stack.withWorker(async () => {
      await stack.client.workflow.getHandle(batchId).result();
    });
    const report = (
      await request(letterApi(stack))
        .get(`/api/letter-batches/${batchId}/report.csv`)
        .set(await asRegistry(stack))
    ).text;
    expect(report).toContain('summary,skipped_rows,3');
    expect(report).toMatch(/^1,,skipped,,,,recipient\.id: /m);
    expect(report).toMatch(/^3,,skipped,,,,recipient\.address\.postalCode: /m);
    expect(report).toMatch(/^4,,skipped,,,,title: /m);
    expect(report).toMatch(/^5,\S+,(sent|read|delivered|receipt_confirmed),electronic,/m);
  }, 120_000);

  it('refuses a row whose PDF is not A4', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const pdf = await PDFDocument.create();
    pdf.addPage([612, 792]);
    const letterSize = await storedPdf(Buffer.from(await pdf.save()));
    const a4 = await storedPdf();
    const response = await uploadCsv(`recipientId,title,documentVersionId\n131052-308T,A,${a4}\n131052-308T,B,${letterSize}\n`);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'not_a4', details: { row: 2, field: 'documentVersionId' } });
  });
});
