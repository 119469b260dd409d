import { EmploymentContracts } from '../store/employmentContracts';
import { mailTo, waitForMail } from './support/mailbox';
import { samplePdf } from './support/samplePdf';
import { type ContractHarness, contractRequest, invitationLink, openContractHarness, sleep, uniqueEmail } from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

const UPLOAD_LIMIT = 200_000;
let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('contract-input', { MAX_DOCUMENT_BYTES: String(UPLOAD_LIMIT) });
});
afterAll(async () => {
  await harness?.close();
});

const hr = () => staffHeaders(harness.baseUrl, 'hr');

describe('employment contract: bad input gets a 4xx naming the field, and nothing is stored or sent', () => {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const base = contractRequest(who);
  const terms = base.terms!;
  const [employee, employer] = base.signers;

  it.each([
    ['an invalid e-mail', { signers: [{ ...employee, email: 'maija.example.test' }, employer] }, 'signers.0.email'],
    ['an end date before the start date', { terms: { ...terms, startDate: '2026-12-01', endDate: '2026-11-30' } }, 'terms.endDate'],
    ['a fixed term without a reason', { terms: { ...terms, fixedTermReason: undefined } }, 'terms.fixedTermReason'],
    ['the same signer twice', { signers: [employee, { ...employer, email: employee.email.toUpperCase() }] }, 'signers.1.email'],
    ['no signers', { signers: [] }, 'signers'],
    ['a deadline in the past', { deadline: '2020-05-01T12:00:00+03:00' }, 'deadline'],
    ['both terms and an uploaded PDF', { documentVersionId: 'abc' }, 'terms'],
    ['a missing duty description', { terms: { ...terms, duties: '' } }, 'terms.duties'],
  ])('refuses %s', async (_what, change, field) => {
    const response = await harness
      .api()
      .post('/api/contracts')
      .set(await hr())
      .send({ ...base, ...change });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(response.body.message).toContain(field);
  });

  it('refuses an unknown uploaded document', async () => {
    const response = await harness
      .api()
      .post('/api/contracts')
      .set(await hr())
      .send({ ...base, terms: undefined, documentVersionId: 'no-such-version' });
    expect(response.status).toBe(400);
    expect(response.body.details[0].field).toBe('documentVersionId');
  });

  it('refuses a non-PDF and an oversize upload before storing anything', async () => {
    const notPdf = await harness
      .api()
      .post('/api/documents')
      .set(await hr())
      .type('application/pdf')
      .send(Buffer.from('hello, this is not a PDF'));
    expect(notPdf.status).toBe(422);
    expect(notPdf.body.error).toBe('not_pdf');
    const huge = Buffer.concat([await samplePdf(1), Buffer.alloc(UPLOAD_LIMIT + 1, 0x20)]);
    const oversize = await harness
      .api()
      .post('/api/documents')
      .set(await hr())
      .type('application/pdf')
      .send(huge);
    expect(oversize.status).toBe(413);
  });

  it('needs an HR token', async () => {
    expect((await harness.api().post('/api/contracts').send(base)).status).toBe(401);
    expect(
      (
        await harness
          .api()
          .post('/api/contracts')
          .set(await staffHeaders(harness.baseUrl, 'secretary'))
          .send(base)
      ).status,
    ).toBe(403);
  });

  it('stored no contract and sent no mail for any of the above', async () => {
    await sleep(300);
    expect((await new EmploymentContracts().list()).filter((c) => c.hr.email === who.hr)).toHaveLength(0);
    for (const address of Object.values(who)) expect(await mailTo(address)).toHaveLength(0);
  });

  it('accepts an uploaded PDF instead of the template and sends it for signature', async () => {
    const people = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    const upload = await harness
      .api()
      .post('/api/documents')
      .set(await hr())
      .set('X-File-Name', 'sopimus.pdf')
      .type('application/pdf')
      .send(await samplePdf(2, 'Uploaded contract'));
    expect(upload.status).toBe(201);
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await hr())
        .send({ ...contractRequest(people), terms: undefined, documentVersionId: upload.body.versionId, title: 'Työsopimus (liite)' });
      expect(created.status).toBe(201);
      const link = await invitationLink(people.employee);
      const page = await harness.api().get(link.path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Työsopimus (liite)');
      // Two pages of the upload and the signatures page, each shown as an image.
      expect(page.text.match(/<img /g)).toHaveLength(3);
      const image = await harness.api().get(`${link.path.split('?')[0]}/pages/1.png`);
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      await harness
        .api()
        .post(`/api/contracts/${created.body.contractId}/cancel`)
        .set(await hr())
        .send({ reason: 'test over' });
      await harness.stack.client.workflow.getHandle(created.body.contractId).result();
      expect(await waitForMail(people.hr, 1)).toHaveLength(1);
    });
  });
});
