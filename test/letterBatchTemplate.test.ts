import request from 'supertest';
import { LetterModel } from '../store/letters';
import type { LetterBatchState } from '../workflows/letterBatch';
import { counters, letterApi, registerPerson, asRegistry, stopEventPoller } from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';
import { renderTemplateLetter } from '../activities/templateLetterPdf';
import { execFileSync } from 'node:child_process';

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');

/** A batch as one letter per row from a template: the CSV's columns fill in the template, each row rendered to its own PDF when sent. */

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter-batch-template', { LETTER_BATCH_PAGE_SIZE: '3', LETTER_BATCH_RATE_PER_SECOND: '50' });
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

const TEMPLATE = {
  name: 'Kiinteistövero',
  title: 'Kiinteistöveropäätös {{year}}',
  body: 'Hyvä {{firstName}},\n\nkiinteistönne {{property}} vero vuodelle {{year}} on {{amount}} euroa.\n\nYstävällisin terveisin\nkirjaamo',
  language: 'fi',
};

async function createTemplate(): Promise<{ templateId: string; placeholders: string[] }> {
  const response = await request(letterApi(stack))
    .post('/api/letter-templates')
    .set(await asRegistry(stack))
    .send(TEMPLATE);
  expect(response.status).toBe(201);
  return response.body;
}

async function upload(csv: string, templateId: string) {
  return request(letterApi(stack))
    .post(`/api/letter-batches?templateId=${templateId}`)
    .set(await asRegistry(stack))
    .set('Content-Type', 'text/csv')
    .send(csv);
}

it('renders one PDF per row from the template and sends each once', async () => {
  const { templateId, placeholders } = await createTemplate();
  expect(placeholders).toEqual(['year', 'firstName', 'property', 'amount']);
  const people = await Promise.all([true, false, true, false].map((mailbox) => registerPerson(stack.config, { mailbox })));
  const csv = [
    'recipientId;firstName;property;year;amount',
    ...people.map((p, i) => `${p.id};Maija ${i};091-1-${i};2027;${100 + i},50`),
  ].join('\n');
  const started = await upload(csv, templateId);
  expect(started.status).toBe(202);
  const { batchId } = started.body;
  const state = await stack.withWorker(() => stack.client.workflow.getHandle(batchId).result() as Promise<LetterBatchState>);
  expect(state.totals).toMatchObject({ dispatched: 4, electronic: 2, paper: 2 });
  const sent = await counters(stack.config, `${batchId}-`);
  expect(sent).toMatchObject({ accepted: 4, distinctExternalIds: 4, posts: 4 });
  const record = await LetterModel.findById(`${batchId}-2`).lean();
  expect(record).toMatchObject({
    title: 'Kiinteistöveropäätös 2027',
    pages: 1,
    template: { templateId, fields: { firstName: 'Maija 1', amount: '101,50' } },
  });
  expect(record?.versionId).toBeUndefined();

  // What the row's PDF says: the row's own values in the template's text, on A4.
  const pdf = await renderTemplateLetter({
    template: { ...TEMPLATE, language: 'fi' },
    fields: record!.template!.fields,
    organization: 'Esimerkkilän kunta',
    date: '22.11.2026',
  });
  const text = pdfText(pdf);
  expect(text).toContain('Hyvä Maija 1,');
  expect(text).toContain('kiinteistönne 091-1-1 vero vuodelle 2027 on 101,50 euroa.');
}, 90_000);

it.each([
  [
    'a row leaving a template field empty',
    'recipientId,firstName,property,year,amount\n131052-308T,Maija,091-1-1,2027,10\n131052-308T,,091-1-2,2027,10\n',
    422,
    'template_field_missing',
    { row: 2, field: 'firstName' },
  ],
  [
    'a CSV without a column the template needs',
    'recipientId,firstName,property,year\n131052-308T,Maija,091-1-1,2027\n',
    400,
    'csv_header',
    { field: 'amount' },
  ],
])('refuses %s, naming the row and field, and sends nothing', async (_what, csv, status, code, details) => {
  const { templateId } = await createTemplate();
  const response = await upload(csv, templateId);
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ error: code, details });
});

it('refuses a template with a malformed placeholder', async () => {
  const response = await request(letterApi(stack))
    .post('/api/letter-templates')
    .set(await asRegistry(stack))
    .send({ ...TEMPLATE, body: 'Hyvä {{first name}}' });
  expect(response.status).toBe(422);
  expect(response.body).toMatchObject({ error: 'template_placeholder', details: { field: 'body' } });
});
