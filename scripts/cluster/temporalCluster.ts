import { registerSearchAttributes } from '../embeddedStack';
import { type ClusterLayout, TEMPORAL_SERVICES } from './clusterLayout';
import { startPostgres, stopPostgres } from './postgres';
import {
  ensureNamespace,
  setUpSchemas,
  startTemporalService,
  stopTemporalService,
  waitForTemporalService,
  writeServerConfig,
} from './temporalServer';
import { stopRecorded } from './recordedProcesses';

/**
 * The Temporal half of the cluster, in the order production brings it up:
 * database, schema job, server services, namespace and search attributes.
 * Each step finds what an earlier start left and carries on from it.
 */
export async function startTemporalCluster(layout: ClusterLayout, log: (line: string) => void = () => {}): Promise<void> {
  let started = Date.now();
  const step = (what: string) => {
    log(`  ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    started = Date.now();
  };
  await startPostgres(layout, log);
  step(`PostgreSQL on 127.0.0.1:${layout.postgres.port}`);
  setUpSchemas(layout);
  step('schemas of temporal and temporal_visibility up to date');
  writeServerConfig(layout);
  // One service first: on a new database each would write the cluster's metadata record, and the losers of that race exit.
  const [first, ...rest] = TEMPORAL_SERVICES;
  startTemporalService(layout, first);
  await waitForTemporalService(layout, first);
  for (const service of rest) startTemporalService(layout, service);
  await Promise.all(rest.map((service) => waitForTemporalService(layout, service)));
  step(`Temporal frontend, history, matching and worker services (frontend ${layout.temporal.frontendAddress})`);
  await ensureNamespace(layout);
  await registerSearchAttributes(layout.temporal.frontendAddress, layout.temporal.namespace);
  step(`namespace "${layout.temporal.namespace}" and Sinetti's search attributes`);
}

/** Server services first (they flush to the database), the database last. */
export async function stopTemporalCluster(layout: ClusterLayout): Promise<void> {
  await stopRecorded(layout.pidDir, 'web-ui');
  await Promise.all(TEMPORAL_SERVICES.map((service) => stopTemporalService(layout, service)));
  await stopPostgres(layout);
}
