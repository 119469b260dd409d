import { NativeConnection, Worker } from '@temporalio/worker';
import { sinettiDataConverter } from '../../common/payloadKeys';
import { temporalConnectionOptions } from '../../common/temporalClient';
import { testConfig, workflowBundle } from './testStack';

/**
 * A worker process that runs the suite's workflows and no activities
 * (started with startWorkerProcess(config, env, this file)), so a test can
 * kill -9 the worker that holds a run in its cache while the test runs the
 * activities itself.
 */
async function main(): Promise<void> {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: process.env.TEMPORAL_TASK_QUEUE! });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: sinettiDataConverter(config),
  });
  const running = worker.run();
  console.log('workflow-only worker started');
  await running;
}

void main();
