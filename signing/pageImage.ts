import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Poppler's pdftoppm draws the page; undefined when the page does not exist. */
export async function renderPage(pdf: Buffer, page: number): Promise<Buffer | undefined> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sinetti-page-'));
  try {
    const input = path.join(dir, 'document.pdf');
    await fs.writeFile(input, pdf);
    await run('pdftoppm', ['-png', '-r', '96', '-f', String(page), '-l', String(page), '-singlefile', input, path.join(dir, 'page')]);
    return await fs.readFile(path.join(dir, 'page.png'));
  } catch {
    return undefined;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
