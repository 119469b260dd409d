import { type Client } from '@temporalio/client';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * The API's Prometheus metrics: Node's own, plus how many running processes
 * there are per type and status, counted from Temporal's visibility store
 * when scraped (at most every 30 s, and at most 10,000 processes).
 */
export function createApiMetrics(temporal: Client): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sinetti_api_' });
  let cached: { at: number; counts: Map<string, number> } | undefined;
  new Gauge({
    name: 'sinetti_running_processes',
    help: 'Running Sinetti processes by process type and status',
    labelNames: ['process_type', 'status'],
    registers: [registry],
    async collect() {
      if (!cached || Date.now() - cached.at > 30_000) {
        const counts = new Map<string, number>();
        let seen = 0;
        for await (const info of temporal.workflow.list({ query: `ExecutionStatus = 'Running' AND ProcessType IS NOT NULL` })) {
          const key = `${String(info.searchAttributes?.ProcessType?.[0] ?? info.type)}\u0000${String(info.searchAttributes?.ProcessStatus?.[0] ?? 'unknown')}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          if (++seen >= 10_000) break;
        }
        cached = { at: Date.now(), counts };
      }
      this.reset();
      for (const [key, count] of cached.counts) {
        const [processType, status] = key.split('\u0000');
        this.set({ process_type: processType, status }, count);
      }
    },
  });
  return registry;
}
