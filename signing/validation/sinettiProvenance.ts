import { PDFName, PDFString, type PDFDocument } from 'pdf-lib';
import { findSignatures } from '../pdfSignatures';

/**
 * Which Sinetti process a document came from, readable by any validator:
 * the audit certificate's pages carry the process id and the audit chain's
 * head in the page's private data (/PieceInfo /Sinetti, ISO 32000-1 14.5),
 * so the seal that covers the certificate covers these too. The validation
 * page shows them beside the signatures, and says which signature covers them.
 */

export interface SinettiProvenance {
  processId: string;
  /** The audit chain's head as printed on the certificate: its sequence number and SHA-256. */
  auditChainHead?: { seq: number; sha256: string };
  /** The first signature (by index) whose signed bytes include the certificate; undefined if none does. */
  coveredBySignature?: number;
}

const SAFE = /^[\w.:/-]{1,200}$/;

/** Marks every page of an audit certificate before it is appended to the document. */
export function markAuditCertificatePages(
  document: PDFDocument,
  provenance: { processId: string; chainHead?: { seq: number; hash: string } },
): void {
  if (!SAFE.test(provenance.processId)) return; // ids are ours; anything else is simply not marked
  const fields: Record<string, PDFString> = { ProcessId: PDFString.of(provenance.processId) };
  if (provenance.chainHead && /^[0-9a-f]{64}$/.test(provenance.chainHead.hash))
    fields.AuditChainHead = PDFString.of(`${provenance.chainHead.seq}:${provenance.chainHead.hash}`);
  const { context } = document;
  const pieceInfo = context.obj({ Sinetti: { LastModified: PDFString.fromDate(new Date()), Private: fields } });
  for (const page of document.getPages()) page.node.set(PDFName.of('PieceInfo'), pieceInfo);
}

const MARK = /\/Sinetti\s*<<[^]{0,400}?\/ProcessId\s*\(([\w.:/-]{1,200})\)(?:\s*\/AuditChainHead\s*\((\d+):([0-9a-f]{64})\))?/g;

export function readSinettiProvenance(pdf: Buffer): SinettiProvenance | undefined {
  const text = pdf.toString('latin1');
  const match = [...text.matchAll(MARK)].at(-1);
  if (!match) return undefined;
  const [, processId, seq, sha256] = match;
  const at = match.index;
  const covering = findSignatures(pdf).findIndex((signature) => {
    const [, a, b, c] = signature.byteRange;
    return at < a || (at >= b && at < b + c); // before the hole, or after it within the range
  });
  return {
    processId,
    auditChainHead: seq ? { seq: Number(seq), sha256 } : undefined,
    coveredBySignature: covering === -1 ? undefined : covering,
  };
}
