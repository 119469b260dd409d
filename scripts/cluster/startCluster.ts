import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../common/failureConverter';
import { loadConfig } from '../../config/config';
import { BULK_WORKER_NODE_FLAGS, WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../../worker/nodeOptions';
import { type RunningService, startEmbeddedServices, stopServices, waitForPort } from '../embeddedStack';
import { clusterLayout } from './clusterLayout';
import { launchRecorded, stopRecorded } from './recordedProcesses';
import { startTemporalCluster, stopTemporalCluster } from './temporalCluster';
import { startWebUi } from './webUi';
import { setCurrentVersion } from './workerDeployments';

/**
 * `npm run start:cluster`: Sinetti on the topology production runs, on one
 * machine. Temporal's four services on PostgreSQL, two processes-workers
 * and a bulk worker of one deployment version, the API, and the Web UI.
 * Everything listens on ports of its own (README "Cluster mode"), so it
 * runs beside `npm start` and the tests. Ctrl-C stops it all; data stays in
 * data/cluster and the next start carries on.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Defaults for the cluster's own ports; anything set in the environment wins. */
const CLUSTER_DEFAULTS: Record<string, string> = {
  API_PORT: '3300',
  FERRETDB_PORT: '27617',
  SMTP_PORT: '1625',
  MAIL_WEB_PORT: '1680',
  SUOMIFI_SIMULATOR_PORT: '8830',
  VTJ_SIMULATOR_PORT: '8831',
  // The development TSA, OCSP responder and CRL of the cluster's own CA (in its data directory), apart from npm start's.
  SINETTI_TSA_PORT: '8836',
  SINETTI_OCSP_PORT: '8837',
  SINETTI_CRL_PORT: '8838',
  // Staff sign in at the development identity provider of its own (npm start's is on 3900).
  IDP_PORT: '3633',
  SINETTI_DEPLOYMENT_NAME: 'sinetti',
};

const APPLICATION_PROCESSES = ['api', 'worker-processes-1', 'worker-processes-2', 'worker-bulk'] as const;

/**
 * The workflows bundled once for all workers; unless SINETTI_BUILD_ID names
 * the build, its id is the bundle's hash, so changed workflow code is a new
 * deployment version and unchanged code the same one.
 */
async function bundleWorkflows(dir: string): Promise<{ bundlePath: string; buildId: string }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  return { bundlePath, buildId: process.env.SINETTI_BUILD_ID ?? `wf-${createHash('sha256').update(code).digest('hex').slice(0, 12)}` };
}

/** FerretDB, MailDev, the simulators, the TSA and the identity provider, once started: stopped on Ctrl-C and on a failed start alike. */
let services: RunningService[] = [];

async function main(): Promise<void> {
  const layout = clusterLayout();
  const began = Date.now();
  const env: NodeJS.ProcessEnv = {
    ...CLUSTER_DEFAULTS,
    SINETTI_DATA_DIR: path.join(layout.dir, 'sinetti'),
    ...process.env,
    TEMPORAL_ADDRESS: layout.temporal.frontendAddress,
    TEMPORAL_NAMESPACE: layout.temporal.namespace,
    // The codec endpoint admits the cluster's Web UI.
    TEMPORAL_UI_PORT: String(layout.ui.port),
  };
  const config = loadConfig(env);
  fs.mkdirSync(config.dataDir, { recursive: true });
  console.log(`Sinetti cluster: starting (data in ${layout.dir}, logs in ${layout.logDir})`);
  // A start that was killed may have left application processes behind; they run the old code.
  for (const name of APPLICATION_PROCESSES) await stopRecorded(layout.pidDir, name);

  await startTemporalCluster(layout, (line) => console.log(line));
  services = await startEmbeddedServices(config);
  const { bundlePath, buildId } = await bundleWorkflows(layout.dir);
  const version = { deploymentName: env.SINETTI_DEPLOYMENT_NAME!, buildId };

  const workerEnv = (name: string, role: 'processes' | 'bulk', metricsPort: number): NodeJS.ProcessEnv => ({
    ...WORKER_ENVIRONMENT,
    ...env,
    SINETTI_SERVICE: name,
    SINETTI_WORKER_ROLE: role,
    SINETTI_BUILD_ID: buildId,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
  });
  const launch = (name: string, flags: string[], entry: string, childEnv: NodeJS.ProcessEnv) =>
    launchRecorded(name, TSX, [...flags, path.join(ROOT, entry)], {
      pidDir: layout.pidDir,
      logFile: path.join(layout.logDir, `${name}.log`),
      env: childEnv,
    });
  launch('worker-processes-1', WORKER_NODE_FLAGS, 'worker/main.ts', workerEnv('worker-processes-1', 'processes', 9564));
  launch('worker-processes-2', WORKER_NODE_FLAGS, 'worker/main.ts', workerEnv('worker-processes-2', 'processes', 9565));
  launch('worker-bulk', BULK_WORKER_NODE_FLAGS, 'worker/main.ts', workerEnv('worker-bulk', 'bulk', 9566));
  launch('api', [], 'api/main.ts', { ...env, SINETTI_SERVICE: 'api' });

  // New processes go to this build once its workers poll; processes pinned to an earlier build stay there.
  const connection = await Connection.connect({ address: layout.temporal.frontendAddress });
  try {
    await setCurrentVersion(connection, layout.temporal.namespace, version, 180_000);
  } finally {
    await connection.close();
  }
  await waitForPort(config.api.port, 'Sinetti API', 120_000);
  const uiUrl = await startWebUi(layout, { codecEndpoint: `${config.publicUrl}/codec` });

  let stopping = false;
  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log('\nSinetti cluster: stopping…');
    for (const name of APPLICATION_PROCESSES) await stopRecorded(layout.pidDir, name);
    await stopServices(services);
    await stopTemporalCluster(layout);
    process.exit(0);
  }
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const admin = config.staffTokens.find((t) => t.role === 'admin');
  console.log(
    [
      '',
      `Sinetti cluster is running (started in ${((Date.now() - began) / 1000).toFixed(0)} s):`,
      `  API              ${config.publicUrl}  (health: ${config.publicUrl}/health)`,
      `  Temporal Web UI  ${uiUrl}`,
      `  Temporal gRPC    ${layout.temporal.frontendAddress}  (frontend; history, matching and worker services beside it)`,
      `  PostgreSQL       127.0.0.1:${layout.postgres.port}  (user ${layout.postgres.user}, password in ${layout.postgres.passwordFile})`,
      `  Workers          2 × processes, 1 × bulk, deployment ${version.deploymentName}, build ${version.buildId} (current)`,
      config.mongodb.embedded ? `  Store (FerretDB) ${config.mongodb.uri}` : '  Store            MONGODB_URI',
      config.smtp.embedded ? `  Mail inbox       http://127.0.0.1:${config.smtp.webPort}` : '  SMTP             SMTP_URL',
      config.identity.oidc.embedded
        ? `  Staff pages      ${config.publicUrl}/hr, /kasittely, /registry, /admin: "Sign in with your organisation account" at ${config.identity.oidc.issuer} (README "Staff sign-in" lists the users)`
        : '',
      process.env.SINETTI_STAFF_TOKENS ? '' : `  Development staff tokens: dev-<role>-token, e.g. Authorization: Bearer ${admin?.token}`,
      '',
      'Press Ctrl-C to stop.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

main().catch(async (error) => {
  console.error(`Sinetti cluster could not start: ${error instanceof Error ? error.message : error}`);
  // Leave nothing half started behind; the logs stay.
  const layout = clusterLayout();
  for (const name of APPLICATION_PROCESSES) await stopRecorded(layout.pidDir, name);
  await stopServices(services);
  await stopTemporalCluster(layout);
  process.exit(1);
});
