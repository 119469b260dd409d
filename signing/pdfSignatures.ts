import { PdfError } from './errors';

/**
 * Finds the signatures in a PDF by their /ByteRange and reads each one's
 * /Contents hole. Every signature Sinetti makes (and every one pdfsig
 * accepts) has /ByteRange [0 a b c] with the hole <...> from a to b.
 */

export interface PdfSignature {
  byteRange: [number, number, number, number];
  /** Offsets of '<' and one past '>' of /Contents. */
  contentsStart: number;
  contentsEnd: number;
  /** The decoded /Contents, padding included (what the DSS VRI key is the SHA-1 of). */
  contents: Buffer;
  /** The DER value at the start of /Contents, without the zero padding. */
  der: Buffer;
  isDocumentTimestamp: boolean;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

function derLength(contents: Buffer): number {
  if (contents[0] !== 0x30) throw new PdfError('malformed', "A signature's /Contents does not hold a DER SEQUENCE.");
  const first = contents[1];
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4) throw new PdfError('malformed', "A signature's /Contents has an indefinite or oversized length.");
  return 2 + octets + contents.subarray(2, 2 + octets).reduce((sum, byte) => sum * 256 + byte, 0);
}

export function findSignatures(pdf: Buffer): PdfSignature[] {
  const text = pdf.toString('latin1');
  const found: PdfSignature[] = [];
  for (const match of text.matchAll(BYTE_RANGE)) {
    const byteRange = match.slice(1, 5).map(Number) as PdfSignature['byteRange'];
    const [start, holeStart, holeEnd, tailLength] = byteRange;
    if (start !== 0 || holeEnd + tailLength > pdf.length || pdf[holeStart] !== 0x3c || pdf[holeEnd - 1] !== 0x3e) continue;
    const contents = Buffer.from(text.slice(holeStart + 1, holeEnd - 1), 'hex');
    const dictionaryStart = text.lastIndexOf('<<', match.index);
    const isDocumentTimestamp = /\/SubFilter\s*\/ETSI\.RFC3161/.test(text.slice(dictionaryStart, holeEnd + 200).split('endobj')[0]);
    found.push({
      byteRange,
      contentsStart: holeStart,
      contentsEnd: holeEnd,
      contents,
      der: contents.subarray(0, derLength(contents)),
      isDocumentTimestamp,
    });
  }
  return found;
}

/** Writes new DER into a signature's hole, zero padded; the signed byte ranges stay as they are. */
export function rewriteContents(pdf: Buffer, signature: PdfSignature, der: Buffer): Buffer {
  const capacity = (signature.contentsEnd - signature.contentsStart - 2) / 2;
  if (der.length > capacity) {
    throw new PdfError('signature_too_large', `The signature with its timestamp is ${der.length} bytes but only ${capacity} are reserved.`);
  }
  const copy = Buffer.from(pdf);
  copy.write(der.toString('hex').padEnd(capacity * 2, '0'), signature.contentsStart + 1, 'latin1');
  return copy;
}
