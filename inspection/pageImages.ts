import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LRUCache } from 'lru-cache';
import { loadConfig } from '../config/config';

/**
 * Page images for people's pages, drawn by Poppler's pdftoppm, bounded: each
 * drawing is killed after a time limit (a content-stream bomb once took
 * 6–22 s a page with both cores pinned), only a few run at once (the rest
 * wait their turn), and drawn pages are kept in a cache by document hash and
 * page, so reloading a page or many signers reading one document draw it once.
 */

const run = promisify(execFile);
const CACHE_BYTES = 64 * 1024 * 1024;

const cache = new LRUCache<string, Buffer>({ maxSize: CACHE_BYTES, sizeCalculation: (png) => Math.max(1, png.length) });
const drawing = new Map<string, Promise<Buffer | undefined>>();
let settings: { timeoutMs: number; concurrency: number } | undefined;
let running = 0;
const waiting: (() => void)[] = [];

async function turn<T>(work: () => Promise<T>): Promise<T> {
  settings ??= loadConfig().pageRendering;
  if (running >= settings.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The page (1-based) as a PNG at 96 dpi; undefined when the page does not exist or cannot be drawn in time. */
export async function renderPageImage(pdf: Buffer, page: number): Promise<Buffer | undefined> {
  const key = `${createHash('sha256').update(pdf).digest('hex')}:${page}`;
  const cached = cache.get(key);
  if (cached) return cached;
  // Two requests for the same page share one drawing.
  let pending = drawing.get(key);
  if (!pending) {
    pending = turn(() => draw(pdf, page)).finally(() => drawing.delete(key));
    drawing.set(key, pending);
  }
  const png = await pending;
  if (png) cache.set(key, png);
  return png;
}

async function draw(pdf: Buffer, page: number): Promise<Buffer | undefined> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sinetti-page-'));
  try {
    const input = path.join(dir, 'document.pdf');
    await fs.writeFile(input, pdf, { mode: 0o600 });
    await run('pdftoppm', ['-png', '-r', '96', '-f', String(page), '-l', String(page), '-singlefile', input, path.join(dir, 'page')], {
      timeout: settings!.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 1024 * 1024,
    });
    return await fs.readFile(path.join(dir, 'page.png'));
  } catch {
    return undefined;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** For tests: how many drawings run now. */
export function pageImagesDrawing(): number {
  return running;
}
