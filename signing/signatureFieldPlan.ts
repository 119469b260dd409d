import { pdfNumber, pdfTextString } from './pdfSyntax';

/**
 * Where preparation put one signature field. With this the signing step can
 * rewrite the field without parsing the document: the field and its widget
 * are one object, `objectNumber`, on the page `pageObjectNumber`.
 */
export interface PlannedSignatureField {
  name: string;
  label: string;
  objectNumber: number;
  pageObjectNumber: number;
  rect: [number, number, number, number];
}

/** All signature fields of a prepared document, signers first, the organisation's seal last. */
export interface SignaturePlan {
  fields: PlannedSignatureField[];
}

/** Field names become the /T of a top-level field: no dots (those mean hierarchy), nothing to escape. */
export const FIELD_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface FieldValue {
  signatureObjectNumber: number;
  appearanceObjectNumber: number;
}

/**
 * The merged field/widget dictionary. Preparation writes it without a value;
 * signing writes it again with /V and /AP. One function for both keeps the
 * two versions identical in everything else.
 */
export function signatureFieldDictionary(field: PlannedSignatureField, value?: FieldValue): string {
  const rect = field.rect.map(pdfNumber).join(' ');
  let dictionary =
    `<< /Type /Annot /Subtype /Widget /FT /Sig /T (${field.name}) /TU ${pdfTextString(field.label)}` +
    ` /F 4 /Rect [${rect}] /P ${field.pageObjectNumber} 0 R`;
  if (value) {
    dictionary += ` /V ${value.signatureObjectNumber} 0 R /AP << /N ${value.appearanceObjectNumber} 0 R >>`;
  }
  return dictionary + ' >>';
}
