import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import type SuperagentResponse from 'superagent/lib/node/response';

const run = promisify(execFile);

/** Runs poppler's pdfsig on the bytes and returns its report (pdfsig exits non-zero on invalid signatures). */
export async function pdfsig(bytes: Buffer): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-pdfsig-')), 'doc.pdf');
  fs.writeFileSync(file, bytes);
  try {
    const { stdout } = await run('pdfsig', [file]);
    return stdout;
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? String(error);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export async function qpdfCheck(bytes: Buffer): Promise<{ ok: boolean; output: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-qpdf-')), 'doc.pdf');
  fs.writeFileSync(file, bytes);
  try {
    const { stdout } = await run('qpdf', ['--check', file]);
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/**
 * Counts pdfsig's CMS signatures and their "Signature is Valid" lines, and
 * whether the last block covers the whole file. A PAdES document timestamp
 * (ETSI.RFC3161), which Debian's poppler 22 lists as "Signature Type:
 * unknown" and "not yet been verified", is not counted as a signature, but
 * as the last block it is the one that covers the whole file.
 */
export function summarisePdfsig(report: string): { signatures: number; valid: number; lastCoversWholeDocument: boolean } {
  const blocks = report.split(/^Signature #\d+:/m).slice(1);
  const signatures = blocks.filter((b) => !/Signature Type: unknown/.test(b) || !/Field Name: document-timestamp-/.test(b));
  return {
    signatures: signatures.length,
    valid: signatures.filter((b) => /Signature Validation: Signature is Valid/.test(b)).length,
    lastCoversWholeDocument: blocks.length > 0 && /Total document signed/.test(blocks[blocks.length - 1]),
  };
}

/** Poppler's pdftotext of the bytes, as UTF-8. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-pdftotext-')), 'doc.pdf');
  fs.writeFileSync(file, bytes);
  try {
    return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** A supertest parser that keeps the body as bytes: `.buffer(true).parse(bytesOf)`. */
export function bytesOf(res: SuperagentResponse, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
