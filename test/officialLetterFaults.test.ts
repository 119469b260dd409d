import request from 'supertest';
import { PDFDocument } from 'pdf-lib';
import {
  letterApi,
  counters,
  injectFault,
  registerPerson,
  asRegistry,
  sendLetter,
  stopEventPoller,
  storedPdf,
} from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';
import type { OfficialLetterState } from '../workflows/officialLetter';
import { LetterModel } from '../store/letters';
import { staffHeaders } from './support/staffSession';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter-faults');
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

async function sendAndFinish(
  recipientId: string,
  title = 'Päätös',
): Promise<{ letterId: string; state: OfficialLetterState; startedAt: number; finishedAt: number }> {
  const startedAt = Date.now();
  const response = await sendLetter(letterApi(stack), { versionId: await storedPdf(), title, recipient: { id: recipientId } });
  expect(response.status).toBe(202);
  const state = (await stack.client.workflow.getHandle(response.body.processId).result()) as OfficialLetterState;
  return { letterId: response.body.letterId, state, startedAt, finishedAt: Date.now() };
}

describe('Suomi.fi Messages failing: retried with backoff, refused for good, or already sent', () => {
  it('retries 500s with backoff and sends once', async () => {
    const person = await registerPerson(stack.config, { mailbox: true });
    await injectFault(stack.config, { endpoint: 'messages', recipientId: person.id, kind: 'error', status: 500, times: 2 });
    const { letterId, state, startedAt, finishedAt } = await stack.withWorker(() => sendAndFinish(person.id));
    expect(state).toMatchObject({ status: 'read', channel: 'electronic' });
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 3, distinctExternalIds: 1, accepted: 1, conflicts: 0 });
    // Backoff 1 s then 2 s between the three attempts.
    expect(finishedAt - startedAt).toBeGreaterThan(3000);
  });

  it('retries a timeout and sends once', async () => {
    const person = await registerPerson(stack.config, { mailbox: true });
    await injectFault(stack.config, { endpoint: 'messages', recipientId: person.id, kind: 'timeout', delayMs: 2500, times: 1 });
    const { letterId, state } = await stack.withWorker(() => sendAndFinish(person.id));
    expect(state.status).toBe('read');
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 2, distinctExternalIds: 1, accepted: 1 });
  });

  it('counts a 409 after a lost answer as sent, and the letter is sent once', async () => {
    const person = await registerPerson(stack.config, { mailbox: false });
    await injectFault(stack.config, { endpoint: 'messages', recipientId: person.id, kind: 'drop_response', times: 1 });
    const { letterId, state } = await stack.withWorker(() => sendAndFinish(person.id));
    expect(state).toMatchObject({ status: 'delivered', channel: 'paper' });
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 2, distinctExternalIds: 1, accepted: 1, conflicts: 1 });
  });

  it("fails a letter the service refuses (400) with the service's reason, without retrying", async () => {
    const person = await registerPerson(stack.config, { mailbox: true });
    await injectFault(stack.config, {
      endpoint: 'messages',
      recipientId: person.id,
      kind: 'error',
      status: 400,
      reason: 'Recipient id is not accepted by this service',
      times: 5,
    });
    const { letterId, state } = await stack.withWorker(() => sendAndFinish(person.id));
    expect(state).toMatchObject({
      status: 'failed',
      failure: { code: 'SuomifiMessages.rejected', reason: 'Recipient id is not accepted by this service' },
    });
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 1, accepted: 0 });
    expect((await LetterModel.findById(letterId).lean())?.status).toBe('failed');
  });

  it('waits out a slow service', async () => {
    const person = await registerPerson(stack.config, { mailbox: true });
    await injectFault(stack.config, { endpoint: 'messages', recipientId: person.id, kind: 'slow', delayMs: 800, times: 1 });
    const { letterId, state } = await stack.withWorker(() => sendAndFinish(person.id));
    expect(state.status).toBe('read');
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 1, accepted: 1 });
  });
});

describe('bad letters: a clear 4xx naming the field, nothing started, nothing sent', () => {
  const valid = { title: 'Päätös', recipient: { id: '131052-308T' } };

  async function letterSize(width: number, height: number): Promise<Buffer> {
    const pdf = await PDFDocument.create();
    pdf.addPage([width, height]).drawText('Letter', { x: 50, y: 50 });
    return Buffer.from(await pdf.save());
  }

  it.each([
    ['not a PDF', async () => ({ ...valid, versionId: await storedPdf(Buffer.from('just text, no PDF')) }), 422, 'not_pdf', 'versionId'],
    [
      'US Letter instead of A4',
      async () => ({ ...valid, versionId: await storedPdf(await letterSize(612, 792)) }),
      422,
      'not_a4',
      'versionId',
    ],
    [
      'a title over 256 characters',
      async () => ({ ...valid, title: 'x'.repeat(257), versionId: await storedPdf() }),
      422,
      'title_too_long',
      'title',
    ],
    [
      'an identity code with a wrong check character',
      async () => ({ ...valid, recipient: { id: '131052-308U' }, versionId: await storedPdf() }),
      422,
      'invalid_recipient_checksum',
      'recipient.id',
    ],
    [
      'a business ID with a wrong check digit',
      async () => ({ ...valid, recipient: { id: '0116297-5' }, versionId: await storedPdf() }),
      422,
      'invalid_recipient_checksum',
      'recipient.id',
    ],
    [
      'an address without a name',
      async () => ({
        ...valid,
        recipient: { id: '131052-308T', address: { street: 'Katu 1', postalCode: '00100', city: 'HELSINKI' } },
        versionId: await storedPdf(),
      }),
      422,
      'name_missing',
      'recipient.name',
    ],
    ['a document that does not exist', async () => ({ ...valid, versionId: 'no-such-version' }), 404, 'document_not_found', 'versionId'],
  ])('%s', async (_what, body, status, code, field) => {
    const before = (await stack.client.workflow.count(`TaskQueue = "${stack.config.temporal.taskQueue}"`)).count;
    const response = await sendLetter(letterApi(stack), await body());
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: code, details: { field } });
    expect(response.body.message).toContain(field);
    expect((await stack.client.workflow.count(`TaskQueue = "${stack.config.temporal.taskQueue}"`)).count).toBe(before);
  });

  it('refuses a PDF over the service limit with 413', async () => {
    const small = letterApi(stack, { ...stack.config, officialMail: { ...stack.config.officialMail, maxPdfBytes: 1000 } });
    const response = await request(small)
      .post('/api/letters')
      .set(await asRegistry(stack))
      .send({ ...valid, versionId: await storedPdf() });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: 'document_too_large', details: { field: 'versionId' } });
  });

  it('needs the registry role', async () => {
    const response = await request(letterApi(stack))
      .post('/api/letters')
      .set(await staffHeaders(letterApi(stack), 'hr'))
      .send({ ...valid, versionId: 'x' });
    expect(response.status).toBe(403);
  });
});
