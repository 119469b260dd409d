import { randomUUID } from 'node:crypto';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { type Express } from 'express';
import { PaymentAlreadyOrderedError, LocalFinanceSimulator } from '../integrations/finance/financeSystem';
import { deemedNotificationDate } from '../rules/officialMail';
import { endOfFinnishDay, periodLastDay } from '../rules/rectificationPeriod';
import { makeIdentityCode } from '../rules/identifiers';
import { Applications } from '../store/applications';
import { Archive } from '../store/archive';
import { ChunkedDocumentStore } from '../store/documentStore';
import { Letters } from '../store/letters';
import type { FormToDecisionState } from '../workflows/formToDecision';
import { waitForMail } from './support/mailbox';
import { freshIdentityCode, letterApi, registerPerson, asRegistry, stopEventPoller, waitUntil } from './support/officialMailHarness';
import { pdfsig, summarisePdfsig } from './support/pdfTools';
import { expectArchivalPdf } from './signing/ltvFixtures';
import { recordHistoryIfAsked } from './support/recordHistory';
import { samplePdf } from './support/samplePdf';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';
import { freshBusinessId } from './support/businessIds';

// The rectification period is computed from the law's dates but waited out in seconds; letters are followed briefly.
// The law's periods pass at a day per quarter second in this suite's workers (worker/testTimers.ts).
process.env.SINETTI_TEST_SHORT_PERIODS = '1';
process.env.SINETTI_LETTER_TRACKING_DAYS = String(20 / 86400);

const HANDLER = () => staffHeaders(app, 'handler');

let stack: TestStack;
let app: Express;
beforeAll(async () => {
  stack = await openTestStack('form');
  app = letterApi(stack);
});
const started: string[] = [];
afterAll(async () => {
  // The decision letters are followed on after their cases end; stop them so no test leaves a running process behind.
  for (const applicationId of started) {
    for (const letter of ['decision-letter', 'rectification-letter'])
      await stack.client.workflow
        .getHandle(`${applicationId}-${letter}`)
        .terminate('test finished')
        .catch(() => undefined);
  }
  await stopEventPoller(stack);
  await stack?.close();
});

const pdfAttachment = async (field: string) => ({
  field,
  fileName: `${field}.pdf`,
  contentType: 'application/pdf',
  contentBase64: (await samplePdf(1, field)).toString('base64'),
});

async function grantValues(overrides: Record<string, string> = {}) {
  return {
    associationName: 'Esimerkkilän Partiolaiset ry',
    businessId: freshBusinessId(),
    street: 'Partiotie 3',
    postalCode: '33100',
    city: 'Tampere',
    contactName: 'Liisa Lippukunta',
    email: `grant-${randomUUID().slice(0, 8)}@example.fi`,
    purpose: 'Kesäleirin kuljetukset ja välineet.',
    amountApplied: '1500,00',
    budgetTotal: '8000',
    iban: 'FI21 1234 5600 0007 85',
    ...overrides,
  };
}

async function submit(formId: string, body: Record<string, unknown>) {
  const response = await request(app).post(`/api/forms/${formId}/applications`).send(body);
  if (response.status === 201) started.push(response.body.applicationId);
  return response;
}

async function stateOf(applicationId: string): Promise<FormToDecisionState> {
  return stack.client.workflow.getHandle(applicationId).query<FormToDecisionState>('state');
}

const reach = (applicationId: string, status: FormToDecisionState['status'], timeoutMs = 30_000) =>
  waitUntil(
    `${applicationId} ${status}`,
    async () => {
      const s = await stateOf(applicationId);
      return s.status === status && s;
    },
    timeoutMs,
  );

const linkIn = (text: string) => /\/hakemus\/([\w-]+)\?lang=/.exec(text)?.[1];

describe('bad input to the form API: field-level 4xx, nothing stored', () => {
  const roundId = `bad-${randomUUID().slice(0, 8)}`;
  const base = async () => ({ roundId, language: 'fi', values: await grantValues(), attachments: [await pdfAttachment('budget')] });

  it.each([
    ['a business ID with a wrong check digit', { businessId: '0116297-5' }, 'businessId', 'business_id_checksum'],
    ['an invalid IBAN', { iban: 'FI21 1234 5600 0007 86' }, 'iban', 'iban'],
    ['a missing required field', { purpose: '' }, 'purpose', 'required'],
    ['an amount with three decimals', { amountApplied: '10,123' }, 'amountApplied', 'amount'],
    ['a bad e-mail', { email: 'liisa(at)example' }, 'email', 'email'],
  ])('refuses %s', async (_what, change, field, code) => {
    const body = await base();
    const response = await submit('avustushakemus', { ...body, values: { ...body.values, ...change } });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field, code, message: expect.any(String) })]);
  });

  it.each([
    ['an identity code with a wrong check character', '131052-308U', 'identity_code_checksum'],
    ['an identity code with an impossible date', '310252-308T', 'identity_code_date'],
  ])('refuses %s', async (_what, identityCode, code) => {
    const response = await submit('kulukorvaus', {
      roundId,
      language: 'en',
      values: {
        fullName: 'Matti Vaalilautakunta',
        identityCode,
        email: 'matti@example.fi',
        meetingDate: '2026-04-12',
        trips: 'Koti–kunnantalo',
        kilometres: '12',
        amountClaimed: '25,50',
        iban: 'FI2112345600000785',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'identityCode', code })]);
    expect(response.body.details[0].message).toMatch(/identity code/);
  });

  it('refuses a wrong attachment type, a too large attachment and a missing required one', async () => {
    const body = await base();
    const wrongType = await submit('avustushakemus', {
      ...body,
      attachments: [{ ...body.attachments[0], contentType: 'application/x-msdownload', fileName: 'budget.exe' }],
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'budget', code: 'attachment_type' })]));
    const tooLarge = await submit('avustushakemus', {
      ...body,
      attachments: [
        {
          ...body.attachments[0],
          contentBase64: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024, 1)]).toString('base64'),
        },
      ],
    });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.details).toEqual([expect.objectContaining({ field: 'budget', code: 'attachment_size' })]);
    const missing = await submit('avustushakemus', { ...body, attachments: [] });
    expect(missing.body.details).toEqual([expect.objectContaining({ field: 'budget', code: 'attachment_missing' })]);
  });

  it('answers 404 for an unknown form, and stored nothing for any of these', async () => {
    const response = await submit('rakennuslupa', await base());
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'unknown_form', details: [{ field: 'formId' }] });
    expect(await new Applications().inRound(roundId)).toHaveLength(0);
  });

  it("keeps the handler's API to handlers", async () => {
    expect((await request(app).get(`/api/rounds/${roundId}/applications`)).status).toBe(401);
    expect(
      (
        await request(app)
          .get(`/api/rounds/${roundId}/applications`)
          .set(await staffHeaders(app, 'hr'))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .post('/api/applications/application-x/decision')
          .set(await staffHeaders(app, 'hr'))
          .send({})
      ).status,
    ).toBe(403);
  });

  it('refuses a second payment of the same decision by its idempotency key', async () => {
    const finance = new LocalFinanceSimulator();
    const caseNumber = `test-${randomUUID()}`;
    const order = {
      idempotencyKey: `${caseNumber}/decision`,
      caseNumber,
      payeeName: 'Yhdistys ry',
      iban: 'FI2112345600000785',
      amount: '10.00',
      reference: caseNumber,
    };
    const first = await finance.orderPayment(order);
    await expect(finance.orderPayment({ ...order, amount: '20.00' })).rejects.toThrow(PaymentAlreadyOrderedError);
    await expect(finance.orderPayment(order)).rejects.toMatchObject({ status: 409, existing: { paymentId: first.paymentId } });
  });
});

describe('form to decision on the real stack', () => {
  const roundId = `round-${randomUUID().slice(0, 8)}`;

  it('a complete grant application: registered, approved, signed, sent electronically, final after the period, paid once, archived', async () => {
    const values = await grantValues();
    await registerPerson(stack.config, { id: values.businessId, name: values.associationName, mailbox: true, electronicOutcome: 'read' });
    const submitted = await submit('avustushakemus', { roundId, language: 'fi', values, attachments: [await pdfAttachment('budget')] });
    expect(submitted.status).toBe(201);
    const { applicationId } = submitted.body;

    const state = await stack.withWorker(async () => {
      const waiting = await reach(applicationId, 'awaiting_decision');
      expect(waiting.caseNumber).toMatch(/^\d+\/02\.05\.01\/\d{4}$/);
      const [ack] = await waitForMail(values.email, 1);
      expect(ack.subject).toContain(waiting.caseNumber);
      expect(ack.text).toContain(waiting.caseNumber);

      // An approval must grant the amount applied for.
      const wrong = await request(app)
        .post(`/api/applications/${applicationId}/decision`)
        .set(await HANDLER())
        .send({ outcome: 'approve', amount: '1000', reasoning: 'x' });
      expect(wrong.status).toBe(400);
      expect(
        (
          await request(app)
            .post(`/api/applications/${applicationId}/decision`)
            .set(await HANDLER())
            .send({ outcome: 'approve', amount: '1500', reasoning: 'Toiminta vastaa avustusperiaatteita.' })
        ).status,
      ).toBe(200);
      await reach(applicationId, 'awaiting_signature');
      expect(
        (
          await request(app)
            .post(`/api/applications/${applicationId}/signature`)
            .set(await HANDLER())
            .send({})
        ).status,
      ).toBe(200);
      await reach(applicationId, 'rectification_period');
      expect((await new Applications().get(applicationId)).payment).toBeUndefined();
      // The decision's letter answers with its own state, not the application's (issue 15, C9).
      const letter = await request(app)
        .get(`/api/letters/${applicationId}-decision-letter`)
        .set(await asRegistry(stack));
      expect(letter.status).toBe(200);
      expect(letter.body).toMatchObject({ processId: applicationId, channel: 'electronic' });
      expect(['sent', 'delivered', 'read']).toContain(letter.body.status);
      // The letter is found by the applicant's name as the application is: it carries the application's name tokens.
      const tokensOf = async (id: string) => (await stack.client.workflow.getHandle(id).describe()).searchAttributes.NameTokens;
      const applicationTokens = await tokensOf(applicationId);
      expect(applicationTokens?.length).toBeGreaterThan(0);
      expect(await tokensOf(`${applicationId}-decision-letter`)).toEqual(applicationTokens);
      return stack.client.workflow.getHandle(applicationId).result() as Promise<FormToDecisionState>;
    });

    expect(state).toMatchObject({
      status: 'completed',
      final: true,
      decision: { outcome: 'approve', amount: '1500.00' },
      notification: { channel: 'electronic' },
    });
    expect(state.notification!.notifiedOn).toBe(deemedNotificationDate('electronic', new Date(state.notification!.sentAt)));
    expect(state.notification!.periodLastDay).toBe(periodLastDay(state.notification!.notifiedOn, 14));
    expect(state.notification!.periodEndsAt).toBe(endOfFinnishDay(state.notification!.periodLastDay).toISOString());

    const record = await new Applications().get(applicationId);
    expect(record).toMatchObject({
      status: 'completed',
      payment: { amount: '1500.00' },
      metadata: { taskClass: '02 05 01', publicityClass: 'Julkinen' },
    });
    expect(await new LocalFinanceSimulator().paymentsFor(state.caseNumber!)).toHaveLength(1);
    const signed = await new ChunkedDocumentStore(50e6).readVersion(state.decision!.versionId!);
    expect(summarisePdfsig(await pdfsig(signed))).toMatchObject({ signatures: 1, valid: 1 });
    await expectArchivalPdf(signed);
    const description = await stack.client.workflow.getHandle(applicationId).describe();
    expect(description.searchAttributes.CaseNumber).toEqual([state.caseNumber]);
    expect(description.searchAttributes.ProcessType).toEqual(['formToDecision']);
    recordHistoryIfAsked(stack, applicationId, 'formToDecisionWorkflow');
  });

  it('an incomplete expense claim: supplementation answered through the link, partly approved, paper letter, a rectification request pauses finality and is answered by a signed, corrected decision', async () => {
    const identityCode = freshIdentityCode();
    await registerPerson(stack.config, { id: identityCode, mailbox: false });
    const email = `claim-${randomUUID().slice(0, 8)}@example.fi`;
    const submitted = await submit('kulukorvaus', {
      roundId,
      language: 'sv',
      values: {
        fullName: 'Maija Meikäläinen',
        identityCode,
        email,
        meetingDate: '2026-04-12',
        trips: 'Hem–kommunhuset',
        kilometres: '40',
        amountClaimed: '60',
        iban: 'FI2112345600000785',
      },
    });
    expect(submitted.status).toBe(201);
    const { applicationId } = submitted.body;

    const state = await stack.withWorker(async () => {
      await reach(applicationId, 'awaiting_decision');
      const deadline = new Date(Date.now() + 60_000).toISOString();
      const asked = await request(app)
        .post(`/api/applications/${applicationId}/supplementation-request`)
        .set(await HANDLER())
        .send({ fields: ['meals', 'receipts'], message: 'Lägg till måltiderna och kvittona.', deadline });
      expect(asked.status).toBe(200);
      await reach(applicationId, 'awaiting_supplementation');
      const mails = await waitForMail(email, 2);
      const token = linkIn(mails.find((m) => m.subject.startsWith('Begäran om komplettering'))!.text)!;
      // Only what was asked for may be answered, and it is checked like the form.
      const bad = await request(app)
        .post(`/api/applicant/${token}/supplementation`)
        .send({ values: { meals: 'två' } });
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'meals', code: 'integer' })]));
      const good = await request(app)
        .post(`/api/applicant/${token}/supplementation`)
        .send({ values: { meals: '1' }, attachments: [await pdfAttachment('receipts')] });
      expect(good.status).toBe(200);
      const back = await reach(applicationId, 'awaiting_decision');
      expect(back.supplementation).toMatchObject({ answered: true });
      expect(
        (
          await request(app)
            .post(`/api/applicant/${token}/supplementation`)
            .send({ values: { meals: '2' } })
        ).status,
      ).toBe(410);

      await request(app)
        .post(`/api/applications/${applicationId}/decision`)
        .set(await HANDLER())
        .send({ outcome: 'partly', amount: '45.50', reasoning: 'Ersättning enligt kilometerersättningen.' })
        .expect(200);
      await reach(applicationId, 'awaiting_signature');
      await request(app)
        .post(`/api/applications/${applicationId}/signature`)
        .set(await HANDLER())
        .send({})
        .expect(200);
      await reach(applicationId, 'rectification_period');
      const sent = await waitForMail(email, 3);
      const rectificationToken = linkIn(sent.find((m) => m.subject.startsWith('Beslutet har skickats'))!.text)!;
      await request(app).post(`/api/applicant/${rectificationToken}/rectification`).send({ text: 'Jag hade två måltider.' }).expect(200);
      await reach(applicationId, 'rectification_requested');
      // Not final, so not paid, however long it waits.
      await new Promise((r) => setTimeout(r, 6000));
      expect((await stateOf(applicationId)).status).toBe('rectification_requested');
      expect((await new Applications().get(applicationId)).payment).toBeUndefined();
      // The answer is a decision of its own: corrected, signed, sent, final after the appeal period.
      await request(app)
        .post(`/api/applications/${applicationId}/rectification-resolution`)
        .set(await HANDLER())
        .send({ resolution: 'corrected', outcome: 'partly', amount: '55,50', reasoning: 'Två måltider ersätts.' })
        .expect(200);
      await reach(applicationId, 'awaiting_signature');
      await request(app)
        .post(`/api/applications/${applicationId}/signature`)
        .set(await HANDLER())
        .send({})
        .expect(200);
      const appeal = await reach(applicationId, 'appeal_period');
      expect((await new Applications().get(applicationId)).payment).toBeUndefined();
      expect(appeal.rectification!.appealPeriodLastDay! > appeal.notification!.periodLastDay).toBe(true);
      return stack.client.workflow.getHandle(applicationId).result() as Promise<FormToDecisionState>;
    });

    expect(state).toMatchObject({
      status: 'completed',
      final: true,
      rectification: { resolution: 'corrected' },
      decision: { outcome: 'partly', amount: '55.50' },
      notification: { channel: 'paper' },
    });
    const rectificationDecision = await new ChunkedDocumentStore(50e6).readVersion(state.rectification!.versionId!);
    expect(summarisePdfsig(await pdfsig(rectificationDecision))).toMatchObject({ signatures: 1, valid: 1 });
    expect(await new Letters().get(`${applicationId}-rectification-letter`)).toMatchObject({
      status: expect.any(String),
      versionId: state.rectification!.versionId,
    });
    expect(state.notification!.notifiedOn).toBe(deemedNotificationDate('paper', new Date(state.notification!.sentAt)));
    expect(state.caseNumber).toMatch(/^\d+\/02\.05\.02\/\d{4}$/);
    expect(await new LocalFinanceSimulator().paymentsFor(state.caseNumber!)).toEqual([expect.objectContaining({ amount: '55.50' })]);
    const [archived] = await new Archive().forProcess(applicationId);
    expect(archived).toMatchObject({
      versionId: state.decision!.versionId,
      metadata: { taskClass: '02 05 02', publicityClass: 'Osittain salassa pidettävä' },
    });
    expect(archived.attachmentVersionIds).toContain(state.rectification!.versionId);
    recordHistoryIfAsked(stack, applicationId, 'formToDecisionWorkflow-rectification');
  });

  it('a supplementation not answered: the handler is told at the deadline, a late answer is refused, the denial is not paid', async () => {
    const values = await grantValues();
    await registerPerson(stack.config, { id: values.businessId, name: values.associationName, mailbox: false });
    const submitted = await submit('avustushakemus', { roundId, language: 'en', values, attachments: [await pdfAttachment('budget')] });
    const { applicationId } = submitted.body;
    const state = await stack.withWorker(async () => {
      await reach(applicationId, 'awaiting_decision');
      await request(app)
        .post(`/api/applications/${applicationId}/supplementation-request`)
        .set(await HANDLER())
        .send({ fields: ['annualReport'], message: 'Please add the annual report.', deadline: new Date(Date.now() + 3000).toISOString() })
        .expect(200);
      const mails = await waitForMail(values.email, 2);
      const token = linkIn(mails.find((m) => m.subject.startsWith('Please complete'))!.text)!;
      const overdue = await reach(applicationId, 'supplementation_overdue');
      expect(overdue.supplementation).toMatchObject({ answered: false });
      const late = await request(app)
        .post(`/api/applicant/${token}/supplementation`)
        .send({ attachments: [await pdfAttachment('annualReport')], values: {} });
      expect(late.status).toBe(410);
      expect((await new Applications().get(applicationId)).attachments).toHaveLength(1);
      await request(app)
        .post(`/api/applications/${applicationId}/decision`)
        .set(await HANDLER())
        .send({ outcome: 'deny', amount: '0', reasoning: 'The annual report is missing.' })
        .expect(200);
      await reach(applicationId, 'awaiting_signature');
      await request(app)
        .post(`/api/applications/${applicationId}/signature`)
        .set(await HANDLER())
        .send({})
        .expect(200);
      return stack.client.workflow.getHandle(applicationId).result() as Promise<FormToDecisionState>;
    });
    expect(state).toMatchObject({ status: 'completed', final: true, decision: { outcome: 'deny' }, notification: { channel: 'paper' } });
    expect(state.paymentId).toBeUndefined();
    expect((await new Applications().get(applicationId)).payment).toBeUndefined();
  });

  it("exports the round's grant applications as XLSX and CSV with the decisions and summed amounts", async () => {
    const list = await request(app)
      .get(`/api/rounds/${roundId}/applications`)
      .set(await HANDLER());
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);

    const xlsx = await request(app)
      .get(`/api/rounds/${roundId}/export/avustushakemus.xlsx`)
      .set(await HANDLER())
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(
      (xlsx.body as Buffer).buffer.slice(
        (xlsx.body as Buffer).byteOffset,
        (xlsx.body as Buffer).byteOffset + (xlsx.body as Buffer).length,
      ) as ArrayBuffer,
    );
    const sheet = workbook.worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => headers.indexOf(name) + 1;
    expect(sheet.rowCount).toBe(1 + 2 + 1);
    const rows = [2, 3].map((r) => sheet.getRow(r));
    expect(rows.map((r) => r.getCell(col('Päätös')).value).sort()).toEqual(['hylätty', 'hyväksytty']);
    expect(rows.map((r) => r.getCell(col('Haettava summa (€)')).value)).toEqual([1500, 1500]);
    const totals = sheet.getRow(4);
    expect(totals.getCell(col('Haettava summa (€)')).value).toBe(3000);
    expect(totals.getCell(col('Myönnetty (€)')).value).toBe(1500);

    const csv = await request(app)
      .get(`/api/rounds/${roundId}/export/kulukorvaus.csv`)
      .set(await HANDLER());
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(';'));
    expect(lines).toHaveLength(3);
    const header = lines[0];
    expect(lines[1][header.indexOf('Henkilötunnus')]).toMatch(/^\d{6}.\*\*\*.$/);
    expect(lines[1][header.indexOf('Myönnetty (€)')]).toBe('55,50');
    expect(lines[2][header.indexOf('Haettu korvaus yhteensä (€)')]).toBe('60,00');
  });
});

test('makeIdentityCode is what the form accepts', () => {
  expect(makeIdentityCode('1952-10-13', 308)).toBe('131052-308T');
});
