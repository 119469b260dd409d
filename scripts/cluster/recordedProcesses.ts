import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The cluster's processes, each started in a process group of its own with
 * its pid written down, so that whoever comes next (Ctrl-C in
 * start:cluster, a fault test in another process, the next start finding a
 * leftover) can stop, kill or restart it by name.
 */

export interface LaunchOptions {
  pidDir: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Drop root: PostgreSQL refuses to run as root. setpriv execs in place, so the pid is the service's own. */
  runAs?: string;
}

export function launchRecorded(name: string, command: string, args: string[], options: LaunchOptions): ChildProcess {
  fs.mkdirSync(options.pidDir, { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const [file, argv] =
    options.runAs && process.getuid?.() === 0
      ? ['setpriv', [`--reuid=${options.runAs}`, `--regid=${options.runAs}`, '--init-groups', '--', command, ...args]]
      : [command, args];
  const child = spawn(file, argv, { stdio: ['ignore', log, log], detached: true, env: options.env ?? process.env });
  fs.closeSync(log);
  fs.writeFileSync(pidFile(options.pidDir, name), String(child.pid));
  // Whoever started it may exit and leave it running (a test run kept with SINETTI_KEEP_TEST_STACK=1).
  child.unref();
  return child;
}

function pidFile(pidDir: string, name: string): string {
  return path.join(pidDir, `${name}.pid`);
}

/** Running, that is: a killed child its parent has not reaped yet (a zombie) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (name) state …"; Z is a zombie.
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The pid of a recorded process that is still running. */
export function runningPid(pidDir: string, name: string): number | undefined {
  const file = pidFile(pidDir, name);
  if (!fs.existsSync(file)) return undefined;
  const pid = Number(fs.readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/**
 * Signals a recorded process's group and waits until it is gone; SIGKILL
 * after `graceMs`. `SIGKILL` first is the fault tests' "kill -9".
 */
export async function stopRecorded(pidDir: string, name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  const pid = runningPid(pidDir, name);
  if (pid === undefined) return;
  const signalGroup = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* already gone */
    }
  };
  signalGroup(signal);
  const until = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > until) signalGroup('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fs.rmSync(pidFile(pidDir, name), { force: true });
}
