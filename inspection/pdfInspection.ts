import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LRUCache } from 'lru-cache';
import { loadConfig, type PdfLimits } from '../config/config';
import { PdfError } from '../signing/errors';
import { inspectTallied, type PdfInspection } from './inspectPdfWithin';
import type { InspectionReply, InspectionRequest } from './pdfInspectionThread';
import { tallyStreams } from './streamBudget';
import { warmUpDocument } from './warmUpDocument';

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

  /** Starts a thread and has it read a document that takes every path an upload takes, so the first upload finds it warm. */
  async warm(limits: PdfLimits): Promise<void> {
    this.limits ??= limits;
    if (this.idle.length + this.busy.size > 0) return;
    await this.inspect(warmUpDocument(), limits).catch(() => undefined);
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

/** Starts an inspection thread ahead of the first large upload (it takes a moment to load); resolves once it has answered. */
export function warmPdfInspection(): Promise<void> {
  return pool.warm(pdfLimits());
}

/**
 * A document this small, whose streams inflate to this little and which holds
 * this few objects, is inspected where it arrives: its worst case is a
 * millisecond or two of work, less than the hop to the thread, which on a
 * busy machine waits for a core (tens of ms). Anything past one of these
 * bounds goes to the thread under the full limits; nothing is refused for
 * passing them.
 */
export const IN_PLACE_BOUNDS = { maxBytes: 64 * 1024, maxInflatedBytes: 1024 * 1024, maxObjects: 1_000 };

async function inspectInPlace(bytes: Uint8Array, limits: PdfLimits): Promise<PdfInspection | undefined> {
  if (bytes.length > IN_PLACE_BOUNDS.maxBytes) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inflated = Math.min(limits.maxInflatedBytes, IN_PLACE_BOUNDS.maxInflatedBytes);
  const bounds = {
    maxInflatedBytes: inflated,
    maxObjectStreamBytes: Math.min(limits.maxObjectStreamBytes, inflated),
    maxObjects: Math.min(limits.maxObjects, IN_PLACE_BOUNDS.maxObjects),
  };
  try {
    await tallyStreams(buffer, bounds);
  } catch (error) {
    // Past the in-place bounds (or a filter only the thread judges): the thread decides under the real limits.
    if (error instanceof PdfError && error.code === 'too_complex') return undefined;
    throw error;
  }
  return inspectTallied(buffer, limits);
}

/** Is this a readable, unencrypted, passive PDF within the limits, and what are its pages? */
export async function inspectUpload(bytes: Uint8Array, limits: PdfLimits = pdfLimits()): Promise<PdfInspection> {
  const key = `${createHash('sha256').update(bytes).digest('hex')}:${JSON.stringify(limits)}`;
  const known = inspected.get(key);
  if (known) return known;
  const inspection = (await inspectInPlace(bytes, limits)) ?? (await pool.inspect(bytes, limits));
  inspected.set(key, inspection);
  return inspection;
}
