import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { waitForPort } from '../embeddedStack';
import { type ClusterLayout } from './clusterLayout';
import { launchRecorded, runningPid, stopRecorded } from './recordedProcesses';

/**
 * Temporal's PostgreSQL: a cluster of its own in the data directory,
 * listening on 127.0.0.1 only, with a password generated on first start.
 * Run as the `postgres` user when we are root (PostgreSQL refuses root).
 */

const UNPRIVILEGED_USER = 'postgres';

export function postgresBinDir(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return fromEnv;
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = path.join(debian, version, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error(
    'PostgreSQL (12 or newer) is needed for the cluster mode: install it (Debian: apt-get install postgresql) or set POSTGRES_BIN_DIR',
  );
}

const runningAsRoot = () => process.getuid?.() === 0;

export function postgresPassword(layout: ClusterLayout): string {
  const file = layout.postgres.passwordFile;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** initdb on first start; later starts find the cluster there and carry on. */
function initialise(layout: ClusterLayout, bin: string): void {
  const { dataDir, user } = layout.postgres;
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  // Only the data directory itself is private: the parents must let the unprivileged user through.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordCopy = path.join(dataDir, '..', 'postgres-initdb-password');
  fs.writeFileSync(passwordCopy, postgresPassword(layout), { mode: 0o600 });
  if (runningAsRoot()) execFileSync('chown', [`${UNPRIVILEGED_USER}:`, dataDir, passwordCopy]);
  const initdb = [
    path.join(bin, 'initdb'),
    '-D',
    dataDir,
    '-U',
    user,
    `--pwfile=${passwordCopy}`,
    '--auth-host=scram-sha-256',
    '--auth-local=scram-sha-256',
    '-E',
    'UTF8',
    '--no-locale',
  ];
  try {
    execFileSync(
      runningAsRoot() ? 'setpriv' : initdb[0],
      runningAsRoot()
        ? [`--reuid=${UNPRIVILEGED_USER}`, `--regid=${UNPRIVILEGED_USER}`, '--init-groups', '--', ...initdb]
        : initdb.slice(1),
      { stdio: 'pipe' },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed in ${dataDir}: ${stderr || String(error)}`, { cause: error });
  } finally {
    fs.rmSync(passwordCopy, { force: true });
  }
}

export async function startPostgres(layout: ClusterLayout): Promise<void> {
  const { dataDir, port, logFile } = layout.postgres;
  if (runningPid(layout.pidDir, 'postgres') !== undefined) return;
  const bin = postgresBinDir();
  initialise(layout, bin);
  // No unix socket: the default socket directory belongs to the system's own PostgreSQL.
  launchRecorded(
    'postgres',
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'synchronous_commit=on',
    ],
    { pidDir: layout.pidDir, logFile, runAs: runningAsRoot() ? UNPRIVILEGED_USER : undefined },
  );
  await waitForPort(port, 'PostgreSQL', 60_000);
}

/** A fast shutdown: open transactions roll back, committed ones are on disk. */
export async function stopPostgres(layout: ClusterLayout): Promise<void> {
  await stopRecorded(layout.pidDir, 'postgres', 'SIGINT', 30_000);
}
