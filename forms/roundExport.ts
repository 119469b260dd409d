import { Workbook } from 'exceljs';
import { csvCell } from '../common/csv';
import { maskIdentifier } from '../rules/identifiers';
import type { ApplicationRecord } from '../store/applications';
import { FORMS, type FormDefinition } from './formDefinitions';

/**
 * A round's applications as one table (XLSX and CSV): one row per
 * application, the form's fields as columns, then the decision, the amount
 * granted and the payment once known, and a total row. Identity codes are
 * masked: the table goes round the office, the case holds the full code.
 */

interface Column {
  key: string;
  header: string;
  amount?: boolean;
}

function columnsOf(form: FormDefinition): Column[] {
  return [
    { key: 'caseNumber', header: 'Asianumero' },
    { key: 'status', header: 'Tila' },
    { key: 'submittedAt', header: 'Saapunut' },
    ...form.fields.map((f) => ({ key: `field:${f.name}`, header: f.label.fi, amount: f.type === 'amount' })),
    ...form.attachments.map((a) => ({ key: `attachment:${a.name}`, header: `Liite: ${a.label.fi}` })),
    { key: 'decision', header: 'Päätös' },
    { key: 'granted', header: 'Myönnetty (€)', amount: true },
    { key: 'paymentId', header: 'Maksu' },
  ];
}

const DECISION_FI = { approve: 'hyväksytty', partly: 'osittain hyväksytty', deny: 'hylätty' } as const;

function cell(application: ApplicationRecord, form: FormDefinition, column: Column): string | number {
  if (column.key.startsWith('field:')) {
    const name = column.key.slice('field:'.length);
    const value = application.values[name] ?? '';
    const field = form.fields.find((f) => f.name === name)!;
    if (field.type === 'identityCode' && value) return maskIdentifier(value);
    return field.type === 'amount' && value ? Number(value) : value;
  }
  if (column.key.startsWith('attachment:')) {
    return application.attachments
      .filter((a) => a.field === column.key.slice('attachment:'.length))
      .map((a) => a.fileName)
      .join(', ');
  }
  switch (column.key) {
    case 'caseNumber':
      return application.caseNumber ?? '';
    case 'status':
      return application.status;
    case 'submittedAt':
      return application.submittedAt.toISOString();
    case 'decision':
      return application.decision ? DECISION_FI[application.decision.outcome] : '';
    case 'granted':
      return application.decision ? Number(application.decision.amount) : '';
    case 'paymentId':
      return application.payment?.paymentId ?? '';
    default:
      return '';
  }
}

export interface RoundTable {
  headers: string[];
  rows: (string | number)[][];
  totals: (string | number)[];
}

/** The table of one form's applications in a round, with sums of every amount column. */
export function roundTable(formId: string, applications: ApplicationRecord[]): RoundTable {
  const form = FORMS[formId];
  const columns = columnsOf(form);
  const rows = applications.filter((a) => a.formId === formId).map((a) => columns.map((c) => cell(a, form, c)));
  const totals = columns.map((c, index) => {
    if (index === 0) return 'Yhteensä';
    if (!c.amount) return '';
    return Math.round(rows.reduce((sum, row) => sum + (typeof row[index] === 'number' ? row[index] * 100 : 0), 0)) / 100;
  });
  return { headers: columns.map((c) => c.header), rows, totals };
}

export async function roundXlsx(table: RoundTable, sheetName: string): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Sinetti';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow(table.headers).font = { bold: true };
  // Every text a cell of type string, never a formula: exceljs writes a formula only from { formula }, and nothing here builds one.
  for (const row of table.rows) sheet.addRow(row.map((value) => (typeof value === 'number' ? value : String(value))));
  sheet.addRow(table.totals).font = { bold: true };
  table.headers.forEach((header, index) => {
    sheet.getColumn(index + 1).width = Math.min(40, Math.max(12, header.length + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * CSV as Finnish spreadsheets open it: UTF-8 with a BOM, ";" between fields, a
 * decimal comma. Citizens' text that looks like a formula is written as text
 * (common/csv.ts), so `=HYPERLINK(…)` in a form reaches the handler as words.
 */
export function roundCsv(table: RoundTable): string {
  const quote = (value: string | number) => (typeof value === 'number' ? value.toFixed(2).replace('.', ',') : csvCell(value, ';'));
  const lines = [table.headers, ...table.rows, table.totals].map((row) => row.map(quote).join(';'));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
