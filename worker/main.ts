import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { temporalConnectionOptions } from '../common/temporalClient';
import { logger } from '../observability/logger';
import { temporalSdkLogger } from '../observability/temporalLogger';
import { connectStore, disconnectStore } from '../store/connection';
import { createWorkers, type WorkerRole } from './createWorker';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from './nodeOptions';
import { startIntegrationServices } from '../integrations/integrationServices';

/** The worker process: runs Sinetti's workflows and activities until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Temporal's own worker metrics (task slots, latencies, failures) for Prometheus.
  const metricsAddress = process.env.WORKER_METRICS_ADDRESS ?? '127.0.0.1:9464';
  Runtime.install({ logger: temporalSdkLogger(), telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } });
  await connectStore(config.mongodb.uri);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // A production build (`npm run build`) ships the workflows bundled ahead of time.
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH ?? path.join(__dirname, '..', 'workflow-bundle.js');
  const prebuilt = fs.existsSync(bundlePath) ? { workflowBundle: { codePath: bundlePath } } : {};
  // SINETTI_WORKER_ROLE: "processes" (workflows and their activities), "bulk" (batch sending, workflows/taskQueues.ts), or both in one process.
  const role = (process.env.SINETTI_WORKER_ROLE ?? 'all') as WorkerRole;
  if (!['all', 'processes', 'bulk'].includes(role)) throw new Error(`SINETTI_WORKER_ROLE must be all, processes or bulk, not "${role}"`);
  const { workers, close } = await createWorkers(config, connection, {
    role,
    processes: {
      ...prebuilt,
      // Each cached workflow keeps a sandbox in memory; an evicted one replays its (small) history when it wakes.
      maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS),
      // Few activities at a time on this one thread: the rest wait in Temporal's queue, where
      // priorities apply (a signer's signature goes ahead of delivery mail), not half-done in here.
      maxConcurrentActivityTaskExecutions: Number(process.env.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 8),
    },
    // A batch sends at most a few pages at once, each page a few dozen letters at a time inside its activity.
    bulk: { maxConcurrentActivityTaskExecutions: Number(process.env.WORKER_MAX_CONCURRENT_BULK_ACTIVITIES ?? 4) },
  });
  logger.info(
    {
      role,
      taskQueues: workers.map((worker) => worker.options.taskQueue),
      deploymentVersion: workers[0]?.options.workerDeploymentOptions?.version,
      metrics: `http://${metricsAddress}/metrics`,
    },
    'worker started',
  );
  const integrations = role === 'bulk' ? undefined : await startIntegrationServices(config);
  await Promise.all(workers.map((worker) => worker.run()));
  await integrations?.stop();
  close();
  await connection.close();
  await disconnectStore();
  logger.info('worker stopped');
}

main().catch((error) => {
  logger.fatal({ err: { message: error?.message, stack: error?.stack } }, 'worker failed');
  process.exit(1);
});
