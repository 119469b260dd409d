import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterLayout, TEMPORAL_SERVICES } from '../scripts/cluster/clusterLayout';
import { runningPid } from '../scripts/cluster/recordedProcesses';
import { startTemporalCluster, stopTemporalCluster } from '../scripts/cluster/temporalCluster';
import { type ContractsRun, runContracts } from './contracts';
import { type LetterBatchRun, runLetterBatch } from './letterBatch';
import { rssBytesOfGroup } from './processStats';

/**
 * `npm run bench -- cluster`: the contracts and the letter batch against a
 * Temporal cluster on PostgreSQL (four server processes, as
 * `npm run start:cluster` runs them) beside the same runs against the dev
 * server on SQLite, in one run on the same machine; contracts with one
 * processes-worker and with two. BENCH_CLUSTER_SCALE (default 1) runs a
 * fraction of the full size of 200 contracts and 10,000 letters, for a
 * machine that cannot spare the time; the section says which was run.
 */

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);
const SIGNERS_AT_ONCE = Number(process.env.BENCH_SIGN_CONCURRENCY ?? 10);
const MiB = 1024 * 1024;
/** Its own directory and ports, beside start:cluster's (7633) and the test cluster's (7833). */
const BENCH_CLUSTER = {
  SINETTI_CLUSTER_DIR: path.resolve(__dirname, '..', 'data', 'bench-cluster'),
  CLUSTER_POSTGRES_PORT: '5633',
  CLUSTER_TEMPORAL_PORT: '7933',
};

export async function clusterBenchmark(): Promise<string> {
  if (!(SCALE > 0 && SCALE <= 1)) throw new Error('BENCH_CLUSTER_SCALE must be more than 0 and at most 1');
  const contracts = Math.max(10, Math.round(200 * SCALE));
  const letters = Math.max(250, Math.round(10_000 * SCALE));
  const layout = clusterLayout({ ...process.env, ...BENCH_CLUSTER });
  await stopTemporalCluster(layout);
  fs.rmSync(layout.dir, { recursive: true, force: true });
  const startedAt = Date.now();
  await startTemporalCluster(layout);
  const clusterStartSeconds = (Date.now() - startedAt) / 1000;
  const clusterGroups = () =>
    ['postgres', ...TEMPORAL_SERVICES].map((name) => runningPid(layout.pidDir, name)).filter((pid) => pid !== undefined);
  const clusterIdleRss = clusterGroups().reduce((sum, group) => sum + rssBytesOfGroup(group), 0);
  const onCluster = { temporalAddress: layout.temporal.frontendAddress, temporalGroups: clusterGroups };

  const runs: { name: string; result: ContractsRun }[] = [];
  let letterRuns: { name: string; result: LetterBatchRun }[];
  try {
    for (const [name, options] of [
      ['dev server, 1 worker', { processesWorkers: 1 }],
      ['dev server, 2 workers', { processesWorkers: 2 }],
      ['cluster, 1 worker', { processesWorkers: 1, ...onCluster }],
      ['cluster, 2 workers', { processesWorkers: 2, ...onCluster }],
    ] as const) {
      console.error(`bench: cluster: contracts on the ${name}…`);
      runs.push({ name, result: await runContracts({ contracts, ...options }) });
    }
    console.error('bench: cluster: letters on the dev server…');
    const lettersOnDev = await runLetterBatch({ letters });
    console.error('bench: cluster: letters on the cluster…');
    const lettersOnCluster = await runLetterBatch({ letters, ...onCluster });
    letterRuns = [
      { name: 'dev server', result: lettersOnDev },
      { name: 'cluster', result: lettersOnCluster },
    ];
  } finally {
    await stopTemporalCluster(layout);
  }

  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const row = (label: string, cell: (run: ContractsRun) => string) => `| ${label} | ${runs.map((r) => cell(r.result)).join(' | ')} |`;
  const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
  const [dev1, dev2, cluster1, cluster2] = runs.map((r) => r.result);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const perContract = (run: ContractsRun) => (run.temporalCpuSeconds / run.contracts) * 1000;
  const littleW = (run: ContractsRun) => (SIGNERS_AT_ONCE / run.saturated.rate) * 1000;
  const scaled = SCALE === 1 ? 'the full size' : `scaled down by BENCH_CLUSTER_SCALE=${SCALE} from 200 contracts and 10,000 letters`;
  return [
    '## The cluster beside the dev server',
    '',
    `_\`${SCALE === 1 ? '' : `BENCH_CLUSTER_SCALE=${SCALE} `}npm run bench -- cluster\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'} shared with other work (load average at the end ${os.loadavg()[0].toFixed(1)}); ${scaled}._`,
    '',
    `The same contracts and letter batch as the sections above, in one run: against the Temporal CLI's dev server on SQLite (one process), and against a Temporal cluster on PostgreSQL 15 as \`npm run start:cluster\` runs it (frontend, history, matching and worker services as four processes, 16 history shards, visibility on PostgreSQL), each time with a fresh FerretDB, MailDev and development TSA beside it; contracts with one processes-worker and with two. ${contracts} contracts: accepted through the API, employees signing ${SIGNERS_AT_ONCE} at a time, then the employers' last signatures at a steady 2/s for half and from ${SIGNERS_AT_ONCE} signers pressing again at once for the other half (saturated). The cluster started in ${clusterStartSeconds.toFixed(1)} s (PostgreSQL initialised, both schemas set up, the namespace registered); idle, its five processes held ${(clusterIdleRss / MiB).toFixed(0)} MiB.`,
    '',
    `| ${contracts} contracts | ${runs.map((r) => r.name).join(' | ')} |`,
    `| --- | ${runs.map(() => '---:').join(' | ')} |`,
    row('accepted by the API', (r) => `${r.acceptPerSecond.toFixed(1)} /s`),
    row('steady 2/s: last signature → sealed, p50 / p99', (r) => `${ms(r.paced.p50)} / ${ms(r.paced.p99)}`),
    row('saturated: went in', (r) => `${r.saturated.rate.toFixed(2)} /s`),
    row('saturated: last signature → sealed, p50 / p99', (r) => `${ms(r.saturated.p50)} / ${ms(r.saturated.p99)}`),
    row(`saturated: Little's law, ${SIGNERS_AT_ONCE} ÷ rate`, (r) => ms(littleW(r))),
    row('first employee signature → last contract done', (r) => `${r.allDoneSeconds.toFixed(1)} s`),
    row('Temporal CPU per contract', (r) => ms(perContract(r))),
    row('Temporal peak RSS (summed over its processes)', (r) => `${(r.temporalPeakRss / MiB).toFixed(0)} MiB`),
    row('largest worker peak RSS', (r) => `${(r.peakWorkerRss / MiB).toFixed(0)} MiB`),
    '',
    `| ${letterRuns[0]?.result.letters.toLocaleString('en')} letters | ${letterRuns.map((r) => r.name).join(' | ')} |`,
    `| --- | ${letterRuns.map(() => '---:').join(' | ')} |`,
    `| CSV upload, checked and stored | ${letterRuns.map((r) => seconds(r.result.uploadMs)).join(' | ')} |`,
    `| all letters accepted by the simulator | ${letterRuns.map((r) => (Number.isNaN(r.result.acceptedMs) ? 'not all' : `${seconds(r.result.acceptedMs)} (${(r.result.letters / (r.result.acceptedMs / 1000)).toFixed(0)}/s)`)).join(' | ')} |`,
    `| to the final report | ${letterRuns.map((r) => seconds(r.result.reportMs)).join(' | ')} |`,
    `| Temporal CPU, upload to report | ${letterRuns.map((r) => `${r.result.temporalCpuSeconds.toFixed(0)} s`).join(' | ')} |`,
    `| Temporal's slowest GetSystemInfo meanwhile | ${letterRuns.map((r) => ms(r.result.slowestHealthMs)).join(' | ')} |`,
    '',
    `What the cluster costs here: Temporal used ${ms(perContract(cluster1))} of CPU per contract against the dev server's ${ms(perContract(dev1))} (${ratio(perContract(cluster1), perContract(dev1))}), and ${letterRuns[1] ? `${letterRuns[1].result.temporalCpuSeconds.toFixed(0)} s against ${letterRuns[0].result.temporalCpuSeconds.toFixed(0)} s` : '–'} for the letter batch, on the same two cores the workers, FerretDB and the API need; its processes held ${(cluster1.temporalPeakRss / MiB).toFixed(0)} MiB at peak against ${(dev1.temporalPeakRss / MiB).toFixed(0)} MiB. With one worker the saturated p99 was ${ms(cluster1.saturated.p99)} on the cluster and ${ms(dev1.saturated.p99)} on the dev server (${ratio(cluster1.saturated.p99, dev1.saturated.p99)}); the steady p99 ${ms(cluster1.paced.p99)} against ${ms(dev1.paced.p99)}. A second processes-worker took the saturated rate from ${dev1.saturated.rate.toFixed(2)} to ${dev2.saturated.rate.toFixed(2)} contracts/s on the dev server and from ${cluster1.saturated.rate.toFixed(2)} to ${cluster2.saturated.rate.toFixed(2)} on the cluster; by Little's law the saturated latency is about ${SIGNERS_AT_ONCE} ÷ that rate, so the p99 under load falls only as far as throughput rises, and throughput on one machine is bounded by its cores, not by the Temporal topology. What the cluster buys is not speed on one machine but what the dev server cannot give: PostgreSQL's durability and backups, services that restart, scale and upgrade on their own (test/cluster), and workers and history hosts that can be moved to more machines; on this two-core machine it is paid for in CPU.`,
    '',
  ].join('\n');
}
