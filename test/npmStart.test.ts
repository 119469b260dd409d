import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectTemporalClient } from '../common/temporalClient';
import { workerPolls } from '../scripts/workerPolling';
import { TEST_ENVIRONMENT, testConfig, uniqueTaskQueue } from './support/testStack';
import { WORKER_ENVIRONMENT } from '../worker/nodeOptions';

/**
 * `npm start` as a person runs it (issue 15, C1, C2): the banner only once the worker polls, and a SIGINT or
 * SIGTERM to the npm process itself (not only to the node process under it) stops the worker and the API.
 * Temporal, the store and mail are the shared test services, so only Sinetti's own processes start here.
 */

const ROOT = path.resolve(__dirname, '..');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start', () => {
  let npm: ChildProcess | undefined;
  afterEach(() => {
    // Whatever a failed test left running: the npm process's group and the children it named.
    if (npm?.pid && alive(npm.pid)) process.kill(npm.pid, 'SIGKILL');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'prints the banner once the worker polls, and %s to npm stops everything',
    async (signal) => {
      const config = testConfig();
      const taskQueue = uniqueTaskQueue(`npm-start-${signal.toLowerCase()}`);
      const apiPort = 20000 + Math.floor(Math.random() * 20000);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-npm-start-'));
      const startedAt = new Date();
      npm = spawn('npm', ['start'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...TEST_ENVIRONMENT,
          SINETTI_DATA_DIR: dataDir,
          TEMPORAL_ADDRESS: config.temporal.address,
          MONGODB_URI: config.mongodb.uri,
          SMTP_URL: config.smtp.url,
          TEMPORAL_TASK_QUEUE: taskQueue,
          API_PORT: String(apiPort),
          WORKER_METRICS_ADDRESS: `127.0.0.1:${apiPort + 1}`,
        },
      });
      let output = '';
      npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<void>((resolve) => npm!.once('exit', () => resolve()));

      await until('the banner', () => output.includes('Sinetti is running'), 180_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${output.slice(-3000)}`);
      });
      const temporal = await connectTemporalClient(config);
      try {
        expect(await workerPolls(temporal, config.temporal.namespace, taskQueue, startedAt)).toBe(true);
      } finally {
        await temporal.connection.close();
      }
      const pids = [...output.matchAll(/the (?:worker|API) started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
      expect(pids).toHaveLength(2);
      expect(await portOpen(apiPort)).toBe(true);
      // The worker starts with worker/nodeOptions.ts's environment (glibc reads it only as a process starts); the API does not need it.
      const environ = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const workerPid = Number(/the worker started \(pid (\d+)\)/.exec(output)![1]);
      for (const [name, value] of Object.entries(WORKER_ENVIRONMENT)) {
        expect(environ(workerPid)).toContain(`${name}=${value}`);
        expect(environ(pids.find((pid) => pid !== workerPid)!)).not.toContain(`${name}=${value}`);
      }

      process.kill(npm.pid!, signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      expect(npm.exitCode !== null || npm.signalCode !== null).toBe(true);
      await until('the worker and the API to stop', () => pids.every((pid) => !alive(pid)), 15_000);
      expect(await portOpen(apiPort)).toBe(false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    240_000,
  );
});
