import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * What changed between two versions of a document, page by page, so a
 * checker reviewing a corrected version sees where to look. Text comes
 * from poppler's pdftotext; the comparison is a plain line diff per page.
 */

const run = promisify(execFile);

export async function pdfPageTexts(pdf: Buffer): Promise<string[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sinetti-text-'));
  try {
    const input = path.join(dir, 'document.pdf');
    await fs.writeFile(input, pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', input, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const pages = stdout.split('\f');
    // pdftotext ends the last page with a form feed too.
    if (pages.length > 1 && pages[pages.length - 1].trim() === '') pages.pop();
    return pages;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface LineChange {
  kind: 'removed' | 'added';
  text: string;
}
export interface PageChange {
  page: number;
  status: 'changed' | 'added' | 'removed';
  lines: LineChange[];
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Lines only in `before` are removed, lines only in `after` added (longest common subsequence). */
export function lineDiff(before: string[], after: string[]): LineChange[] {
  const n = before.length;
  const m = after.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const changes: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      i++;
      j++;
    } else if (common[i + 1][j] >= common[i][j + 1]) changes.push({ kind: 'removed', text: before[i++] });
    else changes.push({ kind: 'added', text: after[j++] });
  }
  while (i < n) changes.push({ kind: 'removed', text: before[i++] });
  while (j < m) changes.push({ kind: 'added', text: after[j++] });
  return changes;
}

/** The pages whose text differs, with the lines that changed; unchanged pages are left out. */
export function pageDiff(before: string[], after: string[]): PageChange[] {
  const changes: PageChange[] = [];
  for (let index = 0; index < Math.max(before.length, after.length); index++) {
    const page = index + 1;
    if (index >= before.length)
      changes.push({ page, status: 'added', lines: lines(after[index]).map((text) => ({ kind: 'added', text })) });
    else if (index >= after.length)
      changes.push({ page, status: 'removed', lines: lines(before[index]).map((text) => ({ kind: 'removed', text })) });
    else {
      const diff = lineDiff(lines(before[index]), lines(after[index]));
      if (diff.length > 0) changes.push({ page, status: 'changed', lines: diff });
    }
  }
  return changes;
}
