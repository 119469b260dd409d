import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Real PDFs and real verifiers for the signing tests: pdf-lib to make documents, poppler's pdfsig and qpdf to judge them. */

export function temporaryDirectory(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `sinetti-${prefix}-`));
}

const PARAGRAPH =
  'Kunnanhallitus päätti yksimielisesti hyväksyä esityksen. Pöytäkirja tarkastetaan ja pidetään nähtävänä ' +
  'yleisessä tietoverkossa. Beslutet fattades enhälligt; protokollet justeras och hålls framlagt.';

export async function makeTextPdf(pageCount: number, title = 'Pöytäkirja'): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setTitle(title);
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let index = 0; index < pageCount; index++) {
    const page = document.addPage([595.28, 841.89]);
    page.drawText(`${title} – sivu ${index + 1}/${pageCount}`, { x: 56, y: 780, size: 16, font });
    for (let line = 0; line < 30; line++) {
      page.drawText(PARAGRAPH.slice((line * 7) % 60, ((line * 7) % 60) + 80), { x: 56, y: 740 - line * 20, size: 10, font });
    }
  }
  return document.save();
}

export interface PdfsigSignature {
  fieldName: string;
  commonName: string;
  subFilter: string;
  validation: string;
  totalDocumentSigned: boolean;
}

export function writeTemporaryPdf(bytes: Uint8Array, name = 'document.pdf'): string {
  const file = path.join(temporaryDirectory('pdf'), name);
  writeFileSync(file, bytes);
  return file;
}

/** Runs pdfsig and parses its report: one entry per filled signature field, in document order (empty fields are left out). */
export function pdfsig(bytes: Uint8Array): PdfsigSignature[] {
  const result = spawnSync('pdfsig', [writeTemporaryPdf(bytes)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const value = (label: string) => new RegExp(`- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        fieldName: value('Signature Field Name'),
        commonName: value('Signer Certificate Common Name'),
        subFilter: value('Signature Type'),
        validation: value('Signature Validation'),
        totalDocumentSigned: /^\s*- Total document signed$/m.test(block),
      };
    })
    .filter((signature) => signature.subFilter !== '');
}

export function qpdfCheck(bytes: Uint8Array): { ok: boolean; output: string } {
  const result = spawnSync('qpdf', ['--check', writeTemporaryPdf(bytes)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  // qpdf exits 0 when clean, 3 for warnings, 2 for errors.
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

export function pdfText(bytes: Uint8Array, page: number): string {
  const result = spawnSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', writeTemporaryPdf(bytes), '-'], {
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return result.stdout;
}

export function encryptWithQpdf(bytes: Uint8Array): Buffer {
  const input = writeTemporaryPdf(bytes, 'plain.pdf');
  const output = path.join(path.dirname(input), 'encrypted.pdf');
  const result = spawnSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', input, output], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`qpdf --encrypt failed: ${result.stderr}`);
  return readFileSync(output);
}
