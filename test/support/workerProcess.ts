import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { SinettiConfig } from '../../config/config';
import { TEST_ENVIRONMENT } from './testStack';
import { freePort } from '../../common/freePort';

/**
 * The worker as a real process (`npm run worker`'s entry point) on a
 * suite's task queue, so a test can kill it without warning and start
 * another.
 */

const ROOT = path.resolve(__dirname, '..', '..');

export async function startWorkerProcess(
  config: SinettiConfig,
  env: Record<string, string> = {},
  entry = path.join(ROOT, 'worker', 'main.ts'),
): Promise<ChildProcess> {
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), entry], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...TEST_ENVIRONMENT,
      LOG_LEVEL: 'info',
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      SINETTI_PUBLIC_URL: config.publicUrl,
      MONGODB_URI: config.mongodb.uri,
      // Each process a metrics port of its own: other suites' workers may hold the default one.
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      ...env,
    },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output.slice(-2000)}`)), 60_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker started')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}
