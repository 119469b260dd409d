import { freePort } from '../common/freePort';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { listPage } from '../application/visibilityOrder';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { isPortOpen, type RunningService, startEmbeddedServices, stopServices } from '../scripts/embeddedStack';
import { connectStore, disconnectStore } from '../store/connection';
import { waitForWorkerPolling } from '../scripts/workerPolling';
import { DEFAULT_MAX_CACHED_WORKFLOWS, WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../worker/nodeOptions';
import { rssBytes } from './processStats';
import { percentile } from './contracts';
import { productionWorkerArgs } from './productionWorker';
import { seedingProfile, type StepCost } from './seedProfile';
import { stuckListQueryTimes } from './stuckListQueries';
import { createSeeder, nameWordOf, SEEDED_KINDS, type SeededKind, WAITING_STATUS } from './scaleSeeding';

/**
 * The staff workspace at scale: open processes seeded through the API on an
 * embedded stack of the benchmark's own (own ports and data directory,
 * data/bench-scale, wiped, stopped afterwards), then each role's home page,
 * a filtered list, a search by case number and the admin's stuck list timed
 * with them open, and the processes' worker's RSS. BENCH_SCALE_SIZES
 * (default "1000,10000") are the sizes measured in turn, seeding up to each,
 * so the growth from the first to the last is read off one run.
 * Targets: p95 under 300 ms for the pages and lists, under 1 s for the stuck
 * list; worker RSS under 300 MiB.
 */

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000,10000').split(',').filter(Boolean).map(Number);
/**
 * Seeding stops starting processes this many minutes after the run began (unset: never), and the size reached is
 * measured instead of the one asked for, so a run on a busy machine still ends with figures for what it got to.
 */
const SEED_DEADLINE_MIN = Number(process.env.BENCH_SCALE_SEED_DEADLINE_MIN ?? Infinity);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 30);
const SEED_CONCURRENCY = 8;
/** BENCH_SCALE_CACHE_SIZES: worker cache sizes tried after the sizes above, each seeding BENCH_SCALE_CACHE_TRIAL more processes. */
const CACHE_SIZES = (process.env.BENCH_SCALE_CACHE_SIZES ?? '').split(',').filter(Boolean).map(Number);
/**
 * BENCH_SCALE_ARENA_TRIALS: glibc malloc arena limits (MALLOC_ARENA_MAX; "glibc" for glibc's own, eight per core)
 * tried the same way, after the cache sizes; list them alternating ("glibc,2,glibc,2") so neither always seeds
 * on top of more open processes.
 */
const ARENA_TRIALS = (process.env.BENCH_SCALE_ARENA_TRIALS ?? '').split(',').filter(Boolean);
const CACHE_TRIAL = Number(process.env.BENCH_SCALE_CACHE_TRIAL ?? 400);
const SEED_IN_FLIGHT = Number(process.env.BENCH_SCALE_IN_FLIGHT ?? 50);
const ROOT = path.resolve(__dirname, '..');
const ENV: Record<string, string> = {
  SINETTI_DATA_DIR: path.join(ROOT, 'data', 'bench-scale'),
  TEMPORAL_PORT: '7633',
  TEMPORAL_UI_PORT: '8633',
  FERRETDB_PORT: '27417',
  SMTP_PORT: '1425',
  MAIL_WEB_PORT: '1480',
  SUOMIFI_SIMULATOR_PORT: '9110',
  VTJ_SIMULATOR_PORT: '9111',
  SINETTI_TSA_PORT: '9112',
  SINETTI_OCSP_PORT: '9113',
  SINETTI_CRL_PORT: '9114',
  IDP_PORT: '9115',
  TEMPORAL_TASK_QUEUE: 'bench-scale',
  LOG_LEVEL: 'warn',
  // Every application of the seeding comes from 127.0.0.1.
  RATE_LIMIT_FORMS: '1000000/60',
  SINETTI_PAYLOAD_KEYS: 'bench-1:c2luZXR0aS1iZW5jaC1rZXktbm90LWEtc2VjcmV0LTM=',
};
const MiB = 1024 * 1024;
const RSS_LIMIT_MIB = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `check` every `everyMs` until the returned stop is called; a failed check is tried again next time. */
function watch(check: () => void | Promise<void>, everyMs: number): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      await Promise.resolve()
        .then(check)
        .catch(() => undefined);
      await sleep(everyMs);
    }
  })();
  return () => {
    stopped = true;
  };
}

/** What is timed, as whom, and which store answers it. */
const PROBES: { name: string; path: string; token: string; store: string; targetMs: number; mustContain?: string }[] = [
  { name: "HR's home page", path: '/tyotila', token: 'dev-hr-token', store: 'Temporal visibility (ProcessType)', targetMs: 300 },
  {
    name: "the handler's home page",
    path: '/tyotila',
    token: 'dev-handler-token',
    store: 'Temporal visibility (WaitingFor)',
    targetMs: 300,
  },
  {
    name: "the secretary's home page",
    path: '/tyotila',
    token: 'dev-secretary-token',
    store: 'Temporal visibility (WaitingFor)',
    targetMs: 300,
  },
  {
    name: "the registry's home page",
    path: '/tyotila',
    token: 'dev-registry-token',
    store: 'Temporal visibility (WaitingFor)',
    targetMs: 300,
  },
  {
    name: "the admin's home page",
    path: '/tyotila',
    token: 'dev-admin-token',
    store: 'Temporal visibility (running processes)',
    targetMs: 300,
  },
  {
    name: 'a filtered list (HR, state and due day)',
    path: '/tyotila?status=awaiting_signatures&dueBefore=2099-12-31',
    token: 'dev-hr-token',
    store: 'Temporal visibility (ProcessStatus, WaitingUntil)',
    targetMs: 300,
  },
  {
    name: 'a search by case number',
    // An application's case number, read from visibility once they are seeded.
    path: '/tyotila?caseNumber={caseNumber}',
    token: 'dev-admin-token',
    store: 'Temporal visibility (CaseNumber)',
    targetMs: 300,
    mustContain: '{caseNumber}',
  },
  {
    name: "a search by a person's name (HR and the handler's applicants)",
    path: `/tyotila?name=${encodeURIComponent(`Hakija ${nameWordOf(101)}`)}`,
    token: 'dev-admin-token',
    store: 'Temporal visibility (NameTokens: keyed hashes of the words)',
    targetMs: 300,
    // Application 101's row (its applicant "Hakija Babnen" is the only one of that name).
    mustContain: '/tyotila/prosessit/application-',
  },
  {
    name: "the admin's stuck list",
    path: '/api/admin/stuck',
    token: 'dev-admin-token',
    store: 'Temporal visibility (WaitingUntil, StepSince), then describe for the system-at-work and overdue rows only',
    targetMs: 1000,
  },
];

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const metricsPort = await freePort();
  const log = fs.openSync(path.join(env.SINETTI_DATA_DIR, 'worker.log'), 'a');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...WORKER_ENVIRONMENT,
    ...env,
    SINETTI_SERVICE: 'bench-scale-worker',
    SINETTI_WORKER_ROLE: 'processes',
    WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
  };
  // A trial's empty value leaves the variable unset (glibc's own arena limit).
  for (const [name, value] of Object.entries(childEnv)) if (value === '') delete childEnv[name];
  return spawn(process.execPath, [...WORKER_NODE_FLAGS, ...productionWorkerArgs()], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', log, log],
  });
}

interface WorkerTrial {
  /** What the trial's worker ran with: a cache size, or an arena limit. */
  setting: string;
  processes: number;
  perSecond: number;
  peakRssMiB: number;
  rssAfterMiB: number;
  load: number;
}

interface Measured {
  size: number;
  /** The API's answer to each kind's create request, p50 / p95 ms, over all seeded so far. */
  api: { kind: SeededKind; p50: number; p95: number }[];
  /** Per workflow type, its steps' mean cost per run, from 20 seeded histories. */
  steps: { type: string; costs: StepCost[] }[];
  stuckQueries: { query: string; p50: number; p95: number }[];
  open: number;
  seedSeconds: number;
  workerRssMiB: number;
  load: number;
  probes: { name: string; p50: number; p95: number }[];
}

export async function atScaleBenchmark(): Promise<string> {
  const env = { ...ENV };
  fs.rmSync(env.SINETTI_DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(env.SINETTI_DATA_DIR, { recursive: true });
  for (const port of [env.TEMPORAL_PORT, env.FERRETDB_PORT, env.SMTP_PORT, env.SINETTI_TSA_PORT]) {
    if (await isPortOpen(Number(port))) throw new Error(`Port ${port} is in use; the scale benchmark needs its own services`);
  }
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env.SINETTI_PUBLIC_URL = baseUrl;
  const config = loadConfig({ ...process.env, ...env });
  let services: RunningService[] = [];
  let worker: ChildProcess | undefined;
  const results: Measured[] = [];
  const cacheTrials: WorkerTrial[] = [];
  const arenaTrials: WorkerTrial[] = [];
  try {
    services = await startEmbeddedServices(config);
    await connectStore(config.mongodb.uri);
    const temporal = await connectTemporalClient(config);
    const deps = createApiDeps(config, temporal);
    handler = createApp(deps);
    worker = await startWorker(env);

    // Open at their waiting step: each kind at the step where it waits for a person (or for its recipient).
    const openQuery = `ExecutionStatus = 'Running' AND ProcessStatus IN (${Object.values(WAITING_STATUS)
      .map((status) => `'${status}'`)
      .join(', ')})`;
    const openCount = async () => Number((await temporal.workflow.count(openQuery)).count);
    const seeder = await createSeeder({ baseUrl, messagesSimulatorUrl: config.officialMail.messages.url });
    let seeded = 0;
    const apiMs: [SeededKind, number][] = [];
    const seedStarted = Date.now();
    const seedDeadline = seedStarted + SEED_DEADLINE_MIN * 60_000;
    /** Seeds processes up to number `size` (or the deadline) and waits until every one is at its waiting step. */
    const seedTo = async (size: number) => {
      // At most SEED_IN_FLIGHT processes between their start and their waiting step: more would only queue their
      // activities in Temporal and push their workflows out of the worker's cache, so each next step replays its history.
      let next = seeded;
      let open = await openCount();
      const stopWatching = watch(async () => {
        open = await openCount();
      }, 500);
      try {
        await Promise.all(
          Array.from({ length: SEED_CONCURRENCY }, async () => {
            while (next < size && Date.now() < seedDeadline) {
              if (next - open >= SEED_IN_FLIGHT) {
                await sleep(100);
                continue;
              }
              const i = next++;
              const { kind, ms } = await seeder.seed(i);
              apiMs.push([kind, ms]);
              if (i % 500 === 499)
                console.error(`bench scale: ${i + 1} started, ${open} open, ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`);
            }
          }),
        );
      } finally {
        stopWatching();
      }
      seeded = next;
      for (let n = await openCount(); n < seeded; n = await openCount()) {
        if (worker!.exitCode !== null)
          throw new Error(`The worker exited with ${worker!.exitCode}; see ${env.SINETTI_DATA_DIR}/worker.log`);
        await sleep(1000);
      }
    };
    for (const size of SIZES) {
      if (Date.now() >= seedDeadline) break;
      await seedTo(size);
      const seedSeconds = (Date.now() - seedStarted) / 1000;
      const api = SEEDED_KINDS.map((kind) => {
        const times = apiMs
          .filter(([k]) => k === kind)
          .map(([, t]) => t)
          .sort((x, y) => x - y);
        return { kind, p50: percentile(times, 50), p95: percentile(times, 95) };
      });
      const steps = [];
      for (const type of ['employmentContract', 'formToDecision', 'minutesReview', 'officialLetter']) {
        const ids: string[] = [];
        for await (const execution of temporal.workflow.list({ query: `ProcessType = '${type}'`, pageSize: 20 })) {
          ids.push(execution.workflowId);
          if (ids.length >= 20) break;
        }
        steps.push({ type, costs: await seedingProfile(temporal, ids) });
      }
      const probes = [];
      const [application] = (await listPage(temporal, `ProcessType = 'formToDecision' AND CaseNumber IS NOT NULL`, 1)).rows;
      const caseNumber = String(application?.searchAttributes?.CaseNumber?.[0] ?? 'none');
      for (const probe of PROBES) {
        const probePath = probe.path.replace('{caseNumber}', encodeURIComponent(caseNumber));
        const expected = probe.mustContain?.replace('{caseNumber}', caseNumber);
        const times: number[] = [];
        for (let n = 0; n < SAMPLES; n++) {
          const started = performance.now();
          const response = await fetch(`${baseUrl}${probePath}`, { headers: { Authorization: `Bearer ${probe.token}` } });
          const text = await response.text();
          if (response.status !== 200) throw new Error(`${probePath} as ${probe.token} answered ${response.status}`);
          if (expected && !text.includes(expected)) throw new Error(`${probePath} did not show ${expected}`);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        probes.push({ name: probe.name, p50: percentile(times, 50), p95: percentile(times, 95) });
      }
      const stuckQueries = await stuckListQueryTimes(temporal, SAMPLES);
      results.push({
        size: seeded,
        api,
        steps,
        stuckQueries,
        open: await openCount(),
        seedSeconds,
        workerRssMiB: rssBytes(worker.pid!) / MiB,
        load: os.loadavg()[0],
        probes,
      });
      // Kept beside the stack's data, so a report that fails to render does not lose a long run's figures.
      fs.writeFileSync(path.join(env.SINETTI_DATA_DIR, 'results.json'), JSON.stringify(results, null, 1));
      console.error(`bench scale: ${seeded} open measured`);
    }
    // Worker settings: for each, a fresh worker with it seeds CACHE_TRIAL more processes.
    const trials = [
      ...CACHE_SIZES.map((size) => ({ setting: String(size), env: { WORKER_MAX_CACHED_WORKFLOWS: String(size) }, into: cacheTrials })),
      ...ARENA_TRIALS.map((arenas) => ({
        setting: arenas,
        env: arenas === 'glibc' ? { MALLOC_ARENA_MAX: '' } : { MALLOC_ARENA_MAX: arenas },
        into: arenaTrials,
      })),
    ];
    for (const trial of trials) {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker!.once('exit', resolve));
      worker = await startWorker({ ...env, ...trial.env });
      await waitForWorkerPolling(temporal, config.temporal.namespace, env.TEMPORAL_TASK_QUEUE, { since: new Date(), timeoutMs: 60_000 });
      const from = seeded;
      const started = Date.now();
      let peakRss = 0;
      const pid = worker.pid!;
      const stopSampling = watch(() => {
        peakRss = Math.max(peakRss, rssBytes(pid));
      }, 250);
      try {
        await seedTo(seeded + CACHE_TRIAL);
      } finally {
        stopSampling();
      }
      const seconds = (Date.now() - started) / 1000;
      trial.into.push({
        setting: trial.setting,
        processes: seeded - from,
        perSecond: (seeded - from) / seconds,
        peakRssMiB: peakRss / MiB,
        rssAfterMiB: rssBytes(pid) / MiB,
        load: os.loadavg()[0],
      });
      console.error(`bench scale: worker trial: ${JSON.stringify(trial.into.at(-1))}`);
    }
    deps.close();
    await temporal.connection.close();
  } finally {
    worker?.kill('SIGTERM');
    server.close();
    await disconnectStore().catch(() => undefined);
    await stopServices(services);
  }
  return [
    results.length ? report(results) : '',
    cacheTrials.length ? cacheReport(cacheTrials) : '',
    arenaTrials.length ? arenaReport(arenaTrials) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

const PEER = PROBES.findIndex((probe) => probe.name === "the secretary's home page");

function report(results: Measured[]): string {
  const first = results[0];
  const last = results[results.length - 1];
  const ms = (v: number) => `${Math.round(v)} ms`;
  const verdict = (p95: number, target: number) => (p95 < target ? `< ${target} ms: met` : `< ${target} ms: **not met**`);
  const rows = PROBES.map((probe, i) => {
    const cells = results.map((r) => `${ms(r.probes[i].p50)} / ${ms(r.probes[i].p95)}`);
    const growth = results.length > 1 ? `${(last.probes[i].p95 / first.probes[i].p95).toFixed(2)}×` : '—';
    // The peer: the secretary's home page lists next to nothing, so it is the floor this machine's load sets for any page.
    const peer = `${(last.probes[i].p95 / last.probes[PEER].p95).toFixed(2)}×`;
    return `| ${probe.name} | ${probe.store} | ${cells.join(' | ')} | ${growth} | ${peer} | ${verdict(last.probes[i].p95, probe.targetMs)} |`;
  });
  const rss = results.map((r) => `${r.workerRssMiB.toFixed(0)} MiB`);
  return [
    '## The staff workspace at scale',
    '',
    `\`BENCH_SCALE_SIZES=${SIZES.join(',')}${Number.isFinite(SEED_DEADLINE_MIN) ? ` BENCH_SCALE_SEED_DEADLINE_MIN=${SEED_DEADLINE_MIN}` : ''} npm run bench -- scale\`: open processes created through the API on an embedded stack of the benchmark's own (Temporal dev server on SQLite, FerretDB, MailDev, the trust services; own ports, data/bench-scale), a quarter each of employment contracts waiting for their signers until their deadline, expense-claim applications waiting for a handler's decision, council minutes in their checkers' review until the checking deadline, and official letters in a Suomi.fi mailbox waiting to be read until tracking ends (bench/scaleSeeding.ts; the minutes' draft and the letters' PDF uploaded once and named by each, everything else each process's own), at most ${SEED_CONCURRENCY} requests and ${SEED_IN_FLIGHT} processes short of their waiting step at a time; one processes-worker as production runs it (WORKER_MAX_CACHED_WORKFLOWS ${process.env.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS}). Each page or list fetched ${SAMPLES} times in a row with a development bearer token, with every process open; p50 / p95 per size. Seeded to ${results.map((r) => r.open).join(', then ')} open processes in ${results.map((r) => `${r.seedSeconds.toFixed(0)} s`).join(', ')} (cumulative). Machine load (1-minute average) while measuring: ${results.map((r) => r.load.toFixed(1)).join(', ')}.`,
    '',
    `| What | Answered by | ${results.map((r) => `${r.size} open: p50 / p95`).join(' | ')} | p95 growth | p95 ÷ the secretary's page (largest size) | Target (largest size) |`,
    `|---|---|${results.map(() => '---|').join('')}---|---|---|`,
    ...rows,
    `| processes-worker RSS | — | ${rss.join(' | ')} | ${results.length > 1 ? `${(last.workerRssMiB / first.workerRssMiB).toFixed(2)}×` : '—'} | — | < ${RSS_LIMIT_MIB} MiB: ${last.workerRssMiB < RSS_LIMIT_MIB ? 'met' : '**not met**'} |`,
    '',
    `The stuck list's queries, each timed inside the same parallel round as the list runs them (bench/stuckListQueries.ts), ${SAMPLES} rounds, p50 / p95: ${results
      .map((r) => `at ${r.size}: ${r.stuckQueries.map((q) => `${q.query} ${ms(q.p50)} / ${ms(q.p95)}`).join('; ')}`)
      .join(
        '. ',
      )}. At 1,000 open the last session's p95 of 1,582 ms was the waiting page's window: its lower bound ("now" less 15 minutes) was a new millisecond on every load, so no load found the window the one before had narrowed and each narrowed it again with some twenty counts (p95 1,514 ms for that query alone in this session's first measurement, all the others under 50 ms). The bound is now the whole minute (admin/stuckProcesses.ts, waitingFrom), so a load within the same minute checks the remembered window with one count.`,
    '',
    `Seeding, where a process's time goes (the largest size): the API's answer to each create request, p50 / p95: ${last.api.map((a) => `${a.kind} ${ms(a.p50)} / ${ms(a.p95)}`).join(', ')}. Then, read from 20 seeded histories per type, each step's mean time queued (scheduled → started) and running (started → completed): ${last.steps
      .map(
        (t) =>
          `${t.type}: ${t.costs.map((c) => `${c.step} ×${(c.count / 20).toFixed(1)} ${(c.queuedMs / c.count).toFixed(0)} + ${(c.runMs / c.count).toFixed(0)} ms`).join(', ')}`,
      )
      .join(
        '; ',
      )}. Activities wait for the worker's ${process.env.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 8} activity slots; the machine's two cores are shared by the worker, Temporal, FerretDB, MailDev and the API, so the seeding rate is the CPU's.`,
    '',
    `Every list is a Temporal visibility query over the search attributes (the workspace reads no document-store collection for its lists, so FerretDB never scans for them). Pages hold 50 rows, in WaitingUntil then StepSince order across all rows: SQL visibility cannot ORDER BY a custom attribute, so each page is a window of that attribute narrowed with counts and only that window is fetched (application/visibilityOrder.ts). The stuck list describes only the processes with no wait of a known end (at most 100) and those whose wait has passed, not every candidate. A list's window is remembered between loads and checked with one count, so of the ${SAMPLES} loads of each list the first pays for the narrowing (some twenty counts when the seeded deadlines lie minutes apart, a week out) and the rest do not.`,
  ].join('\n');
}

/** One row per trial worker, in the order run, with ratios against the first. */
function trialTable(settingColumn: string, trials: WorkerTrial[]): string[] {
  const base = trials[0];
  return [
    `| ${settingColumn} | processes/s | × the first | peak RSS while seeding | RSS after | × the first (after) | machine load |`,
    '|---|---|---|---|---|---|---|',
    ...trials.map(
      (t) =>
        `| ${t.setting} | ${t.perSecond.toFixed(2)} | ${(t.perSecond / base.perSecond).toFixed(2)}× | ${t.peakRssMiB.toFixed(0)} MiB | ${t.rssAfterMiB.toFixed(0)} MiB | ${(t.rssAfterMiB / base.rssAfterMiB).toFixed(2)}× | ${t.load.toFixed(1)} |`,
    ),
  ];
}

function cacheReport(trials: WorkerTrial[]): string {
  return [
    "## The processes worker's cache size",
    '',
    `\`BENCH_SCALE_SIZES=${SIZES.join(',')} BENCH_SCALE_CACHE_SIZES=${CACHE_SIZES.join(',')} BENCH_SCALE_CACHE_TRIAL=${CACHE_TRIAL} npm run bench -- scale\`: on the at-scale benchmark's stack, after the sizes above, one fresh processes-worker per cache size (WORKER_MAX_CACHED_WORKFLOWS; flags and everything else as production runs it) seeds ${CACHE_TRIAL} more processes of the four kinds (at most ${SEED_IN_FLIGHT} between their start and their waiting step, as in the seeding above). Throughput: processes brought to their waiting step per second; RSS sampled every 250 ms while seeding, and once the last was waiting. Ratios against the first cache size, measured in the same run.`,
    '',
    ...trialTable('cache size', trials),
  ].join('\n');
}

function arenaReport(trials: WorkerTrial[]): string {
  return [
    "## The processes worker's malloc arenas",
    '',
    `\`BENCH_SCALE_SIZES=${SIZES.join(',')} BENCH_SCALE_ARENA_TRIALS=${ARENA_TRIALS.join(',')} BENCH_SCALE_CACHE_TRIAL=${CACHE_TRIAL} npm run bench -- scale\`: on the at-scale benchmark's stack, after the sizes above, one fresh processes-worker per trial, in the order listed, seeds ${CACHE_TRIAL} more processes of the four kinds, with MALLOC_ARENA_MAX set to the trial's value ("glibc": unset, glibc's own limit of eight arenas per core); everything else as production runs it (worker/nodeOptions.ts). Throughput: processes brought to their waiting step per second; RSS sampled every 250 ms while seeding, and once the last was waiting. Ratios against the first trial, measured in the same run.`,
    '',
    ...trialTable('MALLOC_ARENA_MAX', trials),
  ].join('\n');
}
