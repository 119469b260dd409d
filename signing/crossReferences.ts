import { inflateSync } from 'node:zlib';
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, type PDFObject } from 'pdf-lib';
import { PdfError } from './errors';

/**
 * Where a PDF's objects are, read from its cross-reference sections only
 * (PDF 32000-1, 7.5.4 to 7.5.8): classic tables, cross-reference streams,
 * hybrid files (a table whose trailer names an /XRefStm) and chains that mix
 * them. Nothing else of the file is parsed; pdf-lib's object parser reads
 * the few dictionaries we need.
 */

export type CrossReferenceEntry =
  { type: 'free' } | { type: 'offset'; offset: number; generation: number } | { type: 'compressed'; streamNumber: number; index: number };

export interface CrossReferenceSection {
  kind: 'table' | 'stream';
  /** The trailer dictionary, or the cross-reference stream's own dictionary. */
  trailer: PDFDict;
  /** undefined when the section says nothing about the object. */
  entry(objectNumber: number): CrossReferenceEntry | undefined;
}

const ENTRY_LENGTH = 20;
const MAX_SECTIONS = 10_000;

/** Parsing never registers objects, so one scratch context serves every document. */
const scratchContext = PDFContext.create();

export function malformed(message: string): PdfError {
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

/** One PDF object (a dictionary, array, stream …) parsed from `bytes` at `position`. */
export function parseObjectAt(bytes: Uint8Array, position: number): PDFObject {
  try {
    return PDFObjectParser.forBytes(bytes.subarray(position), scratchContext).parseObject();
  } catch (error) {
    throw new PdfError('malformed', `Unreadable PDF object at byte ${position}: ${(error as Error).message}`, { cause: error });
  }
}

const OBJECT_HEADER = /^\s*(\d+)\s+(\d+)\s+obj\b/;

/** Where the body of `n g obj` at `offset` starts, checking that it is that object. */
export function objectBodyStart(pdf: Buffer, offset: number, objectNumber: number): { body: number; generation: number } | undefined {
  const header = OBJECT_HEADER.exec(pdf.toString('latin1', offset, Math.min(pdf.length, offset + 48)));
  if (!header || Number(header[1]) !== objectNumber) return undefined;
  return { body: offset + header[0].length, generation: Number(header[2]) };
}

/** The byte offset of the newest cross-reference section, from the last `startxref` of the file. */
export function newestSectionOffset(pdf: Buffer): number {
  const searchFrom = Math.max(0, pdf.length - 1024);
  const found = pdf.subarray(searchFrom).lastIndexOf('startxref', undefined, 'latin1');
  if (found < 0) throw malformed('The document has no startxref near its end (truncated file?).');
  const number = readUnsigned(pdf, skipWhitespace(pdf, searchFrom + found + 'startxref'.length));
  if (!number || number.value >= pdf.length) throw malformed('The startxref offset is missing or outside the file.');
  return number.value;
}

function numberIn(dictionary: PDFDict, key: string): number | undefined {
  const value = dictionary.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

function readTableSection(pdf: Buffer, offset: number): CrossReferenceSection {
  let position = skipWhitespace(pdf, offset + 'xref'.length);
  const subsections: { first: number; count: number; entriesAt: number }[] = [];
  while (!startsWithAt(pdf, position, 'trailer')) {
    const first = readUnsigned(pdf, position);
    const count = first && readUnsigned(pdf, skipWhitespace(pdf, first.end));
    if (!first || !count) throw malformed(`Broken cross-reference subsection header at byte ${position}.`);
    const entriesAt = skipWhitespace(pdf, count.end);
    subsections.push({ first: first.value, count: count.value, entriesAt });
    position = skipWhitespace(pdf, entriesAt + count.value * ENTRY_LENGTH);
    if (position >= pdf.length) throw malformed('The cross-reference table runs past the end of the file.');
  }
  const trailer = parseObjectAt(pdf, position + 'trailer'.length);
  if (!(trailer instanceof PDFDict)) throw malformed(`The trailer at byte ${position} is not a dictionary.`);
  return {
    kind: 'table',
    trailer,
    entry(objectNumber) {
      for (const { first, count, entriesAt } of subsections) {
        if (objectNumber < first || objectNumber >= first + count) continue;
        const at = entriesAt + (objectNumber - first) * ENTRY_LENGTH;
        const match = /^(\d{10}) (\d{5}) ([nf])/.exec(pdf.toString('latin1', at, at + ENTRY_LENGTH));
        if (!match) throw malformed(`Broken cross-reference entry for object ${objectNumber}.`);
        return match[3] === 'n' ? { type: 'offset', offset: Number(match[1]), generation: Number(match[2]) } : { type: 'free' };
      }
      return undefined;
    },
  };
}

/** Reverses PNG row predictors (PDF 32000-1, 7.4.4.4), the only ones cross-reference and object streams use. */
function undoPngPredictor(data: Buffer, columns: number, bytesPerPixel: number): Buffer {
  const rowLength = columns * bytesPerPixel;
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = Buffer.alloc(rows * rowLength);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * (rowLength + 1)];
    const source = row * (rowLength + 1) + 1;
    const at = row * rowLength;
    for (let column = 0; column < rowLength; column++) {
      const left = column >= bytesPerPixel ? out[at + column - bytesPerPixel] : 0;
      const up = row > 0 ? out[at - rowLength + column] : 0;
      const upLeft = row > 0 && column >= bytesPerPixel ? out[at - rowLength + column - bytesPerPixel] : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
        predicted = a <= b && a <= c ? left : b <= c ? up : upLeft;
      } else if (filter !== 0) throw malformed(`Unknown PNG predictor ${filter} in a stream.`);
      out[at + column] = (data[source + column] + predicted) & 0xff;
    }
  }
  return out;
}

/** The decoded data of a cross-reference or object stream: unfiltered or FlateDecode, with or without a PNG predictor. */
export function decodeStructureStream(stream: PDFRawStream): Buffer {
  const { dict } = stream;
  let filter = dict.get(PDFName.of('Filter'));
  let parameters = dict.get(PDFName.of('DecodeParms'));
  if (filter instanceof PDFArray && filter.size() <= 1) {
    filter = filter.size() ? filter.get(0) : undefined;
    parameters = parameters instanceof PDFArray ? parameters.get(0) : parameters;
  }
  const raw = Buffer.from(stream.contents.buffer, stream.contents.byteOffset, stream.contents.byteLength);
  if (filter === undefined) return raw;
  if (filter !== PDFName.of('FlateDecode'))
    throw malformed(`A cross-reference or object stream uses the unsupported filter ${String(filter)}.`);
  let data: Buffer;
  try {
    data = inflateSync(raw);
  } catch (error) {
    throw new PdfError('malformed', `A cross-reference or object stream cannot be inflated: ${(error as Error).message}`, { cause: error });
  }
  const predictor = parameters instanceof PDFDict ? (numberIn(parameters, 'Predictor') ?? 1) : 1;
  if (predictor === 1) return data;
  if (predictor < 10 || !(parameters instanceof PDFDict)) throw malformed(`Unsupported stream predictor ${predictor}.`);
  const colors = numberIn(parameters, 'Colors') ?? 1;
  const bitsPerComponent = numberIn(parameters, 'BitsPerComponent') ?? 8;
  if (bitsPerComponent !== 8) throw malformed(`Unsupported predictor bit depth ${bitsPerComponent}.`);
  return undoPngPredictor(data, numberIn(parameters, 'Columns') ?? 1, colors);
}

/** The stream object `objectNumber` whose `n g obj` starts at `offset`. */
export function readStreamObject(pdf: Buffer, offset: number, what: string): PDFRawStream {
  const header = OBJECT_HEADER.exec(pdf.toString('latin1', offset, Math.min(pdf.length, offset + 48)));
  if (!header) throw malformed(`No ${what} where the document says (byte ${offset}).`);
  const stream = parseObjectAt(pdf, offset + header[0].length);
  if (!(stream instanceof PDFRawStream)) throw malformed(`The ${what} at byte ${offset} is not a stream.`);
  return stream;
}

function readStreamSection(pdf: Buffer, offset: number): CrossReferenceSection {
  const stream = readStreamObject(pdf, offset, 'cross-reference stream');
  const trailer = stream.dict;
  if (trailer.get(PDFName.of('Type')) !== PDFName.of('XRef'))
    throw malformed(`The object at byte ${offset} is not a cross-reference stream.`);
  const widths = trailer.get(PDFName.of('W'));
  const size = numberIn(trailer, 'Size');
  if (!(widths instanceof PDFArray) || widths.size() !== 3 || size === undefined)
    throw malformed('A cross-reference stream lacks /W or /Size.');
  const [typeWidth, fieldWidth, thirdWidth] = widths.asArray().map((width) => (width instanceof PDFNumber ? width.asNumber() : -1));
  if ([typeWidth, fieldWidth, thirdWidth].some((width) => width < 0 || width > 8))
    throw malformed('A cross-reference stream has a bad /W.');
  const index = trailer.get(PDFName.of('Index'));
  const ranges: number[] =
    index instanceof PDFArray ? index.asArray().map((value) => (value instanceof PDFNumber ? value.asNumber() : NaN)) : [0, size];
  if (ranges.length % 2 !== 0 || ranges.some(Number.isNaN)) throw malformed('A cross-reference stream has a bad /Index.');
  const data = decodeStructureStream(stream);
  const entryLength = typeWidth + fieldWidth + thirdWidth;
  const field = (at: number, width: number) => {
    let value = 0;
    for (let index = 0; index < width; index++) value = value * 256 + data[at + index];
    return value;
  };
  return {
    kind: 'stream',
    trailer,
    entry(objectNumber) {
      let position = 0;
      for (let range = 0; range < ranges.length; range += 2) {
        const [first, count] = [ranges[range], ranges[range + 1]];
        if (objectNumber >= first && objectNumber < first + count) {
          const at = (position + objectNumber - first) * entryLength;
          if (at + entryLength > data.length) throw malformed(`The cross-reference stream is too short for object ${objectNumber}.`);
          const type = typeWidth === 0 ? 1 : field(at, typeWidth);
          const second = field(at + typeWidth, fieldWidth);
          const third = field(at + typeWidth + fieldWidth, thirdWidth);
          if (type === 0) return { type: 'free' };
          if (type === 1) return { type: 'offset', offset: second, generation: third };
          if (type === 2) return { type: 'compressed', streamNumber: second, index: third };
          return undefined; // Later PDF versions may add types; readers treat them as null objects.
        }
        position += count;
      }
      return undefined;
    },
  };
}

/**
 * The sections of one document, parsed once each as a lookup first needs
 * them. Lookups go from the newest section back along /Prev; in a hybrid
 * file a table's /XRefStm is read right after the table (7.5.8.4).
 */
export class CrossReferences {
  private readonly sections = new Map<number, CrossReferenceSection>();
  private readonly objectStreams = new Map<number, ObjectStream>();
  readonly newest: number;

  /** `newest` defaults to the file's last startxref. */
  constructor(
    private readonly pdf: Buffer,
    newest?: number,
  ) {
    this.newest = newest ?? newestSectionOffset(pdf);
  }

  section(offset: number): CrossReferenceSection {
    let section = this.sections.get(offset);
    if (!section) {
      if (offset >= this.pdf.length) throw malformed(`A cross-reference offset (${offset}) is outside the file.`);
      const at = skipWhitespace(this.pdf, offset);
      section = startsWithAt(this.pdf, at, 'xref') ? readTableSection(this.pdf, at) : readStreamSection(this.pdf, at);
      this.sections.set(offset, section);
    }
    return section;
  }

  /**
   * The newest version of an object, parsed with pdf-lib (references in it
   * stay references), and its generation; undefined if it is free or absent.
   */
  object(objectNumber: number): { object: PDFObject; generation: number } | undefined {
    const entry = this.lookup(objectNumber);
    if (entry?.type === 'offset') {
      const start = objectBodyStart(this.pdf, entry.offset, objectNumber);
      if (!start) throw malformed(`Object ${objectNumber} is not where the cross-reference section says (byte ${entry.offset}).`);
      return { object: parseObjectAt(this.pdf, start.body), generation: start.generation };
    }
    if (entry?.type !== 'compressed') return undefined;
    const stream = this.objectStream(entry.streamNumber);
    const member = stream.members.get(objectNumber);
    if (!member) throw malformed(`Object ${objectNumber} is not in object stream ${entry.streamNumber}.`);
    return { object: parseObjectAt(stream.data.subarray(member.start, member.end), 0), generation: 0 };
  }

  private objectStream(streamNumber: number): ObjectStream {
    let stream = this.objectStreams.get(streamNumber);
    if (!stream) {
      const entry = this.lookup(streamNumber);
      stream = entry?.type === 'offset' ? decodeObjectStream(this.pdf, entry.offset) : undefined;
      if (!stream) throw malformed(`Object stream ${streamNumber} is missing.`);
      this.objectStreams.set(streamNumber, stream);
    }
    return stream;
  }

  lookup(objectNumber: number): CrossReferenceEntry | undefined {
    let offset: number | undefined = this.newest;
    for (let hops = 0; offset !== undefined && hops < MAX_SECTIONS; hops++) {
      const section = this.section(offset);
      const found = section.entry(objectNumber);
      if (found && found.type !== 'free') return found;
      // A hybrid file's table may list an object kept in its /XRefStm as free, for readers that know only tables.
      const hybrid = section.kind === 'table' ? numberIn(section.trailer, 'XRefStm') : undefined;
      const fromStream = hybrid === undefined ? undefined : this.section(hybrid).entry(objectNumber);
      if (fromStream) return fromStream;
      if (found) return found;
      offset = numberIn(section.trailer, 'Prev');
    }
    return undefined;
  }
}

interface ObjectStream {
  data: Buffer;
  /** Object number → where its bytes are in `data`. */
  members: Map<number, { start: number; end: number }>;
}

/** The object stream whose `n g obj` starts at `offset`, decoded; undefined if the object there is another kind of stream. */
function decodeObjectStream(pdf: Buffer, offset: number): ObjectStream | undefined {
  const stream = readStreamObject(pdf, offset, 'object stream');
  if (stream.dict.get(PDFName.of('Type')) !== PDFName.of('ObjStm')) return undefined;
  const count = numberIn(stream.dict, 'N');
  const first = numberIn(stream.dict, 'First');
  if (count === undefined || first === undefined) throw malformed('An object stream lacks /N or /First.');
  const data = decodeStructureStream(stream);
  const pairs = data.toString('latin1', 0, first).trim().split(/\s+/).map(Number);
  if (pairs.length < count * 2 || pairs.some(Number.isNaN)) throw malformed('An object stream has a broken header.');
  const members = new Map<number, { start: number; end: number }>();
  for (let index = 0; index < count; index++) {
    const end = index + 1 < count ? first + pairs[index * 2 + 3] : data.length;
    members.set(pairs[index * 2], { start: first + pairs[index * 2 + 1], end });
  }
  return { data, members };
}

/** The bytes of object `objectNumber` inside the object stream whose `n g obj` starts at `offset`. */
export function objectStreamMember(pdf: Buffer, offset: number, objectNumber: number): Buffer | undefined {
  const stream = decodeObjectStream(pdf, offset);
  const member = stream?.members.get(objectNumber);
  return member && stream!.data.subarray(member.start, member.end);
}
