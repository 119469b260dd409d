import { EncryptedPDFError, PDFDocument } from 'pdf-lib';
import { inspectPdfOffThread } from '../inspection/pdfInspection';

export type PdfErrorCode =
  | 'not_pdf'
  | 'encrypted'
  | 'malformed'
  | 'contains_signatures'
  | 'invalid_field'
  | 'unknown_field'
  | 'field_already_signed'
  | 'plan_mismatch'
  | 'signature_too_large'
  // Upload inspection's limits and refusals (inspection/inspectPdfWithin.ts).
  | 'too_many_pages'
  | 'too_complex'
  | 'active_content';

/**
 * The one error the signing library throws for anything wrong with a document,
 * a plan or a signing request. `code` is for machines (API responses, workflow
 * decisions), `message` for people reading logs.
 */
export class PdfError extends Error {
  override readonly name = 'PdfError';

  constructor(
    readonly code: PdfErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type CredentialsErrorCode = 'wrong_password' | 'no_private_key' | 'no_matching_certificate' | 'unreadable';

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';

  constructor(
    readonly code: CredentialsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PDF_HEADER = Buffer.from('%PDF-', 'latin1');

/** The PDF header may be preceded by junk, but readers only look at the first kilobyte. */
export function assertPdfHeader(bytes: Uint8Array): void {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  if (head.indexOf(PDF_HEADER) < 0) {
    throw new PdfError('not_pdf', 'The file is not a PDF document (no %PDF- header).');
  }
}

/**
 * Loads a PDF with pdf-lib and maps its failures to typed errors. Encrypted
 * documents are refused: we could not add signatures to them without the
 * password, and archives (TOS) require readable files anyway.
 */
export async function loadPdfDocument(bytes: Uint8Array): Promise<PDFDocument> {
  assertPdfHeader(bytes);
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    // Encrypted object streams can make pdf-lib fail before it gets to check /Encrypt itself.
    if (error instanceof EncryptedPDFError || Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('/Encrypt') >= 0) {
      throw new PdfError('encrypted', 'The PDF document is encrypted or password protected.', { cause: error });
    }
    throw new PdfError('malformed', `The PDF document cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (document.isEncrypted) {
    throw new PdfError('encrypted', 'The PDF document is encrypted or password protected.');
  }
  let pageCount: number;
  try {
    pageCount = document.getPageCount();
  } catch (error) {
    throw new PdfError('malformed', `The PDF document has a broken page tree: ${(error as Error).message}`, { cause: error });
  }
  if (pageCount === 0) {
    throw new PdfError('malformed', 'The PDF document has no pages.');
  }
  return document;
}

/**
 * Upload validation: is this a readable, unencrypted, passive PDF within the
 * limits, and what are its pages? Inspected off the event loop in a worker
 * thread: see inspection/pdfInspection.ts.
 */
export async function inspectPdf(bytes: Uint8Array): Promise<{ pageCount: number; pageSizes: { width: number; height: number }[] }> {
  return inspectPdfOffThread(bytes);
}
