import { PdfError } from './errors';
import { appendIncrementalUpdate, findObjectOffset, readDocumentTail, readObjectText, type IndirectObject } from './incrementalUpdate';

/**
 * PAdES B-LT: the Document Security Store (ETSI EN 319 142-1, 5.4), added
 * to the catalog in an incremental update. It holds the certificates and
 * revocation data a validator needs years from now, once and shared, and
 * per signature a VRI entry keyed by the upper-case SHA-1 hex of the
 * signature's /Contents naming which of them belong to that signature.
 */

export interface ValidationMaterial {
  /** Upper-case SHA-1 hex of the signature's /Contents. */
  vriKey: string;
  certificates: Buffer[];
  ocspResponses: Buffer[];
  crls: Buffer[];
}

function streamObject(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<< /Length ${bytes.length} >>\nstream\n`, 'latin1'), bytes, Buffer.from('\nendstream', 'latin1')]);
}

/** `n g R` from the trailer's /Root. */
export function parseReference(reference: string): { objectNumber: number; generation: number } {
  const match = /^(\d+)\s+(\d+)\s+R$/.exec(reference.trim());
  if (!match) throw new PdfError('malformed', `"${reference}" is not an object reference.`);
  return { objectNumber: Number(match[1]), generation: Number(match[2]) };
}

/** The dictionary of an object, without `n g obj` (small dictionary objects only). */
export function readDictionary(pdf: Buffer, objectNumber: number): string {
  const tail = readDocumentTail(pdf);
  const offset = findObjectOffset(pdf, tail, objectNumber);
  if (offset === undefined) throw new PdfError('malformed', `Object ${objectNumber} is not in the document.`);
  const text = readObjectText(pdf, offset, objectNumber)
    .replace(/^\s*\d+\s+\d+\s+obj\s*/, '')
    .trim();
  if (!text.startsWith('<<') || !text.endsWith('>>')) throw new PdfError('malformed', `Object ${objectNumber} is not a dictionary.`);
  return text;
}

export function addDocumentSecurityStore(pdf: Buffer, material: ValidationMaterial[]): Buffer {
  const tail = readDocumentTail(pdf);
  const root = parseReference(tail.root);
  const catalog = readDictionary(pdf, root.objectNumber);

  let next = tail.size;
  const objects: IndirectObject[] = [];
  const pooled = new Map<string, number>();
  const reference = (bytes: Buffer): string => {
    const key = bytes.toString('base64');
    let number = pooled.get(key);
    if (number === undefined) {
      number = next++;
      pooled.set(key, number);
      objects.push({ objectNumber: number, body: streamObject(bytes) });
    }
    return `${number} 0 R`;
  };
  const array = (items: Buffer[]) => `[${items.map(reference).join(' ')}]`;

  const vri = material.map((entry) => {
    if (!/^[0-9A-F]{40}$/.test(entry.vriKey)) throw new Error('a VRI key is the upper-case SHA-1 hex of /Contents');
    const parts = [`/Cert ${array(entry.certificates)}`];
    if (entry.ocspResponses.length) parts.push(`/OCSP ${array(entry.ocspResponses)}`);
    if (entry.crls.length) parts.push(`/CRL ${array(entry.crls)}`);
    return `/${entry.vriKey} << ${parts.join(' ')} >>`;
  });
  // The DSS-wide arrays name each stream once, however many signatures share it.
  const all = (pick: (entry: ValidationMaterial) => Buffer[]) => {
    const seen = new Set<string>();
    return material.flatMap(pick).filter((bytes) => {
      const key = bytes.toString('base64');
      return !seen.has(key) && Boolean(seen.add(key));
    });
  };
  const dssNumber = next++;
  const dss = [`/Certs ${array(all((entry) => entry.certificates))}`];
  if (all((entry) => entry.ocspResponses).length) dss.push(`/OCSPs ${array(all((entry) => entry.ocspResponses))}`);
  if (all((entry) => entry.crls).length) dss.push(`/CRLs ${array(all((entry) => entry.crls))}`);
  dss.push(`/VRI << ${vri.join(' ')} >>`);
  objects.push({ objectNumber: dssNumber, body: Buffer.from(`<< /Type /DSS ${dss.join(' ')} >>`, 'latin1') });

  // The catalog again, now naming the DSS (an earlier DSS is replaced: each one is complete for the document as it is).
  const withoutDss = catalog.replace(/\/DSS\s+\d+\s+\d+\s+R/, '');
  const newCatalog = `${withoutDss.slice(0, -2).trimEnd()} /DSS ${dssNumber} 0 R >>`;
  objects.push({ objectNumber: root.objectNumber, generation: root.generation, body: Buffer.from(newCatalog, 'latin1') });
  return appendIncrementalUpdate(pdf, tail, objects, next).pdf;
}
