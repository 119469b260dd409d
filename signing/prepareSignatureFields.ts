import { PDFInvalidObject, PDFName, PDFNumber, rgb, StandardFonts, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { loadPdfDocument, PdfError } from './errors';
import { FIELD_NAME_PATTERN, signatureFieldDictionary, type PlannedSignatureField, type SignaturePlan } from './signatureFieldPlan';
import { fitText, toWinAnsiText } from './winAnsi';

export const DEFAULT_SIGNATURE_PAGE_TITLE = 'Allekirjoitukset / Underskrifter / Signatures';
const SUBTITLE = 'Sähköiset allekirjoitukset ja sinetti / Elektroniska underskrifter och sigill / Electronic signatures and seal';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BOX_WIDTH = 236;
const BOX_HEIGHT = 64;
const COLUMN_GAP = 11.28;
const LABEL_HEIGHT = 14;
const ROW_GAP = 18;
const FIRST_ROW_TOP = A4[1] - MARGIN - 62;
const ROWS_PER_PAGE = Math.floor((FIRST_ROW_TOP - MARGIN) / (LABEL_HEIGHT + BOX_HEIGHT + ROW_GAP));
const FIELDS_PER_PAGE = ROWS_PER_PAGE * 2;

/**
 * Creates every signature field the process will need before anyone signs:
 * a signatures page at the end with one box per signer and one for the
 * organisation's seal. Later signatures then only fill fields, so they never
 * change what an earlier signature covered. The result has a classic
 * cross-reference table, which `signField` appends to.
 */
export async function prepareSignatureFields(
  pdf: Uint8Array,
  fields: { name: string; label: string }[],
  options: { pageTitle?: string } = {},
): Promise<{ pdf: Buffer; plan: SignaturePlan }> {
  checkFieldRequests(fields);
  const document = await loadPdfDocument(pdf);
  const acroForm = document.catalog.getOrCreateAcroForm();
  checkExistingFields(document, fields);

  const regular = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  const title = options.pageTitle?.trim() || DEFAULT_SIGNATURE_PAGE_TITLE;
  const planned: PlannedSignatureField[] = [];
  let page: PDFPage | undefined;
  fields.forEach((request, index) => {
    const slot = index % FIELDS_PER_PAGE;
    if (slot === 0) page = addSignaturePage(document, title, bold, regular);
    const x = MARGIN + (slot % 2) * (BOX_WIDTH + COLUMN_GAP);
    const top = FIRST_ROW_TOP - Math.floor(slot / 2) * (LABEL_HEIGHT + BOX_HEIGHT + ROW_GAP);
    const y = top - LABEL_HEIGHT - BOX_HEIGHT;
    page!.drawText(fitText(request.label, 9, 'bold', BOX_WIDTH), { x, y: top - 10, size: 9, font: bold, color: rgb(0.15, 0.15, 0.15) });
    page!.drawRectangle({ x, y, width: BOX_WIDTH, height: BOX_HEIGHT, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5 });

    const reference = document.context.nextRef();
    const field: PlannedSignatureField = {
      name: request.name,
      label: request.label,
      objectNumber: reference.objectNumber,
      pageObjectNumber: page!.ref.objectNumber,
      rect: [x, y, x + BOX_WIDTH, y + BOX_HEIGHT].map((value) => Math.round(value * 100) / 100) as PlannedSignatureField['rect'],
    };
    // Written as raw bytes from the same function signField uses, so the signed version differs only by /V and /AP.
    document.context.assign(reference, PDFInvalidObject.of(Buffer.from(signatureFieldDictionary(field), 'latin1')));
    page!.node.addAnnot(reference);
    acroForm.addField(reference);
    planned.push(field);
  });
  acroForm.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));

  const bytes = await document.save({ useObjectStreams: false, updateFieldAppearances: false, addDefaultPage: false });
  return { pdf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), plan: { fields: planned } };
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
 * Preparation rewrites the whole file, which would break signatures already
 * in it, and a second field with one of our names would confuse viewers.
 */
function checkExistingFields(document: PDFDocument, fields: { name: string }[]): void {
  let existing;
  try {
    existing = document.catalog.getOrCreateAcroForm().getAllFields();
  } catch (error) {
    throw new PdfError('malformed', `The document's form fields cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const wanted = new Set(fields.map(({ name }) => name));
  for (const [field] of existing) {
    const isSignature = field.getInheritableAttribute(PDFName.of('FT')) === PDFName.of('Sig');
    if (isSignature && field.dict.get(PDFName.of('V')) !== undefined) {
      throw new PdfError(
        'contains_signatures',
        'The document is already digitally signed; preparing it would invalidate those signatures.',
      );
    }
    const name = field.getFullyQualifiedName();
    if (name !== undefined && wanted.has(name)) {
      throw new PdfError('invalid_field', `The document already has a form field named "${name}".`);
    }
  }
}

function addSignaturePage(document: PDFDocument, title: string, bold: PDFFont, regular: PDFFont): PDFPage {
  const page = document.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  page.drawText(fitText(title, 16, 'bold', width), { x: MARGIN, y: A4[1] - MARGIN - 16, size: 16, font: bold });
  page.drawText(toWinAnsiText(fitText(SUBTITLE, 8, 'regular', width)), {
    x: MARGIN,
    y: A4[1] - MARGIN - 34,
    size: 8,
    font: regular,
    color: rgb(0.35, 0.35, 0.35),
  });
  return page;
}
