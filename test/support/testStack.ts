import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type Client } from '@temporalio/client';
import { loadConfig, type SinettiConfig } from '../../config/config';
import { connectTemporalClient, temporalConnectionOptions } from '../../common/temporalClient';
import { FAILURE_CONVERTER_PATH } from '../../common/failureConverter';
import { connectStore, disconnectStore } from '../../store/connection';
import { createWorkers, WORKFLOWS_PATH } from '../../worker/createWorker';
import { testTimerInterceptorModules } from '../../worker/testTimers';

/**
 * The tests' view of the real stack: the same Temporal dev server, FerretDB
 * and MailDev that `npm start` runs, on ports of their own so a running
 * development stack is left alone. TEMPORAL_ADDRESS, MONGODB_URI and
 * SMTP_URL point the tests at external services instead.
 */
export const TEST_ENVIRONMENT: Record<string, string> = {
  SINETTI_DATA_DIR: path.resolve(__dirname, '..', '..', 'data', 'test'),
  TEMPORAL_PORT: '7333',
  TEMPORAL_UI_PORT: '8333',
  FERRETDB_PORT: '27117',
  SMTP_PORT: '1125',
  MAIL_WEB_PORT: '1180',
  API_PORT: '3100',
  LOG_LEVEL: 'warn',
  // Official mail: the simulators on ports of their own, and everything timed in seconds.
  SUOMIFI_SIMULATOR_PORT: '8910',
  VTJ_SIMULATOR_PORT: '8911',
  // The development identity provider on a port of its own.
  IDP_PORT: '3933',
  // The development TSA, OCSP responder and CRL; one CA shared by every checkout on this machine, since the services are shared too.
  SINETTI_TSA_PORT: '8912',
  SINETTI_OCSP_PORT: '8913',
  SINETTI_CRL_PORT: '8914',
  SINETTI_DEVELOPMENT_PKI_DIR: path.join(os.tmpdir(), 'sinetti-test-pki'),
  SUOMIFI_SIMULATOR_EVENT_STEP_MS: '300',
  SUOMIFI_REQUEST_TIMEOUT_MS: '1500',
  LETTER_EVENT_POLL_INTERVAL_MS: '500',
  // A fixed, public test key: recorded histories in test/histories are encrypted with it.
  SINETTI_PAYLOAD_KEYS: 'test-1:c2luZXR0aS10ZXN0LWtleS1ub3QtYS1zZWNyZXQtMzI=',
  // Every suite comes from 127.0.0.1 and shares the counters; test/rateLimits.test.ts sets its own limits.
  RATE_LIMIT_FORMS: '100000/60',
  RATE_LIMIT_LINKS: '100000/60',
  RATE_LIMIT_CODES: '100000/60',
  RATE_LIMIT_SIGN_IN: '100000/60',
  RATE_LIMIT_CODEC: '100000/60',
  RATE_LIMIT_DEEP_HEALTH: '100000/60',
};

const PASSED_THROUGH = ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'SMTP_URL', 'MAIL_WEB_URL', 'SUOMIFI_MESSAGES_URL', 'VTJ_URL'];

export function testConfig(overrides: Record<string, string> = {}): SinettiConfig {
  const external = Object.fromEntries(PASSED_THROUGH.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
  const config = loadConfig({ ...TEST_ENVIRONMENT, ...external, ...overrides });
  if (config.mongodb.embedded) config.mongodb.uri = config.mongodb.uri.replace(/\/sinetti$/, '/sinetti_test');
  return config;
}

/** A unique task queue per suite and run, so nothing left over from an earlier run is picked up. */
export function uniqueTaskQueue(suite: string): string {
  return `test-${suite}-${Date.now().toString(36)}`;
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/**
 * Workflows are bundled once per suite (a jest suite is one module
 * registry). A suite that sets SINETTI_TEST_SHORT_PERIODS=1 before it
 * starts gets the law's periods in seconds (worker/testTimers.ts).
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: testTimerInterceptorModules(),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

export interface TestStack {
  config: SinettiConfig;
  client: Client;
  connection: NativeConnection;
  /** Runs a real worker for the duration of `work`. */
  withWorker<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openTestStack(suite: string, overrides: Record<string, string> = {}): Promise<TestStack> {
  quietRuntime();
  const config = testConfig({ TEMPORAL_TASK_QUEUE: uniqueTaskQueue(suite), ...overrides });
  await connectStore(config.mongodb.uri);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const client = await connectTemporalClient(config);
  return {
    config,
    client,
    connection,
    async withWorker(work) {
      // Every queue's worker (processes, bulk, webhooks), as the worker process runs them by default.
      const { workers, close } = await createWorkers(config, connection, {
        role: 'all',
        processes: { workflowBundle: await workflowBundle() },
      });
      try {
        const runAll = workers.reduce((inner, worker) => () => worker.runUntil(inner()), work);
        return await runAll();
      } finally {
        close();
      }
    },
    async close() {
      await client.connection.close();
      await connection.close();
      await disconnectStore();
    },
  };
}
