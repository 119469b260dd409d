import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { TEST_PERSONS } from '../../integrations/identityProvider/testPersons';
import { launchChromium } from './browser';
import { freePort } from '../../common/freePort';
import { type ContractHarness, openContractHarness } from './contractHarness';

/**
 * The local OpenID Provider playing Suomi.fi e-Identification, as its own
 * process on a free port, so the shared test stack's provider (whatever its
 * version) is left alone; and the browser's way through its test-person chooser.
 */

export interface ProviderProcess {
  port: number;
  stop: () => void;
}

export async function startIdentityProvider(): Promise<ProviderProcess> {
  const port = await freePort();
  // oidc-provider is an ES module jest cannot load: the provider runs as its own process, as the embedded stack runs it.
  const root = path.resolve(__dirname, '..', '..');
  const provider: ChildProcess = spawn(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(root, 'integrations', 'identityProvider', 'main.ts')],
    { env: { ...process.env, IDP_PORT: String(port) }, stdio: 'ignore' },
  );
  for (let tries = 0; ; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 150) throw new Error('The local identity provider did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { port, stop: () => provider.kill() };
}

export const testPerson = (id: string) => TEST_PERSONS.find((p) => p.id === id)!;

/** From a link's page through the provider's chooser as `personId` (or "cancel"); leaves the page where the provider sends it back. */
export async function identifyAs(page: Page, url: string, personId: string, backTo: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Tunnistaudu' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/interaction/'));
  if (personId === 'cancel') await page.getByRole('button', { name: 'Cancel identification' }).click();
  else await page.getByRole('button', { name: new RegExp(testPerson(personId).identityCode) }).click();
  await page.waitForURL((u) => u.href.startsWith(backTo), { timeout: 15_000 });
}

/** On a signing page (a contract's or the minutes'), in Finnish: consent, the typed name, sign. */
export async function signOnPage(page: Page, name: string): Promise<void> {
  await page.locator('input[name="consent"]').check();
  await page.locator('input[name="typedName"]').fill(name);
  await page.getByRole('button', { name: 'Allekirjoita', exact: true }).click();
  await page.waitForLoadState();
}

/** A suite's app whose strong identification goes to its own provider, and a Chromium to drive it. */
export interface IdentificationSuite {
  provider: ProviderProcess;
  harness: ContractHarness;
  browser: Browser;
}

export async function openIdentificationSuite(suite: string): Promise<IdentificationSuite> {
  const provider = await startIdentityProvider();
  return { provider, harness: await openContractHarness(suite, { IDP_PORT: String(provider.port) }), browser: await launchChromium() };
}

export async function closeIdentificationSuite(opened: Partial<IdentificationSuite> | undefined): Promise<void> {
  await opened?.browser?.close();
  await opened?.harness?.close();
  opened?.provider?.stop();
}

/** The suite opened before its tests and closed after them; `identifyAs` comes back to the suite's app. */
export function useIdentificationSuite(name: string): IdentificationSuite & {
  identifyAs: (page: Page, url: string, personId: string) => Promise<void>;
} {
  const suite = {
    identifyAs: (page: Page, url: string, personId: string) => identifyAs(page, url, personId, suite.harness.baseUrl),
  } as IdentificationSuite & { identifyAs: (page: Page, url: string, personId: string) => Promise<void> };
  beforeAll(async () => {
    Object.assign(suite, await openIdentificationSuite(name));
  });
  afterAll(() => closeIdentificationSuite(suite));
  return suite;
}
