/**
 * Node flags the worker process runs with (npm start, the benchmarks, and
 * docker-compose.yml, which repeats them). The worker's garbage is mostly
 * short-lived activity buffers: a 2 MB young generation (V8's default is
 * 16) and V8's optimize-for-size mode keep its resident memory about a
 * third lower under load at no measurable cost in latency (BENCHMARKS.md).
 * The heap is not capped: a large, object-heavy PDF needs room to parse.
 */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'];
