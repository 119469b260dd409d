import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LRUCache } from 'lru-cache';
import { loadConfig, type PdfLimits } from '../config/config';
import { PdfError } from '../signing/errors';
import type { PdfInspection } from './inspectPdfWithin';
import type { InspectionReply, InspectionRequest } from './pdfInspectionThread';

/**
 * Upload inspection off the event loop. PDFs are parsed in worker threads
 * with their own heap limit (`resourceLimits`) and a time limit; a thread that
 * runs out of either is terminated and replaced, and the upload is refused
 * with a 422 (PdfError 'too_complex'). The API keeps answering meanwhile.
 *
 * Versions never change, so an inspection is remembered by the document's
 * SHA-256: a signer page that asks for the page count again does not parse
 * the document again.
 */

const THREAD_ENTRY = path.join(__dirname, `pdfInspectionThread${path.extname(__filename)}`);

interface Pending {
  resolve(inspection: PdfInspection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}
interface Task {
  request: InspectionRequest;
  pending: Pending;
}

class InspectionThread {
  readonly worker: Worker;
  current?: Task;
  private gone = false;

  constructor(
    limits: PdfLimits,
    private readonly onGone: (thread: InspectionThread) => void,
  ) {
    const resourceLimits = { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 };
    // Under tsx or ts-jest the thread compiles TypeScript itself; a built (.js) Sinetti loads the file directly.
    this.worker = THREAD_ENTRY.endsWith('.ts')
      ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(THREAD_ENTRY)});`, {
          eval: true,
          execArgv: [],
          resourceLimits,
        })
      : new Worker(THREAD_ENTRY, { resourceLimits });
    this.worker.unref(); // an idle inspector never keeps a process alive
    this.worker.on('message', (reply: InspectionReply) => {
      const task = this.current;
      if (!task || task.request.id !== reply.id) return;
      this.current = undefined;
      clearTimeout(task.pending.timer);
      if ('inspection' in reply) task.pending.resolve(reply.inspection);
      else task.pending.reject(new PdfError(reply.error.code, reply.error.message));
      pool.next(this);
    });
    this.worker.on('error', (error: Error & { code?: string }) =>
      this.fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new PdfError(
              'too_complex',
              `The PDF document needs more memory to read than Sinetti allows (${limits.memoryMb} MB). Save it again as a simpler PDF or split it.`,
              { cause: error },
            )
          : // Not the document's fault (the thread could not start, say): a server error, not a 422.
            new Error(`PDF inspection failed: ${error.message}`, { cause: error }),
      ),
    );
    this.worker.on('exit', () => this.fail(new Error('The PDF inspection thread stopped.')));
  }

  run(task: Task): void {
    this.current = task;
    this.worker.ref();
    this.worker.postMessage(task.request, [task.request.bytes.buffer as ArrayBuffer]);
  }

  fail(error: Error): void {
    if (this.gone) return;
    this.gone = true;
    const task = this.current;
    this.current = undefined;
    if (task) {
      clearTimeout(task.pending.timer);
      task.pending.reject(error);
    }
    void this.worker.terminate();
    this.onGone(this);
  }
}

class InspectionPool {
  private readonly idle: InspectionThread[] = [];
  private readonly busy = new Set<InspectionThread>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private limits?: PdfLimits;

  constructor(private readonly size: number) {}

  inspect(bytes: Uint8Array, limits: PdfLimits): Promise<PdfInspection> {
    this.limits = limits;
    // A copy the thread can own: the caller's Buffer may share its memory with others.
    const copy = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      const task: Task = {
        request: { id: this.nextId++, bytes: copy, limits },
        pending: { resolve, reject, timer: undefined as unknown as NodeJS.Timeout },
      };
      this.queue.push(task);
      this.dispatch();
    });
  }

  warm(limits: PdfLimits): void {
    this.limits ??= limits;
    if (this.idle.length + this.busy.size === 0) this.idle.push(this.spawn());
  }

  next(thread: InspectionThread): void {
    this.busy.delete(thread);
    thread.worker.unref();
    this.idle.push(thread);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined);
      if (!thread) return;
      const task = this.queue.shift()!;
      this.busy.add(thread);
      const limits = task.request.limits;
      task.pending.timer = setTimeout(
        () =>
          thread.fail(
            new PdfError(
              'too_complex',
              `The PDF document took longer than ${limits.timeoutMs / 1000} s to inspect; Sinetti does not accept it. Save it again as a simpler PDF or split it.`,
            ),
          ),
        limits.timeoutMs,
      );
      thread.run(task);
    }
  }

  private spawn(): InspectionThread {
    return new InspectionThread(this.limits!, (gone) => {
      this.busy.delete(gone);
      const at = this.idle.indexOf(gone);
      if (at >= 0) this.idle.splice(at, 1);
      this.dispatch();
    });
  }
}

const pool = new InspectionPool(Math.max(1, Math.min(2, os.availableParallelism() - 1)));
const inspected = new LRUCache<string, PdfInspection>({ max: 1000 });
let configuredLimits: PdfLimits | undefined;

/** The limits from the environment (config/config.ts), read once. */
export function pdfLimits(): PdfLimits {
  configuredLimits ??= loadConfig().pdfLimits;
  return configuredLimits;
}

/** Starts an inspection thread ahead of the first upload (it takes a moment to load). */
export function warmPdfInspection(): void {
  pool.warm(pdfLimits());
}

/** Is this a readable, unencrypted, passive PDF within the limits, and what are its pages? */
export async function inspectPdfOffThread(bytes: Uint8Array, limits: PdfLimits = pdfLimits()): Promise<PdfInspection> {
  const key = `${createHash('sha256').update(bytes).digest('hex')}:${JSON.stringify(limits)}`;
  const known = inspected.get(key);
  if (known) return known;
  const inspection = await pool.inspect(bytes, limits);
  inspected.set(key, inspection);
  return inspection;
}
