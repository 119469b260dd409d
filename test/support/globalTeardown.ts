import { type RunningService, stopServices } from '../../scripts/embeddedStack';

/** Stops what globalSetup started; SINETTI_KEEP_TEST_STACK=1 leaves it running for the next run. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.SINETTI_KEEP_TEST_STACK === '1') return;
  const services = (globalThis as Record<string, unknown>).__SINETTI_TEST_SERVICES__ as RunningService[] | undefined;
  await stopServices(services ?? []);
}
