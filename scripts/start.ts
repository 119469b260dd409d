import { spawn } from 'node:child_process';
import path from 'node:path';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { privateDataDir, type RunningService, startEmbeddedServices, stopServices, waitForPort } from './embeddedStack';
import { type SupervisedChild, supervise } from './supervisor';
import { waitForWorkerPolling } from './workerPolling';
import { WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../worker/nodeOptions';

/**
 * `npm start`: the whole of Sinetti on this machine. Starts what the
 * environment does not point elsewhere (Temporal dev server with its Web UI,
 * FerretDB, MailDev), then the worker and the API, prints where everything
 * is, and stops it all on Ctrl-C (or SIGTERM). A worker or API that crashes
 * is started again (scripts/supervisor.ts); nothing else stops. Data stays
 * in the data directory, so the next start carries on with the processes in flight.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  privateDataDir(config.dataDir);
  console.log(`Sinetti: starting (data in ${config.dataDir})`);
  const services: RunningService[] = [];
  const supervised: SupervisedChild[] = [];
  let stopping = false;
  async function stop(code = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log('\nSinetti: stopping…');
    await Promise.all(supervised.map((child) => child.stop()));
    await stopServices(services);
    process.exit(code);
  }
  // From the start, so a Ctrl-C while the stack comes up still stops what has started.
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  // The Web UI decodes payloads through our codec endpoint, for signed-in admins only.
  services.push(...(await startEmbeddedServices(config, { codecEndpoint: `${config.publicUrl}/codec` })));
  const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const workerStartedAt = new Date();
  for (const [name, entry] of [
    ['worker', 'worker/main.ts'],
    ['API', 'api/main.ts'],
  ] as const) {
    const flags = name === 'worker' ? WORKER_NODE_FLAGS : [];
    supervised.push(
      supervise(name, () => {
        const child = spawn(tsx, [...flags, path.join(__dirname, '..', entry)], {
          stdio: 'inherit',
          detached: true,
          env: { ...(name === 'worker' ? WORKER_ENVIRONMENT : {}), ...process.env, SINETTI_SERVICE: name.toLowerCase() },
        });
        console.log(`Sinetti: the ${name} started (pid ${child.pid}).`);
        return child;
      }),
    );
  }
  await waitForPort(config.api.port, 'Sinetti API', 60_000);
  // "Running" only once the worker takes work: it bundles the workflows first, seconds after the API answers (issue 15, C1).
  const temporal = await connectTemporalClient(config);
  try {
    await waitForWorkerPolling(temporal, config.temporal.namespace, config.temporal.taskQueue, {
      since: workerStartedAt,
      timeoutMs: 180_000,
    });
  } finally {
    await temporal.connection.close();
  }

  const admin = config.staffTokens.find((t) => t.role === 'admin');
  console.log(
    [
      '',
      'Sinetti is running:',
      `  API              ${config.publicUrl}  (OpenAPI: ${config.publicUrl}/openapi.json, health: ${config.publicUrl}/health)`,
      config.temporal.embedded
        ? `  Temporal Web UI  http://127.0.0.1:${config.temporal.uiPort}`
        : `  Temporal         ${config.temporal.address}`,
      config.temporal.embedded ? `  Temporal gRPC    ${config.temporal.address}` : '',
      config.mongodb.embedded ? `  Store (FerretDB) ${config.mongodb.uri}` : '  Store            MONGODB_URI',
      config.smtp.embedded
        ? `  Mail inbox       http://127.0.0.1:${config.smtp.webPort}  (SMTP ${config.smtp.url})`
        : '  SMTP             SMTP_URL',
      config.identity.oidc.embedded
        ? `  Staff sign-in    ${config.publicUrl}/hr  (development identity provider ${config.identity.oidc.issuer}; users and passwords in the README, e.g. hanna.hr / hr-salasana)`
        : '',
      process.env.SINETTI_STAFF_TOKENS ? '' : `  Development staff tokens: dev-<role>-token, e.g. Authorization: Bearer ${admin?.token}`,
      '',
      'Press Ctrl-C to stop.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

main().catch((error) => {
  console.error(`Sinetti could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
