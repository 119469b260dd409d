import path from 'node:path';
import { z } from 'zod';

/**
 * Where the one-machine Temporal cluster keeps its data and which ports it
 * listens on. The defaults sit beside the dev stack's (7233, 27017, 3000)
 * the tests' (7333, 27117, 3100) and the benchmarks' (7433, 7533, 27217,
 * 27317), so all of them can run at once.
 */
const environment = z.object({
  SINETTI_CLUSTER_DIR: z.string().optional(),
  CLUSTER_POSTGRES_PORT: z.coerce.number().int().default(5433),
  /** The frontend's gRPC port; history, matching and the worker service take the next ports (see below). */
  CLUSTER_TEMPORAL_PORT: z.coerce.number().int().default(7633),
  CLUSTER_TEMPORAL_UI_PORT: z.coerce.number().int().default(8633),
  TEMPORAL_NAMESPACE: z.string().default('default'),
});

export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface ClusterLayout {
  dir: string;
  postgres: { dataDir: string; port: number; user: string; passwordFile: string; logFile: string };
  temporal: {
    configDir: string;
    namespace: string;
    frontendAddress: string;
    /** gRPC and membership (ringpop) ports of each service. */
    ports: Record<TemporalService, { grpc: number; membership: number }>;
    frontendHttpPort: number;
  };
  ui: { configDir: string; port: number };
  pidDir: string;
  logDir: string;
}

export function clusterLayout(
  env: NodeJS.ProcessEnv = process.env,
  defaultDir = path.resolve(__dirname, '..', '..', 'data', 'cluster'),
): ClusterLayout {
  const e = environment.parse(env);
  const dir = path.resolve(e.SINETTI_CLUSTER_DIR ?? defaultDir);
  const p = e.CLUSTER_TEMPORAL_PORT;
  // frontend 7633, history 7634, matching 7635, worker 7639: Temporal's own spacing, moved up by 400;
  // membership ports likewise, 1000 below.
  const offsets: Record<TemporalService, number> = { frontend: 0, history: 1, matching: 2, worker: 6 };
  const ports = Object.fromEntries(
    TEMPORAL_SERVICES.map((service) => [service, { grpc: p + offsets[service], membership: p - 1000 + offsets[service] }]),
  ) as ClusterLayout['temporal']['ports'];
  return {
    dir,
    postgres: {
      dataDir: path.join(dir, 'postgres'),
      port: e.CLUSTER_POSTGRES_PORT,
      user: 'temporal',
      passwordFile: path.join(dir, 'postgres-password'),
      logFile: path.join(dir, 'logs', 'postgres.log'),
    },
    temporal: {
      configDir: path.join(dir, 'temporal', 'config'),
      namespace: e.TEMPORAL_NAMESPACE,
      frontendAddress: `127.0.0.1:${p}`,
      ports,
      frontendHttpPort: p + 10,
    },
    ui: { configDir: path.join(dir, 'ui', 'config'), port: e.CLUSTER_TEMPORAL_UI_PORT },
    pidDir: path.join(dir, 'pids'),
    logDir: path.join(dir, 'logs'),
  };
}

/**
 * The test cluster's (npm run test:cluster): a directory and ports of its
 * own, beside start:cluster's. The rest of the test stack (FerretDB,
 * MailDev, simulators) is the suite's usual one.
 */
export const TEST_CLUSTER_ENVIRONMENT: Record<string, string> = {
  SINETTI_CLUSTER_DIR: path.resolve(__dirname, '..', '..', 'data', 'cluster-test'),
  CLUSTER_POSTGRES_PORT: '5533',
  CLUSTER_TEMPORAL_PORT: '7833',
  CLUSTER_TEMPORAL_UI_PORT: '8833',
};

/** The test cluster's layout, as seen from inside a test. */
export function testClusterLayout(): ClusterLayout {
  return clusterLayout({ ...process.env, ...TEST_CLUSTER_ENVIRONMENT });
}
