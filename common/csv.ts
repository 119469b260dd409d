/**
 * A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or
 * LF, a UTF-8 BOM). It holds one record at a time, so a 10,000-row upload
 * is read straight from the request. The delimiter is "," or, as Finnish
 * spreadsheet exports write it, ";": whichever the header line uses.
 */
export async function* readCsvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<{ line: number; fields: string[] }> {
  const decoder = new TextDecoder('utf-8');
  let delimiter: string | undefined;
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingHeader = '';

  const finishRecord = function* (): Generator<{ line: number; fields: string[] }> {
    fields.push(field);
    field = '';
    const record = fields;
    fields = [];
    if (!(record.length === 1 && record[0] === '')) yield { line: recordLine, fields: record };
    recordLine = line;
  };

  function* consume(text: string): Generator<{ line: number; fields: string[] }> {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (c === '"' && field === '' && !afterQuote) {
        quoted = true;
        continue;
      }
      if (c === delimiter) {
        fields.push(field);
        field = '';
        afterQuote = false;
        continue;
      }
      if (c === '\r') continue;
      if (c === '\n') {
        line++;
        afterQuote = false;
        yield* finishRecord();
        continue;
      }
      field += c;
    }
  }

  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    if (!delimiter) {
      pendingHeader += text;
      const end = pendingHeader.indexOf('\n');
      if (end < 0 && pendingHeader.length < 64 * 1024) continue;
      const header = end < 0 ? pendingHeader : pendingHeader.slice(0, end);
      delimiter = header.split(';').length > header.split(',').length ? ';' : ',';
      text = pendingHeader;
      pendingHeader = '';
    }
    yield* consume(text);
  }
  if (!delimiter) {
    delimiter = pendingHeader.split(';').length > pendingHeader.split(',').length ? ';' : ',';
    yield* consume(pendingHeader);
  }
  const rest = decoder.decode();
  if (rest) yield* consume(rest);
  if (quoted) throw new CsvError(recordLine, 'A quoted field is not closed.');
  if (field !== '' || fields.length) yield* finishRecord();
}

export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`);
  }
}

/**
 * One CSV cell, safe to open in a spreadsheet: text that a spreadsheet would
 * take for a formula (starting with =, +, -, @, a tab or a carriage return)
 * is prefixed with a single quote, and any cell holding the delimiter, a
 * quote or a line break is quoted (OWASP's rule for CSV injection). Numbers
 * are Sinetti's own and written as they are.
 */
export function csvCell(value: string | number, delimiter: ',' | ';'): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}
