import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type SinettiConfig } from '../config/config';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

/**
 * The embedded default: the Temporal CLI dev server, FerretDB on SQLite and
 * MailDev, each started only where the configuration names no external
 * service, and each reused when something already listens on its port.
 */

const ROOT = path.resolve(__dirname, '..');
const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');

/**
 * The data directory holds personal data (the store's file, MailDev's mails
 * with their signing links, the payload keys): readable by its owner only,
 * also when it already existed.
 */
export function privateDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}

export interface RunningService {
  name: string;
  url: string;
  /** Undefined when an already running instance (or an external one) is used. */
  process?: ChildProcess;
}

export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPort(port: number, what: string, timeoutMs = 60_000, child?: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening on ${port}`);
    if (await isPortOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start listening on port ${port} within ${timeoutMs / 1000} s`);
}

/** Finds a Go-built tool on PATH or in .tools/bin, building it once if missing. */
export function locateTool(name: 'temporal' | 'ferretdb' | 'temporal-server' | 'temporal-sql-tool' | 'temporal-ui-server'): string {
  const local = path.join(TOOLS_BIN, name);
  if (fs.existsSync(local)) return local;
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const build = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-tools.sh')], {
    stdio: 'inherit',
    env: { ...process.env, ...(name.startsWith('temporal-') ? { SINETTI_CLUSTER_TOOLS: '1' } : {}) },
  });
  if (build.status !== 0 || !fs.existsSync(local)) throw new Error(`Could not build ${name}; see the output of scripts/install-tools.sh`);
  return local;
}

function launch(name: string, command: string, args: string[], logFile: string): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  // Own process group, so Ctrl-C in the terminal reaches us first and we stop children in order.
  return spawn(command, args, { stdio: ['ignore', log, log], detached: true });
}

/** The same settings as config/temporal-dynamic-config.yaml gives the production server. */
const TEMPORAL_DYNAMIC_CONFIG = [
  'matching.useNewMatcher=true',
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
];

export interface TemporalDevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  codecEndpoint?: string;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningService> {
  const url = `127.0.0.1:${options.port}`;
  if (await isPortOpen(options.port)) {
    await registerSearchAttributes(url, options.namespace);
    return { name: 'Temporal', url };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--db-filename',
    path.join(options.dataDir, 'temporal.sqlite'),
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    '--log-level',
    'warn',
    // Task priorities (a contract's seal before its delivery mail) need the priority-aware matcher,
    // which Temporal 1.29 leaves off; one partition keeps the order exact for the one worker here.
    ...TEMPORAL_DYNAMIC_CONFIG.flatMap((setting) => ['--dynamic-config-value', setting]),
  ];
  for (const [name, type] of Object.entries(CUSTOM_SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  const child = launch('temporal', locateTool('temporal'), args, path.join(options.dataDir, 'temporal.log'));
  await waitForPort(options.port, 'Temporal dev server', 120_000, child);
  await waitForPort(options.uiPort, 'Temporal Web UI', 60_000, child);
  await registerSearchAttributes(url, options.namespace);
  return { name: 'Temporal', url, process: child };
}

/**
 * `--search-attribute` registers attributes only in a new database; one made
 * by an older Sinetti lacks those added since, so add whatever is missing.
 */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.entries(CUSTOM_SEARCH_ATTRIBUTES).filter(([name]) => !(name in (customAttributes ?? {})));
    if (missing.length === 0) return;
    const types = {
      Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
      KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    };
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, types[type]])),
    });
  } finally {
    await connection.close();
  }
}

export async function startFerretDb(dataDir: string, port: number): Promise<RunningService> {
  const url = `mongodb://127.0.0.1:${port}/sinetti`;
  if (await isPortOpen(port)) return { name: 'FerretDB', url };
  const storeDir = path.join(dataDir, 'ferretdb');
  fs.mkdirSync(storeDir, { recursive: true });
  // FERRETDB_DEBUG_ADDR (e.g. 127.0.0.1:6060) serves Go's profiler, to see where the store spends its CPU under a benchmark.
  const debug = process.env.FERRETDB_DEBUG_ADDR ? ['--debug-addr', process.env.FERRETDB_DEBUG_ADDR] : [];
  const child = launch(
    'ferretdb',
    locateTool('ferretdb'),
    ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-url', `file:${storeDir}/?_txlock=immediate`, ...debug],
    path.join(dataDir, 'ferretdb.log'),
  );
  await waitForPort(port, 'FerretDB', 60_000, child);
  return { name: 'FerretDB', url, process: child };
}

/** MailDev keeps its inbox in the data directory, so what was sent is still readable after a restart. */
export async function startMailDev(dataDir: string, smtpPort: number, webPort: number): Promise<RunningService> {
  const url = `smtp://127.0.0.1:${smtpPort}`;
  if (await isPortOpen(smtpPort)) return { name: 'MailDev', url };
  fs.mkdirSync(dataDir, { recursive: true });
  const bin = path.join(ROOT, 'node_modules', 'maildev', 'bin', 'maildev');
  const child = launch(
    'maildev',
    process.execPath,
    [
      bin,
      '--smtp',
      String(smtpPort),
      '--web',
      String(webPort),
      '--ip',
      '127.0.0.1',
      '--mail-directory',
      path.join(dataDir, 'maildev'),
      '--silent',
    ],
    path.join(dataDir, 'maildev.log'),
  );
  await waitForPort(smtpPort, 'MailDev SMTP', 30_000, child);
  await waitForPort(webPort, 'MailDev web inbox', 30_000, child);
  return { name: 'MailDev', url, process: child };
}

/** The Suomi.fi Messages and population register simulators, unless the configuration names the real services. */
export async function startOfficialMailSimulators(config: SinettiConfig): Promise<RunningService> {
  const mail = config.officialMail;
  const url = `${mail.messages.url} (population register ${mail.populationRegister.url})`;
  if (!mail.messages.embedded && !mail.populationRegister.embedded) return { name: 'Suomi.fi Messages', url };
  if (await isPortOpen(mail.messages.simulatorPort)) return { name: 'Suomi.fi Messages simulator', url };
  fs.mkdirSync(config.dataDir, { recursive: true });
  const log = fs.openSync(path.join(config.dataDir, 'simulators.log'), 'a');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    SUOMIFI_SIMULATOR_PORT: String(mail.messages.simulatorPort),
    SUOMIFI_SIMULATOR_EVENT_STEP_MS: String(mail.messages.simulatorEventStepMs),
    SUOMIFI_MESSAGES_USERNAME: mail.messages.username,
    SUOMIFI_MESSAGES_PASSWORD: mail.messages.password,
    VTJ_SIMULATOR_PORT: String(mail.populationRegister.simulatorPort),
    VTJ_USERNAME: mail.populationRegister.username,
    VTJ_PASSWORD: mail.populationRegister.password,
  };
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'officialMailSimulators.ts')], {
    stdio: ['ignore', log, log],
    detached: true,
    env,
  });
  await waitForPort(mail.messages.simulatorPort, 'Suomi.fi Messages simulator', 30_000, child);
  await waitForPort(mail.populationRegister.simulatorPort, 'population register simulator', 30_000, child);
  child.unref(); // a test run kept with SINETTI_KEEP_TEST_STACK=1 must be able to exit while the simulators stay
  return { name: 'Suomi.fi Messages simulator', url, process: child };
}

/** The development OpenID Provider (integrations/identityProvider), unless SINETTI_OIDC_ISSUER names the organisation's own. */
export async function startIdentityProvider(config: SinettiConfig): Promise<RunningService> {
  const { oidc } = config.identity;
  if (!oidc.embedded) return { name: 'Identity provider', url: oidc.issuer };
  if (await isPortOpen(oidc.embeddedPort)) return { name: 'Development identity provider', url: oidc.issuer };
  fs.mkdirSync(config.dataDir, { recursive: true });
  const log = fs.openSync(path.join(config.dataDir, 'identity-provider.log'), 'a');
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'integrations', 'identityProvider', 'main.ts')], {
    stdio: ['ignore', log, log],
    detached: true,
    env: { ...(process.env as Record<string, string>), IDP_PORT: String(oidc.embeddedPort) },
  });
  await waitForPort(oidc.embeddedPort, 'development identity provider', 30_000, child);
  child.unref(); // like the simulators: a kept test stack leaves it running
  return { name: 'Development identity provider', url: oidc.issuer, process: child };
}

/** The development CA's TSA, OCSP responder and CRL (scripts/trustServices.ts), unless SINETTI_TSA_URLS names real TSAs. */
export async function startTrustServices(config: SinettiConfig): Promise<RunningService> {
  const ports = config.longTermValidity.embedded;
  if (!ports) return { name: 'Timestamping', url: config.longTermValidity.tsaUrls.join(', ') };
  const url = `http://127.0.0.1:${ports.tsaPort}/ (OCSP :${ports.ocspPort}, CRL :${ports.crlPort})`;
  if (await isPortOpen(ports.tsaPort)) return { name: 'Development TSA', url };
  fs.mkdirSync(config.dataDir, { recursive: true });
  const log = fs.openSync(path.join(config.dataDir, 'trust-services.log'), 'a');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    SINETTI_DATA_DIR: config.dataDir,
    SINETTI_ORGANIZATION: config.organization,
    SINETTI_DEVELOPMENT_PKI_DIR: config.signing.developmentPkiDir,
    SINETTI_TSA_PORT: String(ports.tsaPort),
    SINETTI_OCSP_PORT: String(ports.ocspPort),
    SINETTI_CRL_PORT: String(ports.crlPort),
  };
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'trustServices.ts')], {
    stdio: ['ignore', log, log],
    detached: true,
    env,
  });
  await waitForPort(ports.tsaPort, 'development TSA', 30_000, child);
  await waitForPort(ports.ocspPort, 'development OCSP responder', 30_000, child);
  await waitForPort(ports.crlPort, 'development CRL', 30_000, child);
  child.unref(); // like the simulators: a kept test stack leaves them running
  return { name: 'Development TSA', url, process: child };
}

/** Starts whatever the configuration leaves to the embedded stack. */
export async function startEmbeddedServices(config: SinettiConfig, options: { codecEndpoint?: string } = {}): Promise<RunningService[]> {
  privateDataDir(config.dataDir);
  const [temporal, store, mail, officialMail, trust, identityProvider] = await Promise.all([
    config.temporal.embedded
      ? startTemporalDevServer({
          dataDir: config.dataDir,
          port: Number(config.temporal.address.split(':').pop()),
          uiPort: config.temporal.uiPort,
          namespace: config.temporal.namespace,
          codecEndpoint: options.codecEndpoint,
        })
      : Promise.resolve({ name: 'Temporal', url: config.temporal.address }),
    config.mongodb.embedded
      ? startFerretDb(config.dataDir, config.mongodb.port)
      : Promise.resolve({ name: 'MongoDB', url: '(MONGODB_URI)' }),
    config.smtp.embedded
      ? startMailDev(config.dataDir, config.smtp.port, config.smtp.webPort)
      : Promise.resolve({ name: 'SMTP', url: '(SMTP_URL)' }),
    startOfficialMailSimulators(config),
    startTrustServices(config),
    startIdentityProvider(config),
  ]);
  return [temporal, store, mail, officialMail, trust, identityProvider];
}

/** Stops children we started, newest first, and waits for each to exit. */
export async function stopServices(services: RunningService[]): Promise<void> {
  for (const service of [...services].reverse()) {
    const child = service.process;
    if (!child || child.exitCode !== null || child.pid === undefined) continue;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      continue;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
}
