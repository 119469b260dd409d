/**
 * Bulk work (a batch page's letters, sent a few dozen at a time for minutes
 * on end) runs on a task queue of its own, next to the one a process runs
 * on. Its worker is sized and tuned for throughput, and it never holds the
 * activity slots that people's signatures wait for.
 */
export function bulkTaskQueue(taskQueue: string): string {
  return `${taskQueue}-bulk`;
}

/**
 * Webhook deliveries run on a queue of their own too: a receiver that is
 * slow or down, or ten thousand letters' events, never take the slots a
 * process's steps wait for.
 */
export function webhooksTaskQueue(taskQueue: string): string {
  return `${taskQueue}-webhooks`;
}
