import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterLayout } from '../scripts/cluster/clusterLayout';
import { initialisePostgres, postgresBinDir } from '../scripts/cluster/postgres';

/**
 * The cluster mode's PostgreSQL, as root: its files live in the `postgres`
 * user's directory, keyed by the checkout's path, so they outlive the
 * checkout. CI clones afresh at the same path each run; the second run once
 * failed with "initdb: directory … exists but is not empty".
 */

const asRoot = process.getuid?.() === 0;

(asRoot ? describe : describe.skip)('the cluster PostgreSQL across checkouts at one path', () => {
  let homes: string;
  let checkout: string;
  const log: string[] = [];
  const layout = () => clusterLayout({ SINETTI_CLUSTER_DIR: path.join(checkout, 'data', 'cluster-test') });
  const realDataDir = () => fs.realpathSync(layout().postgres.dataDir);

  beforeAll(() => {
    homes = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-pg-homes-'));
    fs.chmodSync(homes, 0o755);
    process.env.SINETTI_POSTGRES_HOMES = homes;
    // Closed to the postgres user, like a checkout under /root.
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-checkout-'));
    fs.chmodSync(checkout, 0o700);
  });

  afterAll(() => {
    delete process.env.SINETTI_POSTGRES_HOMES;
    fs.rmSync(homes, { recursive: true, force: true });
    fs.rmSync(checkout, { recursive: true, force: true });
  });

  test('the first start makes a cluster outside the checkout, behind a link', () => {
    initialisePostgres(layout(), postgresBinDir(), (line) => log.push(line));
    expect(fs.lstatSync(layout().postgres.dataDir).isSymbolicLink()).toBe(true);
    expect(realDataDir().startsWith(homes)).toBe(true);
    expect(fs.existsSync(path.join(realDataDir(), 'PG_VERSION'))).toBe(true);
  });

  test('the checkout lost only its link: the same cluster carries on', () => {
    const marker = path.join(realDataDir(), 'sinetti-marker');
    fs.writeFileSync(marker, 'kept');
    fs.rmSync(layout().postgres.dataDir);
    initialisePostgres(layout(), postgresBinDir(), (line) => log.push(line));
    expect(fs.readFileSync(path.join(layout().postgres.dataDir, 'sinetti-marker'), 'utf8')).toBe('kept');
  });

  test('a fresh clone at the same path (no password, no link) gets a new cluster instead of an initdb error', () => {
    fs.rmSync(path.join(checkout, 'data'), { recursive: true, force: true });
    log.length = 0;
    initialisePostgres(layout(), postgresBinDir(), (line) => log.push(line));
    expect(fs.existsSync(path.join(layout().postgres.dataDir, 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(layout().postgres.dataDir, 'sinetti-marker'))).toBe(false);
    expect(fs.existsSync(layout().postgres.passwordFile)).toBe(true);
    expect(log.join('\n')).toMatch(/earlier checkout whose password is gone/);
  });
});
