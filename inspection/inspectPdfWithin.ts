import { PDFArray, PDFDict, type PDFDocument, PDFName, type PDFObject, PDFRef, PDFStream } from 'pdf-lib';
import type { PdfLimits } from '../config/config';
import { loadPdfDocument, PdfError } from '../signing/errors';
import { tallyStreams } from './streamBudget';

/**
 * What an upload must pass before Sinetti stores it, shows it to a signer or
 * seals it: readable, unencrypted, within the size limits, and passive. Runs
 * inside the inspection thread (inspection/pdfInspection.ts), never on the
 * API's event loop.
 */

export interface PdfInspection {
  pageCount: number;
  pageSizes: { width: number; height: number }[];
}

export async function inspectPdfWithin(bytes: Buffer, limits: PdfLimits): Promise<PdfInspection> {
  await tallyStreams(bytes, limits);
  return inspectTallied(bytes, limits);
}

/** The checks after the stream tally: parse, page limit, active content, page sizes. */
export async function inspectTallied(bytes: Buffer, limits: PdfLimits): Promise<PdfInspection> {
  const document = await loadPdfDocument(bytes);
  const pageCount = document.getPageCount();
  if (pageCount > limits.maxPages) {
    throw new PdfError(
      'too_many_pages',
      `The PDF document has ${pageCount} pages; a document to sign may have at most ${limits.maxPages}. Split it into parts.`,
    );
  }
  const active = activeContent(document);
  if (active) {
    throw new PdfError(
      'active_content',
      `The PDF document contains ${active}, which Sinetti does not accept in a document people open and sign. Print it to PDF again (or export it without scripts, actions and attachments) and upload that.`,
    );
  }
  try {
    const pageSizes = document.getPages().map((page) => page.getSize());
    return { pageCount, pageSizes };
  } catch (error) {
    throw new PdfError('malformed', `The PDF document has a broken page: ${(error as Error).message}`, { cause: error });
  }
}

/** Keys whose presence anywhere makes a document active: scripts, triggers, attachments, XFA forms. */
const ACTIVE_KEYS = new Map<string, string>([
  ['JS', 'JavaScript'],
  ['JavaScript', 'JavaScript'],
  ['AA', 'actions triggered by opening pages or fields (/AA)'],
  ['EmbeddedFiles', 'embedded files'],
  ['EF', 'an embedded file'],
  ['XFA', 'an XFA form (which can run scripts)'],
]);
/** Action types (/S) that run something, reach outside the document or send data. */
const ACTIVE_ACTIONS = new Set([
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
  'RichMediaExecute',
  'Rendition',
  'Movie',
  'Sound',
]);
/** Annotation and object types that carry files or media, with what a person is told (the type's name where it says enough). */
const ACTIVE_TYPES = new Map<string, string>([
  ['FileAttachment', 'an attached file'],
  ['EmbeddedFile', 'an embedded file'],
  ['RichMedia', 'an element of type RichMedia'],
  ['Movie', 'an element of type Movie'],
  ['Sound', 'an element of type Sound'],
  ['Screen', 'an element of type Screen'],
]);

/** Describes the first active element found, or undefined for a passive document. */
export function activeContent(document: PDFDocument): string | undefined {
  const openAction = document.catalog.get(PDFName.of('OpenAction'));
  const opened = openAction instanceof PDFRef ? document.context.lookup(openAction) : openAction;
  // An /OpenAction array is only a place to open at; a dictionary is an action run on opening.
  if (opened instanceof PDFDict) return 'an action run when the document opens (/OpenAction)';
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    const found = activeIn(object, 0);
    if (found) return found;
  }
  return undefined;
}

function activeIn(object: PDFObject, depth: number): string | undefined {
  if (depth > 64) return undefined;
  if (object instanceof PDFArray) {
    for (const item of object.asArray()) {
      const found = activeIn(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
  if (!dict) return undefined;
  for (const [key, value] of dict.entries()) {
    const name = key.decodeText();
    const described = ACTIVE_KEYS.get(name);
    if (described) return described;
    if ((name === 'S' || name === 'Subtype' || name === 'Type') && value instanceof PDFName) {
      const type = value.decodeText();
      if (name === 'S' && ACTIVE_ACTIONS.has(type)) return `a ${type} action`;
      const carrier = ACTIVE_TYPES.get(type);
      if (carrier) return carrier;
    }
    const found = activeIn(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}
