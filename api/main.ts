import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { logger } from '../observability/logger';
import { connectStore, disconnectStore } from '../store/connection';
import { createApiDeps } from './apiDeps';
import { createApp } from './app';
import { warmPdfInspection } from '../inspection/pdfInspection';

async function main(): Promise<void> {
  const config = loadConfig();
  await connectStore(config.mongodb.uri);
  const temporal = await connectTemporalClient(config);
  const deps = createApiDeps(config, temporal);
  const app = createApp(deps);
  warmPdfInspection();
  const server = app.listen(config.api.port, config.api.host, () => logger.info({ port: config.api.port }, 'API listening'));
  const stop = async () => {
    server.close();
    deps.close();
    await temporal.connection.close();
    await disconnectStore();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  logger.fatal({ err: { message: error?.message, stack: error?.stack } }, 'API failed to start');
  process.exit(1);
});
