import { startEmbeddedServices } from '../../scripts/embeddedStack';
import { testConfig } from './testStack';

/** Starts (or reuses) the real Temporal dev server, FerretDB and MailDev once for the whole run. */
export default async function globalSetup(): Promise<void> {
  const services = await startEmbeddedServices(testConfig());
  (globalThis as Record<string, unknown>).__SINETTI_TEST_SERVICES__ = services;
}
