import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { logger } from '../observability/logger';
import { connectStore, disconnectStore } from '../store/connection';
import { createWorker } from './createWorker';

/** The worker process: runs Sinetti's workflows and activities until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  await connectStore(config.mongodb.uri);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const { worker, close } = await createWorker(config, connection);
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
  await worker.run();
  close();
  await connection.close();
  await disconnectStore();
  logger.info('worker stopped');
}

main().catch((error) => {
  logger.fatal({ err: { message: error?.message, stack: error?.stack } }, 'worker failed');
  process.exit(1);
});
