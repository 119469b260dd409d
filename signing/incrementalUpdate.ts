import { PDFArray, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { CrossReferences, malformed, objectBodyStart, objectStreamMember } from './crossReferences';
import { PdfError } from './errors';

/**
 * Reading the end of a PDF and appending incremental updates to it (PDF
 * 32000-1, 7.5.6). Earlier bytes are never touched, which is what keeps
 * earlier signatures valid. An update's cross-reference section is written
 * the way the newest one is: a classic table after a table (or a hybrid
 * file's table), a cross-reference stream after a stream.
 */

export interface DocumentTail {
  /** Offset of the newest cross-reference section. */
  startxref: number;
  size: number;
  root: string;
  info?: string;
  id?: string;
  crossReference: 'table' | 'stream';
}

/** Reads only the last kilobyte and the newest cross-reference section. */
export function readDocumentTail(pdf: Buffer): DocumentTail {
  return tailOf(new CrossReferences(pdf));
}

export function tailOf(references: CrossReferences): DocumentTail {
  const { kind, trailer } = references.section(references.newest);
  if (trailer.has(PDFName.of('Encrypt'))) {
    throw new PdfError('encrypted', 'The PDF document is encrypted or password protected.');
  }
  const size = trailer.get(PDFName.of('Size'));
  const root = trailer.get(PDFName.of('Root'));
  if (!(size instanceof PDFNumber) || !(root instanceof PDFRef)) throw malformed('The trailer lacks /Size or /Root.');
  const info = trailer.get(PDFName.of('Info'));
  const id = trailer.get(PDFName.of('ID'));
  return {
    startxref: references.newest,
    size: size.asNumber(),
    root: root.toString(),
    info: info instanceof PDFRef ? info.toString() : undefined,
    id: id instanceof PDFArray && id.size() === 2 ? id.toString() : undefined,
    crossReference: kind,
  };
}

/**
 * Byte offset where the newest version of an object can be read: the
 * object itself, or for an object kept in an object stream, that stream
 * (readObjectText unpacks it). Follows /Prev from the newest section back;
 * a table costs a subsection-header scan, not a parse: entries are
 * fixed-width, so we jump to the one we need.
 */
export function findObjectOffset(pdf: Buffer, tail: DocumentTail, objectNumber: number): number | undefined {
  const references = new CrossReferences(pdf, tail.startxref);
  const entry = references.lookup(objectNumber);
  if (entry?.type === 'offset') return entry.offset;
  if (entry?.type !== 'compressed') return undefined;
  const stream = references.lookup(entry.streamNumber);
  return stream?.type === 'offset' ? stream.offset : undefined;
}

function memberText(pdf: Buffer, offset: number, objectNumber: number): string | undefined {
  try {
    return objectStreamMember(pdf, offset, objectNumber)?.toString('latin1').trim();
  } catch {
    return undefined;
  }
}

/** The text of `n 0 obj ... endobj` for a small dictionary object (not a stream), also from inside an object stream. */
export function readObjectText(pdf: Buffer, offset: number, objectNumber: number): string {
  if (!objectBodyStart(pdf, offset, objectNumber)) {
    const member = memberText(pdf, offset, objectNumber);
    if (member !== undefined) return `${objectNumber} 0 obj\n${member}`;
    throw new PdfError('plan_mismatch', `Object ${objectNumber} is not where the cross-reference table says.`);
  }
  const end = pdf.indexOf('endobj', offset, 'latin1');
  return end < 0 ? '' : pdf.toString('latin1', offset, end);
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
 * the new buffer and never changed. `size` is the next free object number;
 * a cross-reference stream takes that number itself.
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
  const section =
    tail.crossReference === 'stream'
      ? crossReferenceStream(offsets, tail, size, position)
      : crossReferenceTable(offsets, tail, size, position);

  const pdf = Buffer.allocUnsafe(position + section.length);
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
  section.copy(pdf, at);
  return { pdf, bodyOffsets };
}

type Offsets = Map<number, { offset: number; generation: number }>;

/** Consecutive object numbers as [first, count] runs. */
function runs(numbers: number[]): [number, number][] {
  const found: [number, number][] = [];
  for (const number of numbers) {
    const last = found[found.length - 1];
    if (last && last[0] + last[1] === number) last[1]++;
    else found.push([number, 1]);
  }
  return found;
}

function trailerEntries(tail: DocumentTail, size: number): string {
  return (
    `/Size ${size} /Root ${tail.root}` +
    (tail.info ? ` /Info ${tail.info}` : '') +
    (tail.id ? ` /ID ${tail.id}` : '') +
    ` /Prev ${tail.startxref}`
  );
}

function crossReferenceTable(offsets: Offsets, tail: DocumentTail, size: number, at: number): Buffer {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let text = 'xref\n';
  for (const [first, count] of runs(numbers)) {
    text += `${first} ${count}\n`;
    for (let number = first; number < first + count; number++) {
      const { offset, generation } = offsets.get(number)!;
      text += `${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} n \n`;
    }
  }
  text += `trailer\n<< ${trailerEntries(tail, size)} >>\nstartxref\n${at}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/**
 * A cross-reference stream (7.5.8) for the objects and for itself, numbered
 * `size`: binary big-endian entries, unfiltered, since it is a few hundred
 * bytes at most.
 */
function crossReferenceStream(offsets: Offsets, tail: DocumentTail, size: number, at: number): Buffer {
  const all: Offsets = new Map([...offsets, [size, { offset: at, generation: 0 }]]);
  const numbers = [...all.keys()].sort((a, b) => a - b);
  let offsetWidth = 1;
  while (at >= 256 ** offsetWidth) offsetWidth++;
  const entryLength = 1 + offsetWidth + 2;
  const data = Buffer.alloc(numbers.length * entryLength);
  numbers.forEach((number, index) => {
    const { offset, generation } = all.get(number)!;
    data[index * entryLength] = 1;
    data.writeUIntBE(offset, index * entryLength + 1, offsetWidth);
    data.writeUInt16BE(generation, index * entryLength + 1 + offsetWidth);
  });
  const index = runs(numbers)
    .map(([first, count]) => `${first} ${count}`)
    .join(' ');
  return Buffer.concat([
    Buffer.from(
      `${size} 0 obj\n<< /Type /XRef ${trailerEntries(tail, size + 1)} /W [1 ${offsetWidth} 2] /Index [${index}] /Length ${data.length} >>\nstream\n`,
      'latin1',
    ),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'),
  ]);
}
