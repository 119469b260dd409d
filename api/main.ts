import { AuditLog } from '../audit/auditLog';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { Mailer } from '../mail/mailer';
import { logger } from '../observability/logger';
import { connectStore, disconnectStore } from '../store/connection';
import { GridFsDocumentStore } from '../store/documentStore';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  await connectStore(config.mongodb.uri);
  const temporal = await connectTemporalClient(config);
  const mail = new Mailer(config.smtp.url, config.smtp.from);
  const app = createApp({ config, store: new GridFsDocumentStore(config.maxDocumentBytes), audit: new AuditLog(), temporal, mail });
  const server = app.listen(config.api.port, config.api.host, () => logger.info({ port: config.api.port }, 'API listening'));
  const stop = async () => {
    server.close();
    mail.close();
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
