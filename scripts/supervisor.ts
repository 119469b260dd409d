import { type ChildProcess } from 'node:child_process';

/**
 * Keeps one child process running for `npm start`: when it dies without
 * being asked to (a crash, an out-of-memory kill, kill -9), it is started
 * again after a pause that doubles with each quick failure (1 s, 2 s, 4 s …
 * at most 30 s) and starts over once the child has stayed up for a minute.
 * Every exit and restart is said in the log.
 */

export interface SupervisedChild {
  readonly name: string;
  /** The running child's process id (changes with each restart). */
  readonly pid: number | undefined;
  readonly restarts: number;
  /** Stops the child for good (SIGTERM to its process group, SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a child must stay up for the backoff to start over. */
  stableAfterMs?: number;
  log?: (line: string) => void;
}

export function supervise(name: string, start: () => ChildProcess, options: SupervisorOptions = {}): SupervisedChild {
  const initial = options.initialBackoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 30_000;
  const stableAfter = options.stableAfterMs ?? 60_000;
  const log = options.log ?? ((line: string) => console.error(line));
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let backoff = initial;
  let pending: NodeJS.Timeout | undefined;

  const launch = () => {
    pending = undefined;
    const startedAt = Date.now();
    child = start();
    const current = child;
    current.once('exit', (code, signal) => {
      if (stopping || current !== child) return;
      // What the child left behind in its process group (tsx's node, say) goes with it, or it would hold the port.
      try {
        process.kill(-current.pid!, 'SIGKILL');
      } catch {
        /* nothing left */
      }
      if (Date.now() - startedAt >= stableAfter) backoff = initial;
      restarts++;
      log(
        `Sinetti: the ${name} exited (${signal ?? `code ${code}`}); restarting it in ${(backoff / 1000).toFixed(backoff < 1000 ? 1 : 0)} s (restart ${restarts}).`,
      );
      pending = setTimeout(launch, backoff);
      backoff = Math.min(max, backoff * 2);
    });
  };
  launch();

  return {
    name,
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      if (pending) clearTimeout(pending);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null || current.pid === undefined) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      const kill = (signal: NodeJS.Signals) => {
        try {
          process.kill(-current.pid!, signal);
        } catch {
          try {
            current.kill(signal);
          } catch {
            /* already gone */
          }
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
