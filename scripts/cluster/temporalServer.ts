import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { locateTool, waitForPort } from '../embeddedStack';
import { type ClusterLayout, TEMPORAL_SERVICES, type TemporalService } from './clusterLayout';
import { postgresPassword } from './postgres';
import { launchRecorded, runningPid, stopRecorded } from './recordedProcesses';

/**
 * Temporal's server as production runs it: frontend, history, matching and
 * worker as four processes of one binary, on PostgreSQL for persistence and
 * for advanced visibility (the admin's list filters and stuck list).
 */

const ROOT = path.resolve(__dirname, '..', '..');
/** The dynamic config docker-compose.yml mounts: the settings Sinetti needs from any Temporal server. */
export const DYNAMIC_CONFIG_FILE = path.join(ROOT, 'config', 'temporal-dynamic-config.yaml');

/**
 * Creates both databases on first start and brings their schemas up to this
 * server version's, with the same one-shot script docker-compose.yml runs.
 */
export function setUpSchemas(layout: ClusterLayout): void {
  const result = spawnSync('bash', [path.join(__dirname, 'setup-temporal-schema.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      SQL_TOOL: locateTool('temporal-sql-tool'),
      SQL_HOST: '127.0.0.1',
      SQL_PORT: String(layout.postgres.port),
      SQL_USER: layout.postgres.user,
      // The password through the environment, not the command line that `ps` shows.
      SQL_PASSWORD: postgresPassword(layout),
    },
  });
  if (result.status !== 0) throw new Error(`Temporal's schema set-up failed: ${result.stdout}${result.stderr}`);
}

/** The server's static config, written on every start from the layout (the password stays in the data directory). */
export function writeServerConfig(layout: ClusterLayout): void {
  const { postgres, temporal } = layout;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgresPassword(layout),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const services = Object.fromEntries(
    TEMPORAL_SERVICES.map((service) => [
      service,
      {
        rpc: {
          grpcPort: temporal.ports[service].grpc,
          membershipPort: temporal.ports[service].membership,
          bindOnIP: '127.0.0.1',
          ...(service === 'frontend' ? { httpPort: temporal.frontendHttpPort } : {}),
        },
      },
    ]),
  );
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // Fixed for the life of the cluster: the history shards are how work spreads over history hosts.
      numHistoryShards: 16,
      datastores: { 'postgres-default': datastore('temporal', 20), 'postgres-visibility': datastore('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: temporal.frontendAddress },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: DYNAMIC_CONFIG_FILE, pollInterval: '10s' },
  };
  fs.mkdirSync(temporal.configDir, { recursive: true });
  // JSON is YAML; the server reads <env>.yaml from its config directory.
  fs.writeFileSync(path.join(temporal.configDir, 'development.yaml'), JSON.stringify(config, null, 2), { mode: 0o600 });
}

export function startTemporalService(layout: ClusterLayout, service: TemporalService): void {
  if (runningPid(layout.pidDir, service) !== undefined) return;
  launchRecorded(
    service,
    locateTool('temporal-server'),
    [
      '--root',
      path.dirname(layout.temporal.configDir),
      '--config',
      'config',
      '--env',
      'development',
      '--allow-no-auth',
      'start',
      '--service',
      service,
    ],
    { pidDir: layout.pidDir, logFile: path.join(layout.logDir, `temporal-${service}.log`) },
  );
}

export async function waitForTemporalService(layout: ClusterLayout, service: TemporalService, timeoutMs = 120_000): Promise<void> {
  // The worker service serves no gRPC; every service joins the membership ring, the frontend last of all serves clients.
  const { grpc, membership } = layout.temporal.ports[service];
  await waitForPort(service === 'frontend' ? grpc : membership, `Temporal ${service}`, timeoutMs);
}

export async function stopTemporalService(
  layout: ClusterLayout,
  service: TemporalService,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  await stopRecorded(layout.pidDir, service, signal);
}

/**
 * A new cluster has no namespaces: register Sinetti's, then wait until the
 * frontend's namespace cache (refreshed every ten seconds) knows it.
 */
export async function ensureNamespace(layout: ClusterLayout, retentionDays = 30): Promise<void> {
  const connection = await Connection.connect({ address: layout.temporal.frontendAddress });
  try {
    const namespace = layout.temporal.namespace;
    const until = Date.now() + 120_000;
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        break;
      } catch (error) {
        if (Date.now() > until) throw error;
      }
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
        });
      } catch (error) {
        if (!/already exists|AlreadyExists/i.test(String(error))) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await connection.close();
  }
}
