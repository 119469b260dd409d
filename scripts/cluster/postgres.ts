import { execFileSync, spawnSync } from 'node:child_process';
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
/** Where the unprivileged user keeps clusters it cannot keep in the checkout; a setting so tests can use a directory of their own. */
const unprivilegedHomes = () => process.env.SINETTI_POSTGRES_HOMES ?? path.join('/var/lib/postgresql', 'sinetti');

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
  // Elsewhere (other distributions, Homebrew) initdb and pg_ctl are on the PATH.
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return path.dirname(onPath);
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

/** Whether the unprivileged user can pass through `dir` (a checkout under /root, say, is closed to it). */
function reachableByUnprivilegedUser(dir: string): boolean {
  return (
    spawnSync('setpriv', [`--reuid=${UNPRIVILEGED_USER}`, `--regid=${UNPRIVILEGED_USER}`, '--init-groups', '--', 'test', '-x', dir])
      .status === 0
  );
}

/**
 * As root, where the unprivileged user cannot reach the data directory, the
 * cluster's files live in that user's own directory instead (one per
 * cluster directory), behind a symbolic link at the usual place.
 *
 * That directory outlives the checkout: a fresh clone at the same path (CI
 * does exactly this) finds the cluster an earlier clone made there. With the
 * password file still beside the link it is the same installation and carries
 * on; without it nobody can open that cluster any more, so it is replaced.
 */
function placeDataDir(layout: ClusterLayout, log: (line: string) => void): void {
  const { dataDir, passwordFile } = layout.postgres;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!runningAsRoot() || reachableByUnprivilegedUser(path.dirname(dataDir))) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return;
  }
  const home = path.join(unprivilegedHomes(), crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  const earlierCluster = fs.existsSync(path.join(home, 'PG_VERSION'));
  if (fs.existsSync(home) && !(earlierCluster && fs.existsSync(passwordFile))) {
    log(
      earlierCluster
        ? `PostgreSQL: ${home} holds a cluster from an earlier checkout whose password is gone; starting a new one there`
        : `PostgreSQL: ${home} holds an unfinished initdb; starting again`,
    );
    fs.rmSync(home, { recursive: true, force: true });
  }
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  execFileSync('chown', ['-R', `${UNPRIVILEGED_USER}:`, path.dirname(home)]);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.symlinkSync(home, dataDir);
}

/** initdb on first start; later starts find the cluster there and carry on. */
export function initialisePostgres(layout: ClusterLayout, bin: string, log: (line: string) => void = () => {}): void {
  const { dataDir, user } = layout.postgres;
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  // Only the data directory itself is private: the parents must let the unprivileged user through.
  placeDataDir(layout, log);
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return; // an earlier checkout's cluster, ours by its password
  // Beside the (real) data directory, where initdb, run as the unprivileged user, can read it.
  const passwordCopy = path.join(path.dirname(fs.realpathSync(dataDir)), 'postgres-initdb-password');
  fs.writeFileSync(passwordCopy, postgresPassword(layout), { mode: 0o600 });
  if (runningAsRoot()) execFileSync('chown', [`${UNPRIVILEGED_USER}:`, dataDir, passwordCopy]);
  const initdb = [
    path.join(bin, 'initdb'),
    '-D',
    fs.realpathSync(dataDir),
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

export async function startPostgres(layout: ClusterLayout, log?: (line: string) => void): Promise<void> {
  const { dataDir, port, logFile } = layout.postgres;
  if (runningPid(layout.pidDir, 'postgres') !== undefined) return;
  const bin = postgresBinDir();
  initialisePostgres(layout, bin, log);
  // No unix socket: the default socket directory belongs to the system's own PostgreSQL.
  launchRecorded(
    'postgres',
    path.join(bin, 'postgres'),
    [
      '-D',
      fs.realpathSync(dataDir), // the real one: the unprivileged user may not pass the link's parents
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
