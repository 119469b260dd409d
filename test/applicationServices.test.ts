import { Readable } from 'node:stream';
import { createApiDeps } from '../api/apiDeps';
import { createContractRequest } from '../application/contractRequests';
import { createMinutesRequest } from '../application/minutesRequests';
import { createServices, type Services } from '../application/services';
import { type Requester } from '../application/serviceDeps';
import { contractRequest, uniqueEmail } from './support/contractHarness';
import { minutesPdf, minutesPeople, minutesRequest } from './support/minutesHarness';
import { freshIdentityCode } from './support/officialMailHarness';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';

/**
 * Each process's application service called directly, without HTTP, on the
 * real stack: the service owns the record, the audit event and the process,
 * and says what is wrong in its own errors.
 */

let stack: TestStack;
let deps: ReturnType<typeof createApiDeps>;
let services: Services;
const hr: Requester = { actor: 'staff:hr:Hanna', staffName: 'Hanna', ip: '127.0.0.1' };
const secretary: Requester = { actor: 'staff:secretary:Sanna', staffName: 'Sanna' };

beforeAll(async () => {
  stack = await openTestStack('services');
  deps = createApiDeps(stack.config, stack.client);
  services = createServices(deps);
});
afterAll(async () => {
  deps.close();
  await stack?.close();
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('documents', () => {
  it('stores an upload with its audit event, lists and returns it unchanged; refuses a non-PDF', async () => {
    const pdf = await samplePdf(2);
    const saved = await services.documents.upload(pdf, 'päätös?.pdf', hr);
    expect(saved).toMatchObject({ pages: 2, fileName: 'päätös_.pdf', version: 1 });
    expect((await services.documents.versions(saved.documentId)).map((v) => v.versionId)).toEqual([saved.versionId]);
    expect((await services.documents.content(saved.versionId)).bytes.equals(pdf)).toBe(true);
    expect(await deps.audit.forProcess(`document/${saved.documentId}`)).toEqual([
      expect.objectContaining({ action: 'document.uploaded', actor: hr.actor }),
    ]);
    await expect(services.documents.upload(Buffer.from('not a pdf'), 'x.pdf', hr)).rejects.toMatchObject({ code: 'not_pdf' });
    await expect(services.documents.versions('no-such-document')).rejects.toMatchObject({ status: 404 });
  });
});

describe('contracts', () => {
  it('starts a contract (record, audit event, process), answers its state and cancels it', async () => {
    await stack.withWorker(async () => {
      const request = createContractRequest.parse(
        contractRequest({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') }),
      );
      const { contractId, signers } = await services.contracts.start(request, hr);
      expect(signers.map((s) => s.role)).toEqual(['employee', 'employer']);
      const { state } = await eventually(
        () => services.contracts.get(contractId),
        (v) => v.state.status === 'awaiting_signatures',
      );
      expect(state.round.awaited).toEqual(['signer-1']);
      expect((await services.contracts.list()).map((c) => c.contractId)).toContain(contractId);
      await services.contracts.cancel(contractId, 'Sent by mistake', hr.actor);
      const ended = await eventually(
        () => services.contracts.describe(contractId),
        (v) => v.status === 'cancelled',
      );
      expect(ended.status).toBe('cancelled');
      expect(ended.history.map((e) => e.action)).toContain('contract.created');
      await expect(services.contracts.completedDocument(contractId, 'sealed')).rejects.toMatchObject({
        code: 'not_completed',
        status: 409,
      });
    });
  }, 60_000);

  it('refuses an unknown uploaded document by its field, and an unknown contract with 404', async () => {
    const request = createContractRequest.parse({
      ...contractRequest({ employee: uniqueEmail('e'), employer: uniqueEmail('r'), hr: uniqueEmail('h') }),
      terms: undefined,
      documentVersionId: 'no-such-version',
    });
    await expect(services.contracts.start(request, hr)).rejects.toMatchObject({ status: 400, details: [{ field: 'documentVersionId' }] });
    await expect(services.contracts.get('contract-unknown')).rejects.toMatchObject({ status: 404 });
  });
});

describe('minutes', () => {
  it('starts a review from an uploaded draft and lists it; refuses sections the PDF does not have', async () => {
    await stack.withWorker(async () => {
      const draft = await services.documents.upload(await minutesPdf(), 'poytakirja.pdf', secretary);
      const { reviewId, participants } = await services.minutes.start(
        createMinutesRequest.parse(minutesRequest(minutesPeople(), draft.versionId)),
        secretary,
      );
      expect(participants.map((p) => p.role)).toEqual(['chair', 'secretary', 'checker', 'checker']);
      const review = await eventually(
        () => services.minutes.describe(reviewId),
        (r) => r.state.status === 'in_review',
      );
      expect(review.state.status).toBe('in_review');
      expect((await services.minutes.list()).map((r) => r.reviewId)).toContain(reviewId);
      const twoPages = await services.documents.upload(await samplePdf(2), 'short.pdf', secretary);
      await expect(
        services.minutes.start(createMinutesRequest.parse(minutesRequest(minutesPeople(), twoPages.versionId)), secretary),
      ).rejects.toMatchObject({ code: 'sections_mismatch', status: 400 });
      await services.minutes.cancel(reviewId, 'Wrong meeting', secretary.actor);
    });
  }, 60_000);
});

describe('applications', () => {
  it('refuses a submission naming each field, and an unknown form', async () => {
    await expect(
      services.applications.submit(
        'avustushakemus',
        { roundId: 'r1', language: 'fi', values: {}, attachments: [] },
        { actor: 'applicant' },
      ),
    ).rejects.toMatchObject({
      code: 'invalid_application',
      status: 400,
      details: expect.arrayContaining([expect.objectContaining({ code: 'required' })]),
    });
    await expect(
      services.applications.submit('no-such-form', { roundId: 'r1', language: 'fi', values: {}, attachments: [] }, { actor: 'applicant' }),
    ).rejects.toMatchObject({ code: 'unknown_form', status: 404 });
    expect(await services.applications.inRound(`empty-${Date.now()}`)).toEqual([]);
  });
});

describe('letters', () => {
  it('refuses a malformed template placeholder, and a batch naming its bad row', async () => {
    await expect(
      services.letters.createTemplate({ name: 'T', title: 'Hei {{1nimi}}', body: 'Teksti', language: 'fi' }, 'staff:registry:R'),
    ).rejects.toMatchObject({ code: 'template_placeholder', status: 422 });
    const document = await services.documents.upload(await samplePdf(1), 'kirje.pdf', hr);
    const csv = Readable.from([`recipientId,title\n${freshIdentityCode()},Päätös\n131052-308X,Päätös\n`]);
    await expect(services.letters.startBatch(csv, { documentVersionId: document.versionId }, 'staff:registry:R')).rejects.toMatchObject({
      code: 'invalid_recipient_checksum',
      status: 422,
      details: { row: 2, field: 'recipient.id' },
    });
  });
});

describe('admin and processes', () => {
  it('lists processes by search attribute, and answers 404 for a process Temporal does not know', async () => {
    const listed = await services.admin.list({ type: 'employmentContract', limit: 3 });
    expect(listed.query).toBe("ProcessType IS NOT NULL AND ProcessType = 'employmentContract'");
    expect(listed.processes.length).toBeLessThanOrEqual(3);
    await expect(
      services.admin.perform('no-such-process', 'staff:admin:A', { action: 'remind', reason: 'checking' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(services.processes.describe('no-such-process')).rejects.toMatchObject({ status: 404 });
  });
});
