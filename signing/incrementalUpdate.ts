import { PdfError } from './errors';

/**
 * Reading the end of a PDF that has classic cross-reference tables, and
 * appending incremental updates to it (PDF 32000-1, 7.5.6). Earlier bytes are
 * never touched, which is what keeps earlier signatures valid.
 */

export interface DocumentTail {
  /** Offset of the newest cross-reference section. */
  startxref: number;
  size: number;
  root: string;
  info?: string;
  id?: string;
}

interface CrossReferenceSection {
  subsections: { first: number; count: number; entriesAt: number }[];
  trailer: string;
}

const ENTRY_LENGTH = 20;
const MAX_SECTIONS = 10_000;

function malformed(message: string): PdfError {
  return new PdfError('malformed', message);
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

function skipWhitespace(pdf: Buffer, position: number): number {
  while (position < pdf.length && isWhitespace(pdf[position])) position++;
  return position;
}

function readUnsigned(pdf: Buffer, position: number): { value: number; end: number } | undefined {
  let end = position;
  let value = 0;
  while (end < pdf.length && pdf[end] >= 0x30 && pdf[end] <= 0x39) {
    value = value * 10 + (pdf[end] - 0x30);
    end++;
  }
  return end === position ? undefined : { value, end };
}

function startsWithAt(pdf: Buffer, position: number, text: string): boolean {
  return pdf.toString('latin1', position, position + text.length) === text;
}

function readCrossReferenceSection(pdf: Buffer, offset: number): CrossReferenceSection {
  let position = skipWhitespace(pdf, offset);
  if (!startsWithAt(pdf, position, 'xref')) {
    throw malformed(
      'The document has no classic cross-reference table where startxref points; prepare it with prepareSignatureFields first.',
    );
  }
  position = skipWhitespace(pdf, position + 4);
  const subsections: CrossReferenceSection['subsections'] = [];
  while (!startsWithAt(pdf, position, 'trailer')) {
    const first = readUnsigned(pdf, position);
    const count = first && readUnsigned(pdf, skipWhitespace(pdf, first.end));
    if (!first || !count) throw malformed(`Broken cross-reference subsection header at byte ${position}.`);
    const entriesAt = skipWhitespace(pdf, count.end);
    subsections.push({ first: first.value, count: count.value, entriesAt });
    position = skipWhitespace(pdf, entriesAt + count.value * ENTRY_LENGTH);
    if (position >= pdf.length) throw malformed('The cross-reference table runs past the end of the file.');
  }
  const trailerEnd = pdf.indexOf('startxref', position, 'latin1');
  if (trailerEnd < 0) throw malformed('The trailer is not followed by startxref.');
  return { subsections, trailer: pdf.toString('latin1', position + 'trailer'.length, trailerEnd) };
}

function trailerValue(trailer: string, key: string, pattern: string): string | undefined {
  return new RegExp(`/${key}\\s*(${pattern})`).exec(trailer)?.[1];
}

const REFERENCE = '\\d+\\s+\\d+\\s+R';
const ID_ARRAY = '\\[\\s*(?:<[0-9A-Fa-f\\s]*>|\\((?:[^()\\\\]|\\\\.)*\\))\\s*(?:<[0-9A-Fa-f\\s]*>|\\((?:[^()\\\\]|\\\\.)*\\))\\s*\\]';

/** Reads only the last few hundred bytes and the newest cross-reference section. */
export function readDocumentTail(pdf: Buffer): DocumentTail {
  const searchFrom = Math.max(0, pdf.length - 1024);
  const found = pdf.subarray(searchFrom).lastIndexOf('startxref', undefined, 'latin1');
  if (found < 0) throw malformed('The document has no startxref near its end (truncated file?).');
  const keyword = searchFrom + found;
  const number = readUnsigned(pdf, skipWhitespace(pdf, keyword + 'startxref'.length));
  if (!number || number.value >= pdf.length) throw malformed('The startxref offset is missing or outside the file.');
  const { trailer } = readCrossReferenceSection(pdf, number.value);
  if (/\/Encrypt\b/.test(trailer)) {
    throw new PdfError('encrypted', 'The PDF document is encrypted or password protected.');
  }
  const size = trailerValue(trailer, 'Size', '\\d+');
  const root = trailerValue(trailer, 'Root', REFERENCE);
  if (!size || !root) throw malformed('The trailer lacks /Size or /Root.');
  return {
    startxref: number.value,
    size: Number(size),
    root: root.replace(/\s+/g, ' '),
    info: trailerValue(trailer, 'Info', REFERENCE)?.replace(/\s+/g, ' '),
    id: trailerValue(trailer, 'ID', ID_ARRAY),
  };
}

/**
 * Byte offset of the newest version of an object, following /Prev from the
 * newest section back. Each section costs one subsection-header scan, not a
 * parse of the table: entries are fixed-width, so we jump to the one we need.
 */
export function findObjectOffset(pdf: Buffer, tail: DocumentTail, objectNumber: number): number | undefined {
  let sectionOffset: number | undefined = tail.startxref;
  for (let hops = 0; sectionOffset !== undefined && hops < MAX_SECTIONS; hops++) {
    const section = readCrossReferenceSection(pdf, sectionOffset);
    for (const { first, count, entriesAt } of section.subsections) {
      if (objectNumber < first || objectNumber >= first + count) continue;
      const entry = pdf.toString(
        'latin1',
        entriesAt + (objectNumber - first) * ENTRY_LENGTH,
        entriesAt + (objectNumber - first + 1) * ENTRY_LENGTH,
      );
      const match = /^(\d{10}) (\d{5}) ([nf])/.exec(entry);
      if (!match) throw malformed(`Broken cross-reference entry for object ${objectNumber}.`);
      return match[3] === 'n' ? Number(match[1]) : undefined;
    }
    const previous = trailerValue(section.trailer, 'Prev', '\\d+');
    sectionOffset = previous === undefined ? undefined : Number(previous);
  }
  return undefined;
}

/** The text of `n 0 obj ... endobj` for a small dictionary object (not a stream). */
export function readObjectText(pdf: Buffer, offset: number, objectNumber: number): string {
  const end = pdf.indexOf('endobj', offset, 'latin1');
  const text = end < 0 ? '' : pdf.toString('latin1', offset, end);
  if (!new RegExp(`^\\s*${objectNumber}\\s+0\\s+obj\\b`).test(text)) {
    throw new PdfError('plan_mismatch', `Object ${objectNumber} is not where the cross-reference table says.`);
  }
  return text;
}

export interface IndirectObject {
  objectNumber: number;
  /** 0 unless an existing object with another generation is replaced. */
  generation?: number;
  /** The object itself, without `n 0 obj` and `endobj`. */
  body: Uint8Array;
}

export interface AppendedUpdate {
  pdf: Buffer;
  /** Where each object's body starts in the new file. */
  bodyOffsets: Map<number, number>;
}

/**
 * Appends the objects, a cross-reference section for exactly them and a
 * trailer pointing back with /Prev. The base document is copied once into
 * the new buffer and never changed.
 */
export function appendIncrementalUpdate(base: Buffer, tail: DocumentTail, objects: IndirectObject[], size: number): AppendedUpdate {
  const lastByte = base[base.length - 1];
  const separator = lastByte === 0x0a || lastByte === 0x0d ? '' : '\n';
  const headers = objects.map(({ objectNumber, generation = 0 }) => `${objectNumber} ${generation} obj\n`);
  const objectsLength = objects.reduce((sum, object, index) => sum + headers[index].length + object.body.length + '\nendobj\n'.length, 0);

  const offsets = new Map<number, { offset: number; generation: number }>();
  const bodyOffsets = new Map<number, number>();
  let position = base.length + separator.length;
  objects.forEach((object, index) => {
    if (offsets.has(object.objectNumber)) throw new Error(`object ${object.objectNumber} written twice in one update`);
    offsets.set(object.objectNumber, { offset: position, generation: object.generation ?? 0 });
    bodyOffsets.set(object.objectNumber, position + headers[index].length);
    position += headers[index].length + object.body.length + '\nendobj\n'.length;
  });
  const xrefOffset = position;
  const xref = crossReferenceSection(offsets);
  const trailer =
    `trailer\n<< /Size ${size} /Root ${tail.root}` +
    (tail.info ? ` /Info ${tail.info}` : '') +
    (tail.id ? ` /ID ${tail.id}` : '') +
    ` /Prev ${tail.startxref} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;

  const pdf = Buffer.allocUnsafe(xrefOffset + xref.length + trailer.length);
  base.copy(pdf, 0);
  let at = base.length;
  at += pdf.write(separator, at, 'latin1');
  objects.forEach((object, index) => {
    at += pdf.write(headers[index], at, 'latin1');
    pdf.set(object.body, at);
    at += object.body.length;
    at += pdf.write('\nendobj\n', at, 'latin1');
  });
  if (at !== base.length + separator.length + objectsLength) throw new Error('incremental update length mismatch');
  at += pdf.write(xref, at, 'latin1');
  pdf.write(trailer, at, 'latin1');
  return { pdf, bodyOffsets };
}

function crossReferenceSection(offsets: Map<number, { offset: number; generation: number }>): string {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let text = 'xref\n';
  for (let start = 0; start < numbers.length;) {
    let end = start + 1;
    while (end < numbers.length && numbers[end] === numbers[end - 1] + 1) end++;
    text += `${numbers[start]} ${end - start}\n`;
    for (let index = start; index < end; index++) {
      const { offset, generation } = offsets.get(numbers[index])!;
      text += `${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} n \n`;
    }
    start = end;
  }
  return text;
}
