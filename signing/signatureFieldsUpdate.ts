import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { CrossReferences, malformed } from './crossReferences';
import { PdfError } from './errors';
import { appendIncrementalUpdate, tailOf, type IndirectObject } from './incrementalUpdate';
import { contentStreamObject, layoutSignaturePages, signaturePageDictionary } from './signaturePage';
import { signatureFieldDictionary, type PlannedSignatureField, type SignaturePlan } from './signatureFieldPlan';

/**
 * Adds the signature fields and their page as an incremental update: only
 * the trailer, the catalog, the page tree's root, the form and the fields
 * already in it are read, and only the new objects and the changed ones
 * (page tree root, form, and the catalog when it gets its first form) are
 * written after the original bytes. Signatures already in the document
 * stay valid, as they do when a signature is added.
 */

interface FormStructure {
  catalog: { ref: PDFRef; dict: PDFDict };
  pages: { ref: PDFRef; dict: PDFDict; kids: PDFObject[]; count: number };
  /** Absent, or a direct dictionary in the catalog: then a new form object is written. */
  acroForm?: { ref?: PDFRef; dict: PDFDict; fields: PDFObject[] };
  fieldNames: Set<string>;
  certified: boolean;
}

function resolve(references: CrossReferences, value: PDFObject | undefined): PDFObject | undefined {
  return value instanceof PDFRef ? references.object(value.objectNumber)?.object : value;
}

function dictionaryAt(references: CrossReferences, ref: PDFObject | undefined, what: string): { ref: PDFRef; dict: PDFDict } {
  if (!(ref instanceof PDFRef)) throw malformed(`The ${what} is not an indirect object.`);
  const found = references.object(ref.objectNumber);
  if (!found || !(found.object instanceof PDFDict))
    throw malformed(`The ${what} (object ${ref.objectNumber}) is missing or not a dictionary.`);
  return { ref: PDFRef.of(ref.objectNumber, found.generation), dict: found.object };
}

function arrayItems(references: CrossReferences, value: PDFObject | undefined, what: string): PDFObject[] {
  const array = resolve(references, value);
  if (array === undefined) return [];
  if (!(array instanceof PDFArray)) throw malformed(`The ${what} is not an array.`);
  return array.asArray();
}

function fieldName(references: CrossReferences, field: PDFObject): string | undefined {
  const dict = resolve(references, field);
  const name = dict instanceof PDFDict ? dict.get(PDFName.of('T')) : undefined;
  return name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : undefined;
}

/** Everything the update changes or must check, read through the cross-reference sections. */
function readFormStructure(references: CrossReferences, root: PDFRef): FormStructure {
  const catalog = dictionaryAt(references, root, 'document catalog');
  const pages = dictionaryAt(references, catalog.dict.get(PDFName.of('Pages')), 'page tree');
  if (pages.dict.get(PDFName.of('Type')) !== PDFName.of('Pages')) throw malformed("The catalog's /Pages is not a page tree node.");
  const count = resolve(references, pages.dict.get(PDFName.of('Count')));
  if (!(count instanceof PDFNumber)) throw malformed('The page tree has no /Count.');

  const acroFormValue = catalog.dict.get(PDFName.of('AcroForm'));
  let acroForm: FormStructure['acroForm'];
  if (acroFormValue instanceof PDFRef) {
    const { ref, dict } = dictionaryAt(references, acroFormValue, 'form (/AcroForm)');
    acroForm = { ref, dict, fields: [] };
  } else if (acroFormValue instanceof PDFDict) {
    acroForm = { dict: acroFormValue, fields: [] };
  }
  if (acroForm) acroForm.fields = arrayItems(references, acroForm.dict.get(PDFName.of('Fields')), "form's /Fields");

  const fieldNames = new Set<string>();
  for (const field of acroForm?.fields ?? []) {
    const name = fieldName(references, field);
    if (name !== undefined) fieldNames.add(name);
  }
  const permissions = resolve(references, catalog.dict.get(PDFName.of('Perms')));
  return {
    catalog,
    pages: { ...pages, kids: arrayItems(references, pages.dict.get(PDFName.of('Kids')), "page tree's /Kids"), count: count.asNumber() },
    acroForm,
    fieldNames,
    certified: permissions instanceof PDFDict && permissions.has(PDFName.of('DocMDP')),
  };
}

function serialize(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

/**
 * The update itself. Throws PdfError 'malformed' or 'encrypted' for a
 * document whose structure it cannot read; the caller then falls back to
 * rewriting the whole file.
 */
export function appendSignatureFields(
  pdf: Buffer,
  fields: { name: string; label: string }[],
  title: string,
): { pdf: Buffer; plan: SignaturePlan } {
  const references = new CrossReferences(pdf);
  const tail = tailOf(references);
  const form = readFormStructure(references, references.section(references.newest).trailer.get(PDFName.of('Root')) as PDFRef);
  if (form.certified) {
    // A certification signature (DocMDP) forbids adding pages at every permission level.
    throw new PdfError('contains_signatures', 'The document carries a certification signature that forbids adding the signatures page.');
  }
  for (const { name } of fields) {
    if (form.fieldNames.has(name)) throw new PdfError('invalid_field', `The document already has a form field named "${name}".`);
  }

  let next = tail.size;
  const objects: IndirectObject[] = [];
  const planned: PlannedSignatureField[] = [];
  const newPages: PDFRef[] = [];
  const { pages } = form;
  for (const page of layoutSignaturePages(fields, title)) {
    const pageNumber = next++;
    const contentNumber = next++;
    const fieldNumbers = page.boxes.map(() => next++);
    newPages.push(PDFRef.of(pageNumber));
    objects.push(
      {
        objectNumber: pageNumber,
        body: Buffer.from(
          signaturePageDictionary(pages.ref.objectNumber, pages.ref.generationNumber, contentNumber, fieldNumbers),
          'latin1',
        ),
      },
      { objectNumber: contentNumber, body: contentStreamObject(page.content) },
    );
    page.boxes.forEach(({ field, rect }, index) => {
      const plannedField = { name: field.name, label: field.label, objectNumber: fieldNumbers[index], pageObjectNumber: pageNumber, rect };
      objects.push({ objectNumber: plannedField.objectNumber, body: Buffer.from(signatureFieldDictionary(plannedField), 'latin1') });
      planned.push(plannedField);
    });
  }

  const context = pages.dict.context;
  pages.dict.set(PDFName.of('Kids'), context.obj([...pages.kids, ...newPages]));
  pages.dict.set(PDFName.of('Count'), PDFNumber.of(pages.count + newPages.length));
  objects.push({ objectNumber: pages.ref.objectNumber, generation: pages.ref.generationNumber, body: serialize(pages.dict) });

  const acroForm = form.acroForm?.dict ?? context.obj({});
  acroForm.set(
    PDFName.of('Fields'),
    context.obj([...(form.acroForm?.fields ?? []), ...planned.map((field) => PDFRef.of(field.objectNumber))]),
  );
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  if (form.acroForm?.ref) {
    objects.push({
      objectNumber: form.acroForm.ref.objectNumber,
      generation: form.acroForm.ref.generationNumber,
      body: serialize(acroForm),
    });
  } else {
    // Later updates (the document timestamp) need the form as an object of its own.
    const acroFormNumber = next++;
    objects.push({ objectNumber: acroFormNumber, body: serialize(acroForm) });
    form.catalog.dict.set(PDFName.of('AcroForm'), PDFRef.of(acroFormNumber));
    objects.push({
      objectNumber: form.catalog.ref.objectNumber,
      generation: form.catalog.ref.generationNumber,
      body: serialize(form.catalog.dict),
    });
  }
  for (let number = tail.size; number < next; number++) {
    // A /Size too small would make our objects replace ones in use; such a file goes the rewriting way.
    const entry = references.lookup(number);
    if (entry && entry.type !== 'free') throw malformed(`The trailer's /Size (${tail.size}) is smaller than the objects in use.`);
  }
  return { pdf: appendIncrementalUpdate(pdf, tail, objects, next).pdf, plan: { fields: planned } };
}
