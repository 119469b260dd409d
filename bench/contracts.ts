import { freePort } from '../common/freePort';
import { sealingTimeline, type SealingTimeline } from './contractTimeline';
import { cpuSecondsOfGroup, rssBytes, rssBytesOfGroup } from './processStats';
import { productionWorkerArgs } from './productionWorker';
import { WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../worker/nodeOptions';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/apiDeps';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import {
  isPortOpen,
  type RunningService,
  startFerretDb,
  startMailDev,
  startTemporalDevServer,
  startTrustServices,
  stopServices,
} from '../scripts/embeddedStack';
import { connectStore, disconnectStore } from '../store/connection';
import type { EmploymentContractState } from '../workflows/employmentContract';

/**
 * Employment contracts on the embedded stack, end to end: 200 contracts
 * started at once through the API, then both signers of each sign through
 * their signing pages (links read from the real SMTP inbox). The worker runs
 * as its own process, as in production, and its RSS is sampled. Targets:
 * p99 from the last signature to the sealed PDF stored under 1 s; worker
 * RSS under 300 MiB. The last signatures are timed twice over: arriving at
 * a steady rate, and saturating the stack, since a latency target only
 * means something next to the load it was measured under.
 *
 * Own ports and data directory (data/bench, wiped first), so neither
 * `npm start` nor the test stack is touched.
 */

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 200);
/** How many signers press "sign" at the same moment while the signing phases run. */
const SIGN_CONCURRENCY = Number(process.env.BENCH_SIGN_CONCURRENCY ?? 10);
/** How many last signatures arrive per second in the steady half. */
const PACED_PER_SECOND = Number(process.env.BENCH_PACED_PER_SECOND ?? 2);
const ROOT = path.resolve(__dirname, '..');
const ENV: Record<string, string> = {
  SINETTI_DATA_DIR: path.join(ROOT, 'data', 'bench'),
  TEMPORAL_PORT: '7433',
  TEMPORAL_UI_PORT: '8433',
  FERRETDB_PORT: '27217',
  SMTP_PORT: '1225',
  MAIL_WEB_PORT: '1280',
  TEMPORAL_TASK_QUEUE: 'bench-contracts',
  LOG_LEVEL: 'warn',
  SINETTI_PAYLOAD_KEYS: 'bench-1:c2luZXR0aS1iZW5jaC1rZXktbm90LWEtc2VjcmV0LTM=',
  WORKER_METRICS_ADDRESS: '127.0.0.1:9474',
  // Official mail's simulators are not used here; keep their clients off the development ports.
  SUOMIFI_SIMULATOR_PORT: '8920',
  VTJ_SIMULATOR_PORT: '8921',
  // The development TSA, OCSP responder and CRL that sealing needs, of the benchmark's own CA in its data directory.
  SINETTI_TSA_PORT: '8922',
  SINETTI_OCSP_PORT: '8923',
  SINETTI_CRL_PORT: '8924',
};
const MiB = 1024 * 1024;
/** One unit (MiB) and one limit for the worker's memory, in the check and in what it prints. */
const WORKER_RSS_LIMIT_MIB = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `work` for every item with at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

export function contractBody(i: number) {
  return {
    language: 'fi',
    terms: {
      employer: { name: 'Esimerkkilän kunta', address: 'Kunnantie 1, 99999 Esimerkkilä', businessId: '0116297-6' },
      employee: { name: `Sijainen ${i}`, address: `Kotikatu ${i}, 99999 Esimerkkilä` },
      startDate: '2027-01-04',
      endDate: '2027-01-29',
      fixedTermReason: 'Sijaisuus',
      placeOfWork: 'Esimerkkilän koulu',
      duties: 'Luokanopettajan sijaisuus',
      payBasis: 'OVTES',
      payPeriod: 'Kuukausi',
      workingHours: '24 oppituntia viikossa',
      annualLeave: 'Vuosilomalain mukaan',
      noticePeriod: 'Ei irtisanomisaikaa',
      collectiveAgreement: 'OVTES',
    },
    signers: [
      { role: 'employee', name: `Sijainen ${i}`, email: `employee-${i}@bench.test` },
      { role: 'employer', name: 'Erkki Esimies', email: `employer-${i}@bench.test` },
    ],
    hr: { email: 'hr@bench.test' },
    maxReminders: 0,
  };
}

interface InboxMail {
  to: { address: string }[];
  subject: string;
  text: string;
}

/** Waits until every address has mail whose subject starts with `subjectPrefix`, and returns the link in it. */
async function linksFor(mailWebPort: number, addresses: string[], subjectPrefix: string, timeoutMs: number): Promise<Map<string, string>> {
  const wanted = new Set(addresses);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await (await fetch(`http://127.0.0.1:${mailWebPort}/email`)).json()) as InboxMail[];
    const links = new Map<string, string>();
    for (const mail of mails) {
      const address = mail.to[0]?.address;
      const link = /\/s\/([A-Za-z0-9_-]+)\?lang=/.exec(mail.text)?.[1];
      if (address && wanted.has(address) && link && mail.subject.startsWith(subjectPrefix)) links.set(address, link);
    }
    if (links.size === wanted.size) return links;
    if (Date.now() > until) throw new Error(`Only ${links.size}/${wanted.size} "${subjectPrefix}" mails arrived`);
    await sleep(500);
  }
}

/** Opens the signing page, then presses "sign"; `pressed` is called at the press. */
async function signThroughPage(baseUrl: string, token: string, name: string, pressed: () => void = () => undefined): Promise<void> {
  const page = await fetch(`${baseUrl}/s/${token}?lang=fi`);
  const documentSha256 = /name="documentSha256" value="([0-9a-f]{64})"/.exec(await page.text())?.[1];
  if (!documentSha256) throw new Error(`Signing page answered ${page.status} without a document`);
  pressed();
  const signed = await fetch(`${baseUrl}/s/${token}/sign?lang=fi`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ documentSha256, consent: 'yes', typedName: name }).toString(),
  });
  if (signed.status !== 303) throw new Error(`Signing answered ${signed.status}`);
}

async function startWorker(env: Record<string, string>, n: number): Promise<ChildProcess> {
  const metricsPort = await freePort();
  const log = fs.openSync(path.join(env.SINETTI_DATA_DIR, `worker-${n}.log`), 'a');
  // E.g. BENCH_WORKER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/profiles" to see where the worker's time goes.
  const flags = process.env.BENCH_WORKER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return spawn(process.execPath, [...WORKER_NODE_FLAGS, ...flags, ...productionWorkerArgs()], {
    // As production runs it: the processes' worker (batch sending has a worker of its own, idle here).
    cwd: ROOT,
    env: {
      ...WORKER_ENVIRONMENT,
      ...process.env,
      ...env,
      SINETTI_SERVICE: `bench-worker-${n}`,
      SINETTI_WORKER_ROLE: 'processes',
      // A port of its own each run, as the OS hands it out: another checkout's benchmark may hold a fixed one.
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    },
    stdio: ['ignore', log, log],
  });
}

export interface ContractsRunOptions {
  contracts?: number;
  /** A Temporal cluster to run against instead of a dev server of the benchmark's own. */
  temporalAddress?: string;
  /** Process groups that make up Temporal, for its CPU and memory (the dev server's own by default). */
  temporalGroups?: () => number[];
  /** Processes-workers, each its own process. */
  processesWorkers?: number;
}

export interface SegmentResult {
  count: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  timeline: string;
}

export interface ContractsRun {
  section: string;
  contracts: number;
  acceptPerSecond: number;
  paced: SegmentResult;
  saturated: SegmentResult;
  allDoneSeconds: number;
  /** The largest worker's peak. */
  peakWorkerRss: number;
  temporalCpuSeconds: number;
  temporalPeakRss: number;
}

export async function contractsBenchmark(): Promise<string> {
  return (await runContracts()).section;
}

export async function runContracts(options: ContractsRunOptions = {}): Promise<ContractsRun> {
  const contracts = options.contracts ?? CONTRACTS;
  const env: Record<string, string> = { ...ENV, TEMPORAL_TASK_QUEUE: `bench-contracts-${Date.now().toString(36)}` };
  if (options.temporalAddress) env.TEMPORAL_ADDRESS = options.temporalAddress;
  fs.rmSync(env.SINETTI_DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(env.SINETTI_DATA_DIR, { recursive: true });
  const ownPorts = [
    options.temporalAddress ? undefined : env.TEMPORAL_PORT,
    env.FERRETDB_PORT,
    env.SMTP_PORT,
    env.MAIL_WEB_PORT,
    env.SINETTI_TSA_PORT,
  ];
  for (const port of ownPorts.filter((p) => p !== undefined)) {
    if (await isPortOpen(Number(port))) throw new Error(`Port ${port} is in use; the contracts benchmark needs its own services`);
  }

  // The API listens first, so the links in the mail point at it.
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env.SINETTI_PUBLIC_URL = baseUrl;
  const config = loadConfig({ ...process.env, ...env });

  const services: RunningService[] = [];
  const workers: ChildProcess[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    services.push(
      ...(await Promise.all([
        options.temporalAddress
          ? Promise.resolve({ name: 'Temporal', url: options.temporalAddress })
          : startTemporalDevServer({
              dataDir: config.dataDir,
              port: Number(env.TEMPORAL_PORT),
              uiPort: config.temporal.uiPort,
              namespace: config.temporal.namespace,
            }),
        startFerretDb(config.dataDir, config.mongodb.port),
        startMailDev(config.dataDir, config.smtp.port, config.smtp.webPort),
        startTrustServices(config),
      ])),
    );
    const temporalGroups = options.temporalGroups ?? (() => (services[0].process?.pid ? [services[0].process.pid] : []));
    await connectStore(config.mongodb.uri);
    const temporal = await connectTemporalClient(config);
    const deps = createApiDeps(config, temporal);
    handler = createApp(deps);

    const workerCount = options.processesWorkers ?? 1;
    for (let n = 1; n <= workerCount; n++) workers.push(await startWorker(env, n));
    let peakRss = 0;
    let temporalPeakRss = 0;
    sampler = setInterval(() => {
      for (const worker of workers) peakRss = Math.max(peakRss, rssBytes(worker.pid!));
      temporalPeakRss = Math.max(
        temporalPeakRss,
        temporalGroups().reduce((sum, group) => sum + rssBytesOfGroup(group), 0),
      );
    }, 250);
    // Until every worker polls (each bundles nothing: the workflows come prebuilt), nothing below would be measured fairly.
    for (let polled = false; !polled;) {
      const exited = workers.find((worker) => worker.exitCode !== null);
      if (exited) throw new Error(`A worker exited with ${exited.exitCode}; see ${env.SINETTI_DATA_DIR}/worker-*.log`);
      const queue = await temporal.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: 1,
      });
      polled = new Set((queue.pollers ?? []).map((poller) => poller.identity)).size >= workerCount;
      if (!polled) await sleep(250);
    }
    const idleRss = Math.max(...workers.map((worker) => rssBytes(worker.pid!)));
    const temporalCpuBefore = temporalGroups().reduce((sum, group) => sum + cpuSecondsOfGroup(group), 0);

    // 1. 200 contracts at once through the API.
    const started = Date.now();
    const created = await Promise.all(
      Array.from({ length: contracts }, async (_, i) => {
        const response = await fetch(`${baseUrl}/api/contracts`, {
          method: 'POST',
          headers: { Authorization: 'Bearer dev-hr-token', 'Content-Type': 'application/json' },
          body: JSON.stringify(contractBody(i)),
        });
        if (response.status !== 201) throw new Error(`POST /api/contracts answered ${response.status}: ${await response.text()}`);
        return ((await response.json()) as { contractId: string }).contractId;
      }),
    );
    const acceptSeconds = (Date.now() - started) / 1000;

    // 2. Every employee signs, then every employer; the employer's press of "sign" is the last signature.
    const indexes = Array.from({ length: contracts }, (_, i) => i);
    const employeeLinks = await linksFor(
      config.smtp.webPort,
      indexes.map((i) => `employee-${i}@bench.test`),
      'Allekirjoituspyyntö',
      300_000,
    );
    const invitedAt = Date.now();
    await inBatches(indexes, SIGN_CONCURRENCY, (i) =>
      signThroughPage(baseUrl, employeeLinks.get(`employee-${i}@bench.test`)!, `Sijainen ${i}`),
    );
    const employerLinks = await linksFor(
      config.smtp.webPort,
      indexes.map((i) => `employer-${i}@bench.test`),
      'Allekirjoituspyyntö',
      300_000,
    );

    // 3. The last signatures, in two halves: first at a steady pace (signers arriving on their own,
    //    as after a morning's round of calls), then as fast as SIGN_CONCURRENCY signers can press,
    //    which keeps the stack saturated. Each half is measured on its own, the second after the first is done.
    const employerSigns = (i: number, pressedAt: Map<number, number>) =>
      signThroughPage(baseUrl, employerLinks.get(`employer-${i}@bench.test`)!, 'Erkki Esimies', () => pressedAt.set(i, Date.now()));
    const half = Math.ceil(contracts / 2);
    const paced = await measureSegment(indexes.slice(0, half), async (segment, pressedAt) => {
      await Promise.all(
        segment.map(async (i, n) => {
          await sleep(n * (1000 / PACED_PER_SECOND));
          await employerSigns(i, pressedAt);
        }),
      );
    });
    const saturated = await measureSegment(indexes.slice(half), (segment, pressedAt) =>
      inBatches(segment, SIGN_CONCURRENCY, (i) => employerSigns(i, pressedAt)),
    );
    const allDoneSeconds = (Date.now() - invitedAt) / 1000;
    const temporalCpuSeconds = temporalGroups().reduce((sum, group) => sum + cpuSecondsOfGroup(group), 0) - temporalCpuBefore;
    clearInterval(sampler);
    deps.close();
    await temporal.connection.close();

    /** Runs one half's signing and reads, per contract, the time from the press to the seal activity's completion in its history. */
    async function measureSegment(segment: number[], sign: (segment: number[], pressedAt: Map<number, number>) => Promise<void>) {
      const pressedAt = new Map<number, number>();
      const began = Date.now();
      await sign(segment, pressedAt);
      const rate = segment.length / ((Date.now() - began) / 1000);
      const latencies: number[] = [];
      const timelines: SealingTimeline[] = [];
      for (const i of segment) {
        const state = (await temporal.workflow.getHandle(created[i]).result()) as EmploymentContractState;
        if (state.status !== 'completed' || !state.sealedVersionId) throw new Error(`${created[i]} ended ${state.status}`);
        // The clock stops when the seal activity has completed (version, record and audit event written), not at the version's createdAt.
        const timeline = await sealingTimeline(temporal, created[i], pressedAt.get(i)!);
        if (!timeline) throw new Error(`${created[i]} has no completed signature and seal in its history`);
        latencies.push(timeline.pressToSealed);
        timelines.push(timeline);
      }
      latencies.sort((a, b) => a - b);
      const median = (pick: (t: SealingTimeline) => number) =>
        percentile(
          timelines.map(pick).sort((a, b) => a - b),
          50,
        );
      return {
        count: segment.length,
        rate,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1],
        timeline: `press → signature scheduled ${median((t) => t.toSignScheduled)} ms; signature queued ${median((t) => t.signQueued)} ms, running ${median((t) => t.signRunning)} ms; → seal scheduled ${median((t) => t.toSealScheduled)} ms; certificate and seal queued ${median((t) => t.sealQueued)} ms, running ${median((t) => t.sealRunning)} ms`,
      };
    }

    const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
    const section = [
      '## Employment contracts end to end',
      '',
      `_\`npm run bench -- contracts\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'} shared with other work._`,
      '',
      `Embedded stack on ports of its own (Temporal dev server on SQLite, FerretDB, MailDev); the API in the benchmark's process, the worker as a separate process (\`npm run build\` output: \`dist/worker/main.js\` with the workflows bundled ahead of time). ${contracts} contracts from the template (employee first, then the employer's representative) posted at once; every signer opens the link from the real mail and signs on the page, the employees ${SIGN_CONCURRENCY} at a time. The employers' signatures, the last of each contract, are measured in two halves: ${paced.count} arriving at a steady ${PACED_PER_SECOND} per second, then ${saturated.count} from ${SIGN_CONCURRENCY} signers pressing "sign" again as soon as their page answers, which keeps the stack saturated. Latency runs from the press of "sign" to the seal activity's completion in the contract's history (the sealed version, its record and its audit event all written); in between: the signature, the audit certificate, and the organisation seal.`,
      '',
      '| Measure | Result | Target |',
      '| --- | ---: | --- |',
      `| Contracts accepted by the API | ${(contracts / acceptSeconds).toFixed(1)} /s (${contracts} in ${acceptSeconds.toFixed(2)} s) | — |`,
      `| Steady ${PACED_PER_SECOND}/s: last signature → sealed PDF stored, p50 | ${paced.p50} ms | — |`,
      `| Steady ${PACED_PER_SECOND}/s: last signature → sealed PDF stored, p99 | ${paced.p99} ms | < 1000 ms: ${verdict(paced.p99 < 1000)} |`,
      `| Saturated (${saturated.rate.toFixed(1)}/s went in): p50 | ${saturated.p50} ms | — |`,
      `| Saturated (${saturated.rate.toFixed(1)}/s went in): p99 | ${saturated.p99} ms | < 1000 ms: ${verdict(saturated.p99 < 1000)} |`,
      `| Worker peak RSS | ${(peakRss / MiB).toFixed(0)} MiB (idle after start ${(idleRss / MiB).toFixed(0)} MiB) | < ${WORKER_RSS_LIMIT_MIB} MiB: ${verdict(peakRss < WORKER_RSS_LIMIT_MIB * MiB)} |`,
      '',
      `Where the time goes (medians, from each contract's history). Steady: ${paced.timeline}. Saturated: ${saturated.timeline}.`,
      '',
      `From the first employee signature to the last contract sealed, delivered and archived took ${allDoneSeconds.toFixed(1)} s (max latency: steady ${paced.max} ms, saturated ${saturated.max} ms).`,
      '',
    ].join('\n');
    return {
      section,
      contracts,
      acceptPerSecond: contracts / acceptSeconds,
      paced,
      saturated,
      allDoneSeconds,
      peakWorkerRss: peakRss,
      temporalCpuSeconds,
      temporalPeakRss,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    await Promise.all(
      workers
        .filter((worker) => worker.exitCode === null)
        .map(async (worker) => {
          const exited = new Promise((resolve) => worker.once('exit', resolve));
          worker.kill('SIGTERM');
          await Promise.race([exited, sleep(15_000)]);
          if (worker.exitCode === null) worker.kill('SIGKILL');
        }),
    );
    await disconnectStore().catch(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    await stopServices(services);
  }
}
