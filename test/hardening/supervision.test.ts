import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_ENVIRONMENT, testConfig } from '../support/testStack';

/**
 * `npm start` under a crash: when the worker died, everything stopped. Now
 * the worker (or the API) is started again and the log says so; everything
 * stops only on SIGTERM or Ctrl-C. The start script runs against the test
 * stack's services (named by URL, so it starts none of its own) on a port of its own.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const API_PORT = '3197';
let start: ChildProcess;
let output = '';

function children(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean);
  } catch {
    return [];
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}; output so far:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const startedPids = (name: string) =>
  [...output.matchAll(new RegExp(`the ${name} started \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));

beforeAll(() => {
  const config = testConfig();
  const dataDir = path.join(ROOT, 'data', 'test-supervision');
  fs.rmSync(dataDir, { recursive: true, force: true });
  start = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'start.ts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...TEST_ENVIRONMENT,
      SINETTI_DATA_DIR: dataDir,
      API_PORT,
      SINETTI_PUBLIC_URL: `http://127.0.0.1:${API_PORT}`,
      TEMPORAL_ADDRESS: config.temporal.address,
      MONGODB_URI: config.mongodb.uri,
      SMTP_URL: config.smtp.url,
      TEMPORAL_TASK_QUEUE: `test-supervision-${Date.now().toString(36)}`,
      WORKER_METRICS_ADDRESS: '127.0.0.1:9497',
    },
  });
  start.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  start.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
});

afterAll(async () => {
  if (start?.pid && start.exitCode === null) {
    try {
      process.kill(-start.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

it('brings a kill -9ed worker and API back, says so, and stops everything on SIGTERM only', async () => {
  await until('Sinetti is running', () => output.includes('Sinetti is running'));
  const [worker] = startedPids('worker');
  const workerNode = await until("the worker's node process", () => children(worker)[0]);
  process.kill(workerNode, 'SIGKILL');
  await until('the restart message', () => /the worker exited \(.*\); restarting it in 1 s \(restart 1\)/.test(output));
  const [, restartedWorker] = await until('a new worker', () => startedPids('worker').length === 2 && startedPids('worker'));
  expect(restartedWorker).not.toBe(worker);
  expect(alive(start.pid!)).toBe(true);

  const [api] = startedPids('API');
  const apiNode = await until("the API's node process", () => children(api)[0]);
  process.kill(apiNode, 'SIGKILL');
  await until('the API restart message', () => /the API exited \(.*\); restarting it/.test(output));
  await until('the API answering again', async () => {
    try {
      return (await fetch(`http://127.0.0.1:${API_PORT}/openapi.json`)).status === 200;
    } catch {
      return false;
    }
  });
  const [, restartedApi] = startedPids('API');

  process.kill(start.pid!, 'SIGTERM');
  await until('the start script to exit', () => start.exitCode !== null, 30_000);
  expect(output).toContain('Sinetti: stopping');
  expect(alive(restartedWorker)).toBe(false);
  expect(alive(restartedApi)).toBe(false);
  expect(fs.statSync(path.join(ROOT, 'data', 'test-supervision')).mode & 0o777).toBe(0o700);
}, 240_000);
