import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { RunningService, startEmbeddedServices, stopServices, waitForPort } from './embeddedStack';
import { WORKER_NODE_FLAGS } from '../worker/nodeOptions';

/**
 * `npm start`: the whole of Sinetti on this machine. Starts what the
 * environment does not point elsewhere (Temporal dev server with its Web UI,
 * FerretDB, MailDev), then the worker and the API, prints where everything
 * is, and stops it all on Ctrl-C. Data stays in the data directory, so the
 * next start carries on with the processes in flight.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  console.log(`Sinetti: starting (data in ${config.dataDir})`);
  // The Web UI decodes payloads through our codec endpoint, for signed-in admins only.
  const services: RunningService[] = await startEmbeddedServices(config, { codecEndpoint: `${config.publicUrl}/codec` });

  let stopping = false;
  async function stop(code = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log('\nSinetti: stopping…');
    await stopServices(services);
    process.exit(code);
  }
  const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  for (const [name, entry] of [['worker', 'worker/main.ts'], ['api', 'api/main.ts']] as const) {
    const flags = name === 'worker' ? WORKER_NODE_FLAGS : [];
    const child = spawn(tsx, [...flags, path.join(__dirname, '..', entry)], { stdio: 'inherit', detached: true, env: { ...process.env, SINETTI_SERVICE: name } });
    services.push({ name, url: '', process: child });
    child.once('exit', (code) => { if (!stopping) { console.error(`Sinetti: the ${name} exited (${code}); stopping.`); void stop(1); } });
  }
  await waitForPort(config.api.port, 'Sinetti API', 60_000);

  const admin = config.staffTokens.find((t) => t.role === 'admin');
  console.log([
    '',
    'Sinetti is running:',
    `  API              ${config.publicUrl}  (OpenAPI: ${config.publicUrl}/openapi.json, health: ${config.publicUrl}/health)`,
    config.temporal.embedded ? `  Temporal Web UI  http://127.0.0.1:${config.temporal.uiPort}` : `  Temporal         ${config.temporal.address}`,
    config.temporal.embedded ? `  Temporal gRPC    ${config.temporal.address}` : '',
    config.mongodb.embedded ? `  Store (FerretDB) ${config.mongodb.uri}` : '  Store            MONGODB_URI',
    config.smtp.embedded ? `  Mail inbox       http://127.0.0.1:${config.smtp.webPort}  (SMTP ${config.smtp.url})` : '  SMTP             SMTP_URL',
    config.identity.oidc.embedded ? `  Staff sign-in    ${config.publicUrl}/hr  (development identity provider ${config.identity.oidc.issuer}; users and passwords in the README, e.g. hanna.hr / hr-salasana)` : '',
    process.env.SINETTI_STAFF_TOKENS ? '' : `  Development staff tokens: dev-<role>-token, e.g. Authorization: Bearer ${admin?.token}`,
    '',
    'Press Ctrl-C to stop.',
  ].filter(Boolean).join('\n'));

  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(`Sinetti could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
