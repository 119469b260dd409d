import { freePort } from '../common/freePort';
import { productionWorkerArgs } from './productionWorker';
import { BULK_WORKER_NODE_FLAGS, WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../worker/nodeOptions';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../api/app';
import { AuditLog } from '../audit/auditLog';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { Mailer } from '../mail/mailer';
import { messageEventPollerId } from '../activities/letterActivities';
import { makeIdentityCode } from '../rules/identifiers';
import { isPortOpen, type RunningService, startEmbeddedServices, stopServices } from '../scripts/embeddedStack';
import { connectStore, disconnectStore } from '../store/connection';
import { ChunkedDocumentStore } from '../store/documentStore';
import type { LetterBatchState } from '../workflows/letterBatch';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startWebhookProbe, type WebhookProbe } from './webhookProbe';
import { cpuSecondsOfGroup, rssBytes } from './processStats';

/**
 * A 10,000-letter batch on the embedded stack against the Suomi.fi Messages
 * and population register simulators: the CSV streamed to the API, the
 * batch sent by the workers as production runs them (the processes' worker
 * and the bulk worker, each its own process, RSS sampled), until the final
 * report. Targets: every letter accepted by the simulator within 2 minutes;
 * worker peak RSS under 300 MiB; the dev server answering
 * throughout. Own ports and data directory (data/bench-letters, wiped).
 */

const LETTERS = Number(process.env.BENCH_LETTERS ?? 10_000);
const ROOT = path.resolve(__dirname, '..');
const ENV: Record<string, string> = {
  SINETTI_DATA_DIR: path.join(ROOT, 'data', 'bench-letters'),
  TEMPORAL_PORT: '7533',
  TEMPORAL_UI_PORT: '8533',
  FERRETDB_PORT: '27317',
  SMTP_PORT: '1325',
  MAIL_WEB_PORT: '1380',
  SUOMIFI_SIMULATOR_PORT: '9010',
  VTJ_SIMULATOR_PORT: '9011',
  SUOMIFI_SIMULATOR_EVENT_STEP_MS: '5000',
  LETTER_EVENT_POLL_INTERVAL_MS: '2000',
  LETTER_BATCH_PAGE_SIZE: '250',
  LETTER_BATCH_RATE_PER_SECOND: process.env.BENCH_RATE ?? '250',
  LETTER_BATCH_MAX_ROWS: '20000',
  TEMPORAL_TASK_QUEUE: 'bench-letters',
  LOG_LEVEL: 'warn',
  SINETTI_PAYLOAD_KEYS: 'bench-1:c2luZXR0aS1iZW5jaC1rZXktbm90LWEtc2VjcmV0LTM=',
  WORKER_METRICS_ADDRESS: '127.0.0.1:9574',
  // The development TSA, OCSP responder and CRL, of the benchmark's own CA, apart from npm start's.
  SINETTI_TSA_PORT: '9012',
  SINETTI_OCSP_PORT: '9013',
  SINETTI_CRL_PORT: '9014',
};
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A worker process in one role (worker/main.ts), with that role's production flags (worker/nodeOptions.ts). */
async function startWorker(role: 'processes' | 'bulk', env: Record<string, string>): Promise<ChildProcess> {
  const metricsPort = await freePort();
  // BENCH_CPU_PROF=1: the worker writes a V8 CPU profile (open in Chrome DevTools) when it stops.
  const profile =
    process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'data', 'bench-letters-profile')}`] : [];
  const child = spawn(process.execPath, [...nodeFlagsOf(role), ...profile, ...productionWorkerArgs()], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...WORKER_ENVIRONMENT,
      ...process.env,
      ...env,
      LOG_LEVEL: 'info',
      SINETTI_SERVICE: `${role}-worker`,
      SINETTI_WORKER_ROLE: role,
      // A port of its own each run, as the OS hands it out: another checkout's benchmark may hold a fixed one.
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker started')) resolve(child);
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output.slice(-2000)}`)));
  });
}

function nodeFlagsOf(role: 'processes' | 'bulk'): string[] {
  return role === 'bulk' ? BULK_WORKER_NODE_FLAGS : WORKER_NODE_FLAGS;
}

async function letterPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595.28, 841.89]).drawText('Päätös: kiinteistöveron muutos 2027', { x: 56, y: 780, size: 14, font });
  return Buffer.from(await pdf.save());
}

export interface LetterBatchRunOptions {
  letters?: number;
  /** A Temporal cluster to run against instead of a dev server of the benchmark's own. */
  temporalAddress?: string;
  /** Process groups that make up Temporal, for its CPU (the dev server's own by default). */
  temporalGroups?: () => number[];
}

export interface LetterBatchRun {
  section: string;
  letters: number;
  uploadMs: number;
  /** NaN when not every letter was accepted. */
  acceptedMs: number;
  reportMs: number;
  temporalCpuSeconds: number;
  slowestHealthMs: number;
}

export async function letterBatchBenchmark(): Promise<string> {
  return (await runLetterBatch()).section;
}

export async function runLetterBatch(options: LetterBatchRunOptions = {}): Promise<LetterBatchRun> {
  const letters = options.letters ?? LETTERS;
  const env: Record<string, string> = { ...ENV, ...(options.temporalAddress ? { TEMPORAL_ADDRESS: options.temporalAddress } : {}) };
  if (options.temporalAddress) env.TEMPORAL_TASK_QUEUE = `bench-letters-${Date.now().toString(36)}`;
  const config = loadConfig({ ...process.env, ...env });
  // Services already listening on these ports would be reused and written into (a running stack): refuse, as the contracts benchmark does.
  const ownPorts = [env.FERRETDB_PORT, env.SMTP_PORT, env.MAIL_WEB_PORT, env.SUOMIFI_SIMULATOR_PORT, env.VTJ_SIMULATOR_PORT];
  if (!options.temporalAddress) ownPorts.push(env.TEMPORAL_PORT);
  for (const port of ownPorts) {
    if (await isPortOpen(Number(port))) throw new Error(`Port ${port} is in use; the letters benchmark needs its own services`);
  }
  fs.rmSync(config.dataDir, { recursive: true, force: true });
  const services: RunningService[] = await startEmbeddedServices(config);
  const workers: ChildProcess[] = [];
  let server: http.Server | undefined;
  try {
    await connectStore(config.mongodb.uri);
    const client = await connectTemporalClient(config);
    // As in production: the processes' worker and the bulk worker that sends the batch's pages, each its own process.
    workers.push(await startWorker('processes', env), await startWorker('bulk', env));
    const temporalGroups = options.temporalGroups ?? (() => (services[0].process?.pid ? [services[0].process.pid] : []));
    const [processesPid, bulkPid] = workers.map((w) => w.pid!);
    let peakRss = rssBytes(processesPid);
    let peakBulkRss = rssBytes(bulkPid);

    // The dev server's health: a cheap call every half second, timed.
    const health = { calls: 0, failures: 0, worstMs: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const started = Date.now();
        try {
          await client.workflowService.getSystemInfo({});
        } catch {
          health.failures += 1;
        }
        health.calls += 1;
        health.worstMs = Math.max(health.worstMs, Date.now() - started);
        peakRss = Math.max(peakRss, rssBytes(processesPid));
        peakBulkRss = Math.max(peakBulkRss, rssBytes(bulkPid));
        await sleep(500);
      }
    })();

    const store = new ChunkedDocumentStore(config.maxDocumentBytes);
    const pdf = await store.saveVersion({ key: `bench/${randomUUID()}`, bytes: await letterPdf(), fileName: 'paatos.pdf', kind: 'upload' });
    const app = createApp({ config, store, audit: new AuditLog(), temporal: client, mail: new Mailer(config.smtp.url, config.smtp.from) });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const { port } = server.address() as AddressInfo;

    // BENCH_WEBHOOKS=1: a receiver subscribed to every letter's "accepted" event, timing each from event to arrival.
    const probe: WebhookProbe | undefined =
      process.env.BENCH_WEBHOOKS === '1' ? await startWebhookProbe(`http://127.0.0.1:${port}`, ['letter.accepted']) : undefined;

    const rows = ['recipientId,title'];
    for (let i = 0; i < letters; i++) {
      const year = 1940 + (i % 60);
      rows.push(
        `${makeIdentityCode(`${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, 2 + (Math.floor(i / 336) % 897))},Kiinteistöveropäätös 2027`,
      );
    }
    const csv = rows.join('\n') + '\n';

    // Where the time goes: CPU seconds per process from upload to report (the benchmark's own process holds the API).
    const groups: [string, number][] = [
      ['processes worker', processesPid],
      ['bulk worker', bulkPid],
      ...services.filter((s) => s.process?.pid).map((s) => [s.name, s.process!.pid!] as [string, number]),
    ];
    const cpuBefore = groups.map(([, pid]) => cpuSecondsOfGroup(pid));
    const selfBefore = process.cpuUsage();
    const temporalCpuBefore = temporalGroups().reduce((sum, group) => sum + cpuSecondsOfGroup(group), 0);

    const uploadStarted = Date.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/letter-batches?documentVersionId=${pdf.versionId}`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-registry-token', 'Content-Type': 'text/csv' },
      body: csv,
    });
    if (response.status !== 202) throw new Error(`batch upload: ${response.status} ${await response.text()}`);
    const { batchId } = (await response.json()) as { batchId: string };
    const uploadMs = Date.now() - uploadStarted;

    // A registry clerk with the staff page open: it reloads the batch list with its progress bars every 3 s while a batch runs.
    const watching = { reads: 0, worstMs: 0, totalMs: 0 };
    let watched = false;
    const clerk = (async () => {
      while (!watched) {
        const started = Date.now();
        const list = await fetch(`http://127.0.0.1:${port}/api/letter-batches`, {
          headers: { Authorization: 'Bearer dev-registry-token' },
        });
        if (list.status !== 200) throw new Error(`batch list: ${list.status} ${await list.text()}`);
        await list.json();
        const took = Date.now() - started;
        watching.reads += 1;
        watching.totalMs += took;
        watching.worstMs = Math.max(watching.worstMs, took);
        await sleep(3000);
      }
    })();

    const counters = async () =>
      (await (await fetch(`${config.officialMail.messages.url}/sim/counters?prefix=${batchId}-`)).json()) as {
        posts: number;
        accepted: number;
        distinctExternalIds: number;
        conflicts: number;
      };
    let acceptedMs = NaN;
    const result = client.workflow.getHandle(batchId).result() as Promise<LetterBatchState>;
    let finished = false;
    void result.finally(() => {
      finished = true;
    });
    for (;;) {
      const c = await counters();
      if (c.accepted >= letters || finished) {
        if (c.accepted >= letters) acceptedMs = Date.now() - uploadStarted;
        break;
      }
      await sleep(500);
    }
    const state = await result;
    const reportMs = Date.now() - uploadStarted;
    watched = true;
    await clerk;
    const final = await counters();
    const selfCpu = process.cpuUsage(selfBefore);
    const temporalCpuSeconds = temporalGroups().reduce((sum, group) => sum + cpuSecondsOfGroup(group), 0) - temporalCpuBefore;
    const cpu = [
      ...groups.map(([name, pid], i) => `${name} ${(cpuSecondsOfGroup(pid) - cpuBefore[i]).toFixed(0)} s`),
      `API and benchmark ${((selfCpu.user + selfCpu.system) / 1e6).toFixed(0)} s`,
    ].join(', ');
    const webhooks = probe ? await probe.finish(letters, 300_000) : undefined;
    const description = await client.workflow.getHandle(batchId).describe();
    const historyEvents = description.historyLength;
    const historyBytes = Number(description.raw.workflowExecutionInfo?.historySizeBytes ?? 0);
    sampling = false;
    await sampler;
    await client.workflow
      .getHandle(messageEventPollerId(config.temporal.taskQueue))
      .terminate('benchmark done')
      .catch(() => undefined);
    await client.connection.close();

    const settings = ['BENCH_letters', 'BENCH_RATE', 'BENCH_WEBHOOKS'].filter((name) => process.env[name]);
    const command = `${settings.map((name) => `${name}=${/\s/.test(process.env[name]!) ? `'${process.env[name]}'` : process.env[name]} `).join('')}npm run bench -- letters`;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const ok = (pass: boolean) => (pass ? '✅' : '❌');
    const healthy = health.failures === 0;
    const section = [
      '## Official mail: a letter batch',
      '',
      `\`${command}\`: ${letters.toLocaleString('en')} letters as one CSV through the API, against the Suomi.fi Messages and population register simulators on the embedded stack; two worker processes as in production: the processes' worker (${WORKER_NODE_FLAGS.join(' ')}) and the bulk worker that sends the pages (${BULK_WORKER_NODE_FLAGS.join(' ')}); batch page ${config.officialMail.batch.pageSize} letters, rate limit ${config.officialMail.batch.ratePerSecond} letters/s.`,
      '',
      '| measure | value | target |',
      '| --- | --- | --- |',
      `| CSV upload, checked and stored | ${seconds(uploadMs)} s | |`,
      `| all letters accepted by the simulator | ${Number.isNaN(acceptedMs) ? 'not all' : `${seconds(acceptedMs)} s`} | < 120 s ${ok(acceptedMs < 120_000)} |`,
      `| letters per second (to all accepted) | ${Number.isNaN(acceptedMs) ? '–' : (letters / (acceptedMs / 1000)).toFixed(0)} | |`,
      `| time to the final report | ${seconds(reportMs)} s | |`,
      `| simulator: POSTs / distinct externalIds / accepted / 409s | ${final.posts} / ${final.distinctExternalIds} / ${final.accepted} / ${final.conflicts} | accepted = letters ${ok(final.accepted === letters)} |`,
      `| report: electronic / paper / no channel / failed | ${state.totals.electronic} / ${state.totals.paper} / ${state.totals.noChannel} / ${state.totals.failed + state.totals.rejected} | |`,
      `| cost / all-paper cost | ${(state.totals.costCents / 100).toFixed(2)} € / ${(state.totals.paperCostCents / 100).toFixed(2)} € | |`,
      `| worker peak RSS: processes / bulk | ${(peakRss / MiB).toFixed(0)} MiB / ${(peakBulkRss / MiB).toFixed(0)} MiB | each < 300 MiB ${ok(Math.max(peakRss, peakBulkRss) < 300 * MiB)} |`,
      `| batch workflow history | ${historyEvents} events, ${(historyBytes / 1024).toFixed(0)} KiB | |`,
      `| CPU from upload to report | ${cpu} (of ${((os.cpus().length * reportMs) / 1000).toFixed(0)} core-s) | |`,
      `| batch list with progress, as the registry page reloads it every 3 s | ${watching.reads} reads, mean ${(watching.totalMs / Math.max(1, watching.reads)).toFixed(0)} ms, slowest ${watching.worstMs} ms | |`,
      ...(webhooks
        ? [
            `| webhooks (letter.accepted) received, each id once | ${webhooks.received} of ${letters} (${webhooks.duplicates} repeats refused by id) | all ${ok(webhooks.received === letters)} |`,
            `| webhook throughput while the batch runs | ${webhooks.perSecond.toFixed(0)} /s | |`,
            `| webhook delay, event to receiver: median / p99 / max | ${seconds(webhooks.p50Ms)} s / ${seconds(webhooks.p99Ms)} s / ${seconds(webhooks.maxMs)} s | |`,
          ]
        : []),
      `| Temporal health (GetSystemInfo every 0.5 s) | ${health.calls - health.failures}/${health.calls} answered, slowest ${health.worstMs} ms | all answered ${ok(healthy)} |`,
      '',
    ].join('\n');
    return { section, letters, uploadMs, acceptedMs, reportMs, temporalCpuSeconds, slowestHealthMs: health.worstMs };
  } finally {
    server?.close();
    await Promise.all(
      workers
        .filter((w) => w.pid && w.exitCode === null)
        .map(async (worker) => {
          const exited = new Promise((r) => worker.once('exit', r));
          try {
            process.kill(-worker.pid!, 'SIGTERM');
          } catch {
            /* gone */
          }
          await Promise.race([exited, sleep(process.env.BENCH_CPU_PROF === '1' ? 20_000 : 2000)]);
          try {
            process.kill(-worker.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
        }),
    );
    await disconnectStore().catch(() => undefined);
    await stopServices(services);
  }
}
