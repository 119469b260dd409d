/**
 * Node flags the worker process runs with (npm start, the benchmarks, and
 * docker-compose.yml, which repeats them) when it runs processes. The worker's garbage is mostly
 * short-lived activity buffers: a 2 MB young generation (V8's default is
 * 16) and V8's optimize-for-size mode keep its resident memory about a
 * third lower under load at no measurable cost in latency (BENCHMARKS.md).
 * The heap is not capped: a large, object-heavy PDF needs room to parse.
 */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'];

/**
 * Environment every worker process starts with (npm start, the cluster, the benchmarks; docker-compose.yml
 * repeats it). glibc gives threads that allocate at once malloc arenas of their own, up to eight per core, and
 * each arena keeps what was freed in it. The worker's threads (Temporal's Rust core, the workflow threads,
 * libuv's pool) allocate side by side, so with glibc's limit its resident memory grew with arenas holding
 * freed memory; two arenas hold less (BENCHMARKS.md, "The processes worker's malloc arenas"). Read by glibc as
 * the process starts, so it cannot be set from inside it.
 */
export const WORKER_ENVIRONMENT: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

/**
 * The bulk worker's flags (SINETTI_WORKER_ROLE=bulk): a batch's pages,
 * sent a few dozen letters at a time, are CPU work, and optimize-for-size
 * doubled the worker's CPU per letter. So V8 runs in its normal mode with a
 * 4 MB young generation, and the heap is capped at 192 MB to keep the
 * process under 300 MB: enough to check letters up to the service's 10 MB
 * (a 17.7 MB, 6,000-page PDF needed 192 MB to parse).
 */
export const BULK_WORKER_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=192'];

/**
 * Workflows the processes' worker keeps in memory between their tasks (WORKER_MAX_CACHED_WORKFLOWS).
 * Each cached workflow holds its sandbox's state; one evicted replays its history when it next wakes, which for
 * a process waiting days for a person is cheap and rare. Thousands open at once then cost no more memory
 * than this many. 25, not 100: in one run of the at-scale benchmark (BENCHMARKS.md, "The processes worker's
 * cache size") a worker with 25 ended at 291 MiB against 329 MiB with 100 and brought processes to their waiting
 * step no slower (4.7/s against 3.7/s on a loaded machine): our histories are short, so a replay costs little.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 25;
