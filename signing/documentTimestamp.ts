import { createHash } from 'node:crypto';
import type { TimestampClient, TimestampToken } from '../integrations/timestamping/timestampClient';
import { parseReference, readDictionary } from './documentSecurityStore';
import { PdfError } from './errors';
import { appendIncrementalUpdate, readDocumentTail } from './incrementalUpdate';
import { findSignatures } from './pdfSignatures';

/**
 * PAdES B-LTA: a document timestamp (/Type /DocTimeStamp, /SubFilter
 * /ETSI.RFC3161) over every byte of the file but its own /Contents, in an
 * invisible signature field added by an incremental update. Its /Contents
 * is the TimeStampToken itself.
 */

const TOKEN_CAPACITY_BYTES = 8192;
const BYTE_RANGE_WIDTH = '[0 0000000000 0000000000 0000000000]'.length;

export async function addDocumentTimestamp(pdf: Buffer, timestamps: TimestampClient): Promise<{ pdf: Buffer; timestamp: TimestampToken }> {
  const tail = readDocumentTail(pdf);
  const catalog = readDictionary(pdf, parseReference(tail.root).objectNumber);
  const acroFormReference = /\/AcroForm\s+(\d+\s+\d+\s+R)/.exec(catalog)?.[1];
  if (!acroFormReference) throw new PdfError('malformed', 'The document has no form (/AcroForm) to add the document timestamp to.');
  const acroForm = parseReference(acroFormReference);
  const acroFormText = readDictionary(pdf, acroForm.objectNumber);
  if (!/\/Fields\s*\[[^\]]*\]/.test(acroFormText)) throw new PdfError('malformed', "The form's field list is not a direct array.");

  const ordinal = findSignatures(pdf).filter((signature) => signature.isDocumentTimestamp).length + 1;
  const signatureNumber = tail.size;
  const fieldNumber = tail.size + 1;
  const head = Buffer.from(
    `<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange ${' '.repeat(BYTE_RANGE_WIDTH)} /Contents <`,
    'latin1',
  );
  const placeholder = Buffer.alloc(TOKEN_CAPACITY_BYTES * 2, '0', 'latin1');
  const field = `<< /Type /Annot /Subtype /Widget /FT /Sig /T (document-timestamp-${ordinal}) /F 132 /Rect [0 0 0 0] /V ${signatureNumber} 0 R >>`;
  const newAcroForm = acroFormText.replace(
    /\/Fields\s*\[([^\]]*)\]/,
    (_, fields: string) => `/Fields [${fields.trim()} ${fieldNumber} 0 R]`,
  );

  const { pdf: updated, bodyOffsets } = appendIncrementalUpdate(
    pdf,
    tail,
    [
      { objectNumber: signatureNumber, body: Buffer.concat([head, placeholder, Buffer.from('> >>', 'latin1')]) },
      { objectNumber: fieldNumber, body: Buffer.from(field, 'latin1') },
      { objectNumber: acroForm.objectNumber, generation: acroForm.generation, body: Buffer.from(newAcroForm, 'latin1') },
    ],
    tail.size + 2,
  );

  const contentsStart = bodyOffsets.get(signatureNumber)! + head.length - 1;
  const contentsEnd = contentsStart + 1 + placeholder.length + 1;
  const byteRange = `[0 ${contentsStart} ${contentsEnd} ${updated.length - contentsEnd}]`;
  updated.write(byteRange.padEnd(BYTE_RANGE_WIDTH, ' '), contentsStart - ' /Contents '.length - BYTE_RANGE_WIDTH, 'latin1');
  const digest = createHash('sha256').update(updated.subarray(0, contentsStart)).update(updated.subarray(contentsEnd)).digest();
  const timestamp = await timestamps.timestamp(digest);
  if (timestamp.token.length > TOKEN_CAPACITY_BYTES) {
    throw new PdfError(
      'signature_too_large',
      `The document timestamp is ${timestamp.token.length} bytes but only ${TOKEN_CAPACITY_BYTES} are reserved.`,
    );
  }
  updated.write(timestamp.token.toString('hex'), contentsStart + 1, 'latin1');
  return { pdf: updated, timestamp };
}
