import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type SinettiConfig } from '../config/config';
import { type RunningService, startFerretDb, startMailDev, startTemporalDevServer } from '../scripts/embeddedStack';
import { supervise } from '../scripts/supervisor';
import { WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../worker/nodeOptions';

/**
 * The chaos run's stack: the five components it kills (worker, API,
 * FerretDB, the Temporal dev server, MailDev), each brought back when it
 * dies. The worker and the API are kept by `npm start`'s own supervisor
 * (scripts/supervisor.ts); `npm start` does not restart the services, so they
 * are kept here the same way: started again a second after they die.
 */

export type ComponentName = 'worker' | 'API' | 'FerretDB' | 'Temporal' | 'MailDev';

export interface Component {
  readonly name: ComponentName;
  /** The running process's id (its process group: each is started detached), if it is running. */
  pid(): number | undefined;
  restarts(): number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function groupKill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** A service started by scripts/embeddedStack.ts, started again (after 1 s, then with backoff while it fails to start) whenever it dies. */
function keptService(name: ComponentName, start: () => Promise<RunningService>, log: (line: string) => void): Component {
  let current: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const run = async (): Promise<void> => {
    for (let backoff = 1000; !stopping; backoff = Math.min(backoff * 2, 10_000)) {
      try {
        const service = await start();
        if (!service.process) throw new Error(`${name}: something else already listens on its port`);
        current = service.process;
        break;
      } catch (error) {
        log(`chaos: ${name} did not start (${(error as Error).message}); again in ${backoff / 1000} s`);
        await sleep(backoff);
      }
    }
    const child = current;
    child?.once('exit', (code, signal) => {
      if (stopping || child !== current) return;
      current = undefined;
      groupKill(child.pid, 'SIGKILL'); // what it left in its group would hold the port
      restarts++;
      log(`chaos: ${name} exited (${signal ?? `code ${code}`}); restarting it in 1 s (restart ${restarts})`);
      setTimeout(() => void run(), 1000);
    });
  };
  const started = run();
  return {
    name,
    pid: () => current?.pid,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      await started;
      const child = current;
      if (!child?.pid || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      groupKill(child.pid, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      groupKill(child.pid, 'SIGKILL');
    },
  };
}

/** The worker or the API as production runs them (compiled JavaScript), under `npm start`'s supervisor. */
function supervisedNode(
  name: ComponentName,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  log: (line: string) => void,
): Component {
  const child = supervise(
    name,
    () => {
      const out = fs.openSync(logFile, 'a');
      return spawn(process.execPath, args, { cwd: path.join(__dirname, '..'), detached: true, stdio: ['ignore', out, out], env });
    },
    { initialBackoffMs: 1000, log },
  );
  return { name, pid: () => child.pid, restarts: () => child.restarts, stop: () => child.stop() };
}

export interface ChaosStackOptions {
  config: SinettiConfig;
  env: NodeJS.ProcessEnv;
  workerEntry: string;
  apiEntry: string;
  log: (line: string) => void;
}

/** Starts the five components; resolves once each has been started (not necessarily answering yet). */
export function startChaosStack({ config, env, workerEntry, apiEntry, log }: ChaosStackOptions): Component[] {
  const dir = config.dataDir;
  return [
    keptService(
      'Temporal',
      () =>
        startTemporalDevServer({
          dataDir: dir,
          port: Number(env.TEMPORAL_PORT),
          uiPort: config.temporal.uiPort,
          namespace: config.temporal.namespace,
        }),
      log,
    ),
    keptService('FerretDB', () => startFerretDb(dir, config.mongodb.port), log),
    keptService('MailDev', () => startMailDev(dir, config.smtp.port, config.smtp.webPort), log),
    // One worker process in both roles (processes and bulk) with the processes' flags, as `npm start` runs it.
    supervisedNode(
      'worker',
      [...WORKER_NODE_FLAGS, workerEntry],
      { ...WORKER_ENVIRONMENT, ...env, SINETTI_SERVICE: 'chaos-worker', SINETTI_WORKER_ROLE: 'all' },
      path.join(dir, 'worker.log'),
      log,
    ),
    supervisedNode('API', [apiEntry], { ...env, SINETTI_SERVICE: 'chaos-api' }, path.join(dir, 'api.log'), log),
  ];
}
