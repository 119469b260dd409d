import { EXPENSE_CLAIM, FORMS, GRANT_APPLICATION } from '../forms/formDefinitions';
import { roundCsv, roundTable } from '../forms/roundExport';
import { validateSubmission } from '../forms/validateForm';
import { LANGUAGES } from '../mail/templates';
import { RECORDS_PLAN } from '../config/recordsPlan';
import { type ApplicationRecord, formatCaseNumber } from '../store/applications';

/** The forms' pure rules: every value type checked and normalised, messages in every language, the case number and the round table. */

const claim = (values: Record<string, string>) =>
  validateSubmission(
    EXPENSE_CLAIM,
    {
      values: {
        fullName: 'Matti Meikäläinen',
        identityCode: '131052-308T',
        email: 'matti@example.fi',
        meetingDate: '2026-04-12',
        trips: 'Koti–kunnantalo',
        kilometres: '12',
        amountClaimed: '25,50',
        iban: 'FI2112345600000785',
        ...values,
      },
    },
    'fi',
  );

describe('field values', () => {
  it.each([
    ['identityCode', '131052-308T', '131052-308T'],
    ['identityCode', ' 010123a9866 ', '010123A9866'],
    ['iban', 'fi21 1234 5600 0007 85', 'FI2112345600000785'],
    ['iban', 'DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['amountClaimed', '1 250,5 €', '1250.50'],
    ['amountClaimed', '7', '7.00'],
    ['kilometres', '012', '12'],
    ['meetingDate', '2028-02-29', '2028-02-29'],
  ])('%s %j is accepted as %j', (field, given, stored) => {
    const result = claim({ [field]: given });
    expect(result.valid && result.values[field]).toBe(stored);
  });

  it.each([
    ['identityCode', '131052-308U', 'identity_code_checksum'],
    ['identityCode', '310252-308T', 'identity_code_date'],
    ['identityCode', '131052/308T', 'identity_code_format'],
    ['iban', 'FI21 1234 5600 0007 84', 'iban'],
    ['iban', 'FI21', 'iban'],
    ['amountClaimed', '0', 'out_of_range'],
    ['amountClaimed', '10001', 'out_of_range'],
    ['amountClaimed', '12.345', 'amount'],
    ['kilometres', '-3', 'integer'],
    ['meetingDate', '2027-02-29', 'date'],
    ['meetingDate', '12.4.2026', 'date'],
    ['email', 'matti@', 'email'],
    ['fullName', '', 'required'],
    ['nickname', 'Masa', 'unknown_field'],
  ])('%s %j is refused with %s', (field, given, code) => {
    const result = claim({ [field]: given });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.problems).toEqual([expect.objectContaining({ field, code })]);
  });

  it('checks business IDs on the grant form', () => {
    const result = validateSubmission(GRANT_APPLICATION, { values: { businessId: '0116297-5' } }, 'sv', ['businessId']);
    expect(!result.valid && result.problems).toEqual([
      expect.objectContaining({ field: 'businessId', code: 'business_id_checksum', message: expect.stringMatching(/FO-numrets/) }),
    ]);
    expect(validateSubmission(GRANT_APPLICATION, { values: { businessId: '0116297-6' } }, 'sv', ['businessId']).valid).toBe(true);
  });

  it('says every problem in Finnish, Swedish and English', () => {
    for (const language of LANGUAGES) {
      const result = validateSubmission(EXPENSE_CLAIM, { values: { iban: 'x' } }, language);
      expect(!result.valid && result.problems.every((p) => p.message.length > 5 && !p.message.includes('{'))).toBe(true);
    }
  });
});

describe('attachments', () => {
  const budget = (contentType: string, bytes: Buffer) =>
    validateSubmission(
      GRANT_APPLICATION,
      { values: {}, attachments: [{ field: 'budget', fileName: 'b', contentType, contentBase64: bytes.toString('base64') }] },
      'en',
      ['budget'],
    );
  it.each([
    ['a PDF', 'application/pdf', Buffer.from('%PDF-1.7\n%...'), null],
    ['a PNG', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), null],
    ['an executable called a PDF', 'application/pdf', Buffer.from('MZ\x90\x00'), 'attachment_type'],
    ['a Word file', 'application/msword', Buffer.from('PK'), 'attachment_type'],
    ['an empty file', 'application/pdf', Buffer.alloc(0), 'attachment_empty'],
    ['a PDF over 5 MB', 'application/pdf', Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024)]), 'attachment_size'],
  ])('%s', (_what, contentType, bytes, code) => {
    const result = budget(contentType, bytes);
    if (code === null) expect(result.valid).toBe(true);
    else expect(!result.valid && result.problems).toEqual([expect.objectContaining({ field: 'budget', code })]);
  });
});

describe('the forms as data', () => {
  it.each(Object.values(FORMS).map((f) => [f.formId, f] as const))(
    '%s has texts in every language, known roles and a task class of the plan',
    (_id, form) => {
      for (const field of [...form.fields, ...form.attachments])
        for (const language of LANGUAGES) expect(field.label[language]).toBeTruthy();
      const names = new Set(form.fields.map((f) => f.name));
      for (const role of [form.roles.email, form.roles.applicantName, form.roles.recipientId, form.roles.amount])
        expect(names.has(role)).toBe(true);
      expect(RECORDS_PLAN[form.taskClass]).toBeDefined();
    },
  );
});

it.each([
  [1, '02 05 01', 2026, '1/02.05.01/2026'],
  [123, '02 05 02', 2027, '123/02.05.02/2027'],
])('case number %i, %s, %i is %s', (running, taskClass, year, expected) => {
  expect(formatCaseNumber(running, taskClass, year)).toBe(expected);
});

it('sums the round table and writes CSV as Finnish spreadsheets read it', () => {
  const base = {
    formId: 'kulukorvaus',
    roundId: 'r',
    language: 'fi' as const,
    attachments: [],
    submittedAt: new Date('2026-04-13T09:00:00Z'),
  };
  const records: ApplicationRecord[] = [
    {
      ...base,
      _id: 'a',
      status: 'completed',
      caseNumber: '1/02.05.02/2026',
      values: { fullName: 'A; "Aa"', identityCode: '131052-308T', amountClaimed: '10.10' },
      decision: { outcome: 'approve', amount: '10.10', reasoning: '', decidedOn: '2026-04-14' },
    },
    { ...base, _id: 'b', status: 'awaiting_decision', values: { fullName: 'B', amountClaimed: '0.20' } },
  ];
  const table = roundTable('kulukorvaus', records);
  const amount = table.headers.indexOf('Haettu korvaus yhteensä (€)');
  expect(table.totals[amount]).toBe(10.3);
  expect(table.totals[table.headers.indexOf('Myönnetty (€)')]).toBe(10.1);
  const csv = roundCsv(table);
  expect(csv.startsWith('\ufeffAsianumero;Tila;')).toBe(true);
  expect(csv).toContain('"A; ""Aa"""');
  expect(csv).toContain('131052-***T');
  expect(csv).not.toContain('131052-308T');
  expect(csv.trim().split('\r\n').at(-1)!.split(';')[amount]).toBe('10,30');
});
