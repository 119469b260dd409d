import fs from 'node:fs';
import { Readable } from 'node:stream';

/**
 * The registry's command line for letter batches, over the API:
 *
 *   npm run letters -- send letters.csv --document <versionId> [--title <title>]
 *   npm run letters -- send letters.csv --template <templateId>
 *   npm run letters -- progress <batchId>
 *
 * "send" streams the CSV to the API and then follows the batch like
 * "progress": one line, rewritten every second, until the report is ready.
 * SINETTI_API_URL (default http://127.0.0.1:3000) and SINETTI_TOKEN (a
 * registry token, default the development one) say where and who.
 */

const API = (process.env.SINETTI_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const AUTH = { Authorization: `Bearer ${process.env.SINETTI_TOKEN ?? 'dev-registry-token'}` };

interface Progress {
  total: number;
  processed: number;
  percent: number;
  status: string;
  reportReady: boolean;
  report?: string;
  byStatus: Record<string, number>;
  byChannel: Record<string, number>;
  costCents: number;
  paperCostCents: number;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function fail(response: Response): Promise<never> {
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  throw new Error(`${response.status}: ${body.message ?? response.statusText}`);
}

/** The progress as one line: a bar, counts per channel and status, and the pace since this command started. */
export function progressLine(progress: Progress, elapsedMs: number, processedAtStart: number): string {
  const width = 30;
  const filled = Math.round((width * progress.percent) / 100);
  const rate = elapsedMs > 0 ? ((progress.processed - processedAtStart) * 1000) / elapsedMs : 0;
  const other = Object.entries(progress.byStatus).filter(
    ([status]) => !['created', 'sent', 'read', 'receipt_confirmed', 'delivered', 'unconfirmed'].includes(status),
  );
  return [
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.processed.toLocaleString('fi-FI')}/${progress.total.toLocaleString('fi-FI')} (${progress.percent} %)`,
    `electronic ${progress.byChannel.electronic ?? 0}, paper ${progress.byChannel.paper ?? 0}`,
    ...other.map(([status, n]) => `${status} ${n}`),
    `${(progress.costCents / 100).toFixed(2)} € (all paper ${(progress.paperCostCents / 100).toFixed(2)} €)`,
    `${rate.toFixed(0)} letters/s`,
  ].join(' · ');
}

async function follow(batchId: string): Promise<void> {
  const started = Date.now();
  let processedAtStart: number | undefined;
  const tty = process.stdout.isTTY;
  for (;;) {
    const response = await fetch(`${API}/api/letter-batches/${encodeURIComponent(batchId)}`, { headers: AUTH });
    if (!response.ok) await fail(response);
    const progress = (await response.json()) as Progress;
    processedAtStart ??= progress.processed;
    const line = progressLine(progress, Date.now() - started, processedAtStart);
    process.stdout.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    if (progress.reportReady) {
      process.stdout.write(`${tty ? '\n' : ''}Report: ${API}${progress.report}\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function send(file: string, args: string[]): Promise<void> {
  const query = new URLSearchParams();
  const document = option(args, 'document');
  const template = option(args, 'template');
  const title = option(args, 'title');
  if (document) query.set('documentVersionId', document);
  if (template) query.set('templateId', template);
  if (title) query.set('title', title);
  const response = await fetch(`${API}/api/letter-batches?${query}`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'text/csv' },
    body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (response.status !== 202) await fail(response);
  const { batchId, rows } = (await response.json()) as { batchId: string; rows: number };
  process.stdout.write(`Batch ${batchId}: ${rows} letters\n`);
  await follow(batchId);
}

async function main(): Promise<void> {
  const [command, target, ...rest] = process.argv.slice(2);
  if (command === 'send' && target) return send(target, rest);
  if (command === 'progress' && target) return follow(target);
  process.stderr.write(
    'Usage: npm run letters -- send <file.csv> (--document <versionId> [--title <title>] | --template <templateId>)\n       npm run letters -- progress <batchId>\n',
  );
  process.exitCode = 2;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`\n${(error as Error).message}\n`);
    process.exit(1);
  });
}
