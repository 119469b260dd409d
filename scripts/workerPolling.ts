import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Whether a worker is taking work from the task queue: Temporal lists the
 * pollers it has seen. A poller seen before `since` (the last run's worker,
 * remembered for minutes after it stopped) does not count, so `npm start`
 * says "running" only once this run's worker polls, not when the API answers.
 */
export async function workerPolls(client: Client, namespace: string, taskQueue: string, since: Date): Promise<boolean> {
  const queue = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (queue.pollers ?? []).some((poller) => {
    const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
    return seconds * 1000 >= since.getTime() - 1000;
  });
}

export async function waitForWorkerPolling(
  client: Client,
  namespace: string,
  taskQueue: string,
  options: { since: Date; timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const until = Date.now() + options.timeoutMs;
  while (!(await workerPolls(client, namespace, taskQueue, options.since))) {
    if (Date.now() > until) throw new Error(`no worker polled task queue ${taskQueue} within ${options.timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
