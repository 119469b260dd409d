import { PDFName } from 'pdf-lib';
import { assertPdfHeader, loadPdfDocument, PdfError } from './errors';
import { appendSignatureFields } from './signatureFieldsUpdate';
import { FIELD_NAME_PATTERN, type SignaturePlan } from './signatureFieldPlan';
import { DEFAULT_SIGNATURE_PAGE_TITLE } from './signaturePage';

/**
 * Creates every signature field the process will need before anyone signs:
 * a signatures page at the end with one box per signer and one for the
 * organisation's seal. Later signatures then only fill fields, so they never
 * change what an earlier signature covered.
 *
 * The fields are added as an incremental update after the original bytes
 * (signatureFieldsUpdate.ts), so a document that is already signed keeps its
 * signatures valid. Only a document whose structure that cannot read (an
 * encrypted one, a broken or missing cross-reference section, a filter we do
 * not decode) goes the slow way: pdf-lib parses and rewrites the whole file,
 * and the fields are then appended to the rewritten file.
 */
export async function prepareSignatureFields(
  pdf: Uint8Array,
  fields: { name: string; label: string }[],
  options: { pageTitle?: string } = {},
): Promise<{ pdf: Buffer; plan: SignaturePlan }> {
  checkFieldRequests(fields);
  assertPdfHeader(pdf);
  const title = options.pageTitle?.trim() || DEFAULT_SIGNATURE_PAGE_TITLE;
  try {
    return appendSignatureFields(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), fields, title);
  } catch (error) {
    if (!(error instanceof PdfError && (error.code === 'malformed' || error.code === 'encrypted'))) throw error;
  }
  return appendSignatureFields(await rewriteWithPdfLib(pdf), fields, title);
}

function checkFieldRequests(fields: { name: string; label: string }[]): void {
  if (fields.length === 0) throw new PdfError('invalid_field', 'At least one signature field is needed.');
  const seen = new Set<string>();
  for (const { name, label } of fields) {
    if (!FIELD_NAME_PATTERN.test(name)) {
      throw new PdfError('invalid_field', `Signature field name "${name}" must be 1-64 letters, digits, "-" or "_".`);
    }
    if (seen.has(name)) throw new PdfError('invalid_field', `Signature field "${name}" is planned twice.`);
    seen.add(name);
    if (typeof label !== 'string' || label.trim() === '' || label.length > 200) {
      throw new PdfError('invalid_field', `Signature field "${name}" needs a label of 1-200 characters.`);
    }
  }
}

/**
 * The fallback: pdf-lib reads what it can (it does not need the
 * cross-reference sections) and writes a clean file with a classic table.
 * It refuses encrypted documents, and signed ones, whose signatures the
 * rewrite would break.
 */
async function rewriteWithPdfLib(pdf: Uint8Array): Promise<Buffer> {
  const document = await loadPdfDocument(pdf);
  let fields;
  try {
    fields = document.catalog.getOrCreateAcroForm().getAllFields();
  } catch (error) {
    throw new PdfError('malformed', `The document's form fields cannot be read: ${(error as Error).message}`, { cause: error });
  }
  for (const [field] of fields) {
    const isSignature = field.getInheritableAttribute(PDFName.of('FT')) === PDFName.of('Sig');
    if (isSignature && field.dict.get(PDFName.of('V')) !== undefined) {
      throw new PdfError(
        'contains_signatures',
        'The document is already digitally signed, and its structure can only be read by rewriting it, which would invalidate those signatures.',
      );
    }
  }
  const bytes = await document.save({ useObjectStreams: false, updateFieldAppearances: false, addDefaultPage: false });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
