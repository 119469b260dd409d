import { PDFStream, type PDFObject } from 'pdf-lib';
import { loadPdfDocument } from './errors';
import { appendIncrementalUpdate, readDocumentTail, type IndirectObject } from './incrementalUpdate';

function serialize(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/**
 * Appends the pages of `pagesPdf` (for example the audit certificate) to a
 * document that may already carry signatures, as an incremental update, so
 * those signatures stay valid. Field and page objects keep their numbers,
 * so the signature plan still holds for the fields not yet signed.
 *
 * This is the slow path: both documents are parsed with pdf-lib. pdf-lib
 * then tells us what changed: every new object, and the existing objects
 * whose serialisation differs afterwards (the page tree nodes).
 */
export async function appendPagesIncrementally(pdf: Buffer, pagesPdf: Uint8Array): Promise<Buffer> {
  const tail = readDocumentTail(pdf);
  const document = await loadPdfDocument(pdf);
  const source = await loadPdfDocument(pagesPdf);
  const { context } = document;

  const before = new Map<number, Uint8Array>();
  for (const [reference, object] of context.enumerateIndirectObjects()) {
    // Adding pages rewrites dictionaries only; skipping streams spares copying large images.
    if (!(object instanceof PDFStream)) before.set(reference.objectNumber, serialize(object));
  }
  // New objects must not reuse numbers that the cross-reference chain marks as free.
  context.largestObjectNumber = Math.max(context.largestObjectNumber, tail.size - 1);
  const firstNewNumber = context.largestObjectNumber + 1;

  const pages = await document.copyPages(source, source.getPageIndices());
  for (const page of pages) document.addPage(page);

  const changed: IndirectObject[] = [];
  for (const [reference, object] of context.enumerateIndirectObjects()) {
    const { objectNumber, generationNumber } = reference;
    if (objectNumber >= firstNewNumber) {
      changed.push({ objectNumber, generation: generationNumber, body: serialize(object) });
      continue;
    }
    if (object instanceof PDFStream) continue;
    const previous = before.get(objectNumber);
    const now = serialize(object);
    if (!previous || !sameBytes(previous, now)) changed.push({ objectNumber, generation: generationNumber, body: now });
  }
  return appendIncrementalUpdate(pdf, tail, changed, context.largestObjectNumber + 1).pdf;
}
