import { constants, createInflate, inflateSync } from 'node:zlib';
import { PdfError } from '../signing/errors';

/**
 * Finds every stream in a PDF's bytes and inflates the Flate-compressed ones
 * under one budget, counting the bytes and keeping none, before any parser
 * sees the file. A decompression bomb (a 1 MB upload holding an object stream
 * that inflates to 1 GiB) is refused once the budget is spent, in constant
 * memory; pdf-lib would inflate it whole while loading.
 *
 * The scan is lexical on purpose: it needs no parsed object graph, so it
 * cannot itself be made to build a large one.
 */

export interface StreamTally {
  /** Indirect objects in the file plus those packed in object streams (their /N). */
  objects: number;
  inflatedBytes: number;
}

const STREAM_KEYWORD = Buffer.from('stream', 'latin1');
const OBJ_HEADER = /(\d+)\s+(\d+)\s+obj\b/g;
/** How far back from a `stream` keyword its dictionary may start. */
const DICTIONARY_REACH = 64 * 1024;

export interface StreamLimits {
  /** All Flate streams together: what a renderer would inflate. */
  maxInflatedBytes: number;
  /** Object and cross-reference streams together: what pdf-lib inflates and keeps while loading. */
  maxObjectStreamBytes: number;
  maxObjects: number;
}

export async function tallyStreams(
  bytes: Buffer,
  { maxInflatedBytes, maxObjectStreamBytes, maxObjects }: StreamLimits,
): Promise<StreamTally> {
  const text = bytes.toString('latin1');
  const objectOffsets = new Map<string, number>();
  for (const match of text.matchAll(OBJ_HEADER)) objectOffsets.set(`${match[1]} ${match[2]}`, match.index);
  let objects = objectOffsets.size;
  let inflatedBytes = 0;
  let objectStreamBytes = 0;
  const refuseObjects = () =>
    new PdfError('too_complex', `The PDF document has more than ${maxObjects} objects; Sinetti accepts documents up to that size.`);
  if (objects > maxObjects) throw refuseObjects();

  let searchFrom: number;
  for (let at = bytes.indexOf(STREAM_KEYWORD); at >= 0; at = bytes.indexOf(STREAM_KEYWORD, searchFrom)) {
    searchFrom = at + STREAM_KEYWORD.length;
    if (text.startsWith('end', at - 3)) continue; // "endstream"
    const dataStart = text[at + 6] === '\r' && text[at + 7] === '\n' ? at + 8 : text[at + 6] === '\n' ? at + 7 : -1;
    if (dataStart < 0) continue;
    const dictionary = dictionaryBefore(text, at);
    if (!dictionary) continue;
    const filters = [
      ...dictionary.matchAll(/\/(FlateDecode|Fl|LZWDecode|LZW|ASCIIHexDecode|AHx|ASCII85Decode|A85|RunLengthDecode|RL)\b/g),
    ].map((m) => m[1]);
    const isObjectOrXrefStream = /\/Type\s*\/(ObjStm|XRef)\b/.test(dictionary);
    if (isObjectOrXrefStream && filters.some((f) => f !== 'FlateDecode' && f !== 'Fl')) {
      // pdf-lib inflates these whole while loading; a chain of filters could hide a bomb from the tally.
      throw new PdfError(
        'too_complex',
        'The PDF document packs its objects with filters Sinetti does not accept (only FlateDecode). Save it again as a standard PDF.',
      );
    }
    if (/\/Type\s*\/ObjStm\b/.test(dictionary)) {
      objects += Number(/\/N\s+(\d+)/.exec(dictionary)?.[1] ?? 0);
      if (objects > maxObjects) throw refuseObjects();
    }
    const length = streamLength(dictionary, text, objectOffsets);
    const end = length !== undefined && dataStart + length <= bytes.length ? dataStart + length : endOfData(bytes, dataStart);
    searchFrom = Math.max(searchFrom, end); // the data itself may hold the word "stream"
    if (filters[0] !== 'FlateDecode' && filters[0] !== 'Fl') continue;
    const budget = isObjectOrXrefStream
      ? Math.min(maxObjectStreamBytes - objectStreamBytes, maxInflatedBytes - inflatedBytes)
      : maxInflatedBytes - inflatedBytes;
    const size = await inflatedSize(bytes.subarray(dataStart, end), budget);
    inflatedBytes += size;
    if (isObjectOrXrefStream) objectStreamBytes += size;
    if (objectStreamBytes > maxObjectStreamBytes) {
      throw new PdfError(
        'too_complex',
        `The PDF document's packed objects expand to more than ${Math.round(maxObjectStreamBytes / 1024 / 1024)} MB; Sinetti does not accept it. Save it again as a standard PDF or split it.`,
      );
    }
    if (inflatedBytes > maxInflatedBytes) {
      throw new PdfError(
        'too_complex',
        `The PDF document's compressed content expands to more than ${Math.round(maxInflatedBytes / 1024 / 1024)} MB; Sinetti does not accept it. Save it again with ordinary compression or split it.`,
      );
    }
  }
  return { objects, inflatedBytes };
}

/** The text between the object header before `at` and `at`: the stream's dictionary (and its header). */
function dictionaryBefore(text: string, at: number): string | undefined {
  const from = Math.max(0, at - DICTIONARY_REACH);
  const head = text.lastIndexOf(' obj', at);
  const start = head >= from ? head : text.lastIndexOf('obj', at);
  if (start < from) return undefined;
  return text.slice(start, at);
}

function streamLength(dictionary: string, text: string, objectOffsets: Map<string, number>): number | undefined {
  const indirect = /\/Length\s+(\d+)\s+(\d+)\s+R\b/.exec(dictionary);
  if (indirect) {
    const offset = objectOffsets.get(`${indirect[1]} ${indirect[2]}`);
    if (offset === undefined) return undefined;
    const value = /obj\s*(\d+)\s*endobj/.exec(text.slice(offset, offset + 128));
    return value ? Number(value[1]) : undefined;
  }
  const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary);
  return direct ? Number(direct[1]) : undefined;
}

function endOfData(bytes: Buffer, from: number): number {
  const end = bytes.indexOf('endstream', from, 'latin1');
  return end < 0 ? bytes.length : end;
}

/**
 * What one stream may inflate to in a single native call, whose output is
 * held until the call returns: enough for any honest page's streams in one
 * call. Past it (an object-stream bomb stopped at its 32 MB budget, a content
 * stream at 256 MB) the stream is counted in 1 MB chunks that are dropped as
 * they come, a few dozen round trips through zlib's thread pool. With 40 MB
 * here the uploads benchmark saw the API's RSS grow 52.6 MB on a bomb; with
 * 8 MB and 1 MB chunks, 28.4 MB, refused as fast (BENCHMARKS.md).
 */
const SYNC_OUTPUT_LIMIT = 8 * 1024 * 1024;

/** Inflates and counts, keeping nothing; stops as soon as the budget is passed. A broken stream counts what it gave. */
async function inflatedSize(data: Buffer, budget: number): Promise<number> {
  try {
    // A truncated stream gives what it has instead of an error, so it is counted like a whole one.
    return inflateSync(data, { maxOutputLength: Math.max(1, Math.min(budget + 1, SYNC_OUTPUT_LIMIT)), finishFlush: constants.Z_SYNC_FLUSH })
      .length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' && budget < SYNC_OUTPUT_LIMIT) return budget + 1;
  }
  // Past the single call's limit, or broken part-way: counted chunk by chunk, up to where it breaks.
  return countInflated(data, budget);
}

function countInflated(data: Buffer, budget: number): Promise<number> {
  return new Promise((resolve) => {
    let total = 0;
    const inflate = createInflate({ chunkSize: 1024 * 1024 });
    const finish = () => {
      inflate.removeAllListeners();
      inflate.destroy();
      resolve(total);
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) finish();
    });
    inflate.on('end', finish);
    inflate.on('error', finish);
    inflate.end(data);
  });
}
