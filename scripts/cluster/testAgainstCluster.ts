import { spawn } from 'node:child_process';
import path from 'node:path';
import { clusterLayout, TEST_CLUSTER_ENVIRONMENT } from './clusterLayout';
import { startTemporalCluster, stopTemporalCluster } from './temporalCluster';

/**
 * `npm run test:cluster`: starts a Temporal cluster of its own (data in
 * data/cluster-test, ports apart from start:cluster's), runs the cluster
 * subset of the suite (jest.cluster.config.js) against it, stops it, and
 * prints how long each part took. Extra arguments go to jest; --forceExit
 * so a suite that failed half way and left a connection open cannot hang CI.
 * SINETTI_KEEP_TEST_STACK=1 leaves the cluster running for the next run.
 */

const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const env = { ...process.env, ...TEST_CLUSTER_ENVIRONMENT };
  const layout = clusterLayout(env);
  const timings: string[] = [];
  let began = Date.now();
  const took = (what: string) => {
    timings.push(`${what}: ${((Date.now() - began) / 1000).toFixed(1)} s`);
    began = Date.now();
  };

  console.log(`test:cluster: starting a Temporal cluster in ${layout.dir}`);
  await startTemporalCluster(layout, (line) => console.log(line));
  took('cluster start');
  // Asynchronously, so this process keeps reaping the cluster's processes that a fault test kills.
  const jest = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      // One file at a time, as npm test runs the dev-server suite: in a worker process that is replaced once it grows large
      // (jest.config.js's workerIdleMemoryLimit; run in band, one process held 2.2 GB by the end of the subset).
      '--maxWorkers=1',
      '--forceExit',
      '--config',
      path.join(ROOT, 'jest.cluster.config.js'),
      ...process.argv.slice(2),
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...env, TEMPORAL_ADDRESS: layout.temporal.frontendAddress },
    },
  );
  const status = await new Promise<number | null>((resolve) => jest.once('exit', resolve));
  took('cluster subset');
  if (process.env.SINETTI_KEEP_TEST_STACK !== '1') {
    await stopTemporalCluster(layout);
    took('cluster stop');
  }
  console.log(`test:cluster: ${timings.join(', ')}`);
  return status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:cluster could not run: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
