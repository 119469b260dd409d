/**
 * Node options the worker process runs with (npm start, the benchmarks,
 * and docker-compose.yml, which repeats them). V8's young generation is
 * kept at 2 MB per semi-space instead of 16: the worker's garbage is
 * short-lived activity buffers, and the smaller nursery keeps its resident
 * memory some 30 MB lower (BENCHMARKS.md).
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=2';

/** The environment for a worker child process: ours first, then whatever NODE_OPTIONS the caller already had. */
export function workerNodeOptions(env: NodeJS.ProcessEnv): string {
  return [WORKER_NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(' ');
}
