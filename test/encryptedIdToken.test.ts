import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { type SinettiConfig } from '../config/config';
import { loadStrongIdentificationConfig } from '../config/strongIdentification';
import { SIGNER_CLIENT, TEST_PERSONS } from '../integrations/identityProvider/testPersons';
import { loadIdTokenEncryption } from '../verification/idTokenDecryptionKey';
import { launchChromium } from './support/browser';
import { type ContractHarness, contractRequest, invitationLink, openContractHarness, uniqueEmail } from './support/contractHarness';
import { listenOnOwnAddress } from './support/listeningApp';
import { type ProviderProcess, startIdentityProvider } from './support/identityProviderProcess';
import { staffHeaders } from './support/staffSession';

/**
 * Encrypted ID tokens, as Suomi.fi e-Identification and the Finnish Trust Network send them: the local provider's
 * e-Identification client encrypts the ID token (JWE, RSA-OAEP-256 + A256GCM) to Sinetti's registered key, and
 * openid-client decrypts it with SINETTI_EIDENT_DECRYPTION_KEY. A Sinetti holding another key, or expecting
 * encryption from a provider that only signs, refuses the identification with a clear page and nothing is signed.
 */

let provider: ProviderProcess;
let harness: ContractHarness;
let browser: Browser;
let keyDir: string;
const others: { server: http.Server; close: () => void }[] = [];

beforeAll(async () => {
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-jwe-'));
  provider = await startIdentityProvider();
  harness = await openContractHarness('encrypted-id-token', { IDP_PORT: String(provider.port) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const other of others) {
    other.close();
    await new Promise((resolve) => other.server.close(resolve));
  }
  await harness?.close();
  provider?.stop();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

/** A private key of Sinetti's own in a file, as production mounts it: PEM, or a JWK. */
function writeKey(name: string, format: 'pem' | 'jwk'): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(keyDir, name);
  fs.writeFileSync(
    file,
    format === 'pem' ? privateKey.export({ format: 'pem', type: 'pkcs8' }) : JSON.stringify(privateKey.export({ format: 'jwk' })),
  );
  return file;
}

/** Another Sinetti on the same stack (store, Temporal, provider) with its e-Identification settings changed. */
async function sinettiWith(env: Record<string, string>): Promise<string> {
  let close = () => undefined as void;
  const { server, baseUrl } = await listenOnOwnAddress((publicUrl) => {
    const base = harness.stack.config;
    const config: SinettiConfig = {
      ...base,
      publicUrl,
      strongIdentification: loadStrongIdentificationConfig({ IDP_PORT: String(provider.port), ...env }, base.identity),
    };
    const deps = createApiDeps(config, harness.stack.client);
    close = () => deps.close();
    return createApp(deps);
  });
  others.push({ server, close: () => close() });
  return baseUrl;
}

const maija = TEST_PERSONS.find((p) => p.id === 'maija')!;

async function strongContract(): Promise<{ contractId: string; linkPath: string }> {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const base = contractRequest(who);
  const created = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send({
      ...base,
      identification: 'strong',
      signingOrder: 'parallel',
      signers: [
        { ...base.signers[0], language: 'fi', identityCode: maija.identityCode },
        { ...base.signers[1], language: 'fi', identityCode: TEST_PERSONS[1].identityCode },
      ],
    });
  expect(created.status).toBe(201);
  const link = await invitationLink(who.employee);
  return { contractId: created.body.contractId as string, linkPath: new URL(link.url).pathname };
}

/** From the signer's page through the provider's chooser as Maija; the page the provider sends the browser back to. */
async function identifyAsMaija(page: Page, baseUrl: string, linkPath: string): Promise<number | undefined> {
  await page.goto(`${baseUrl}${linkPath}`);
  await page.getByRole('button', { name: 'Tunnistaudu' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/interaction/'));
  const answer = page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/identification/callback`), { timeout: 15_000 });
  await page.getByRole('button', { name: new RegExp(maija.identityCode) }).click();
  const status = (await answer).status();
  await page.waitForLoadState();
  return status;
}

async function history(contractId: string) {
  const response = await harness
    .api()
    .get(`/api/contracts/${contractId}`)
    .set(await staffHeaders(harness.baseUrl, 'hr'));
  return response.body as { signers: { status: string }[]; history: { action: string; details?: Record<string, unknown> }[] };
}

describe('the decryption key', () => {
  it('is read from a PEM or a JWK file, its public half only published, and a wrong file refused at start with its name', () => {
    const pem = loadIdTokenEncryption(writeKey('key.pem', 'pem'), 'RSA-OAEP-256', 'A256GCM');
    const jwk = loadIdTokenEncryption(writeKey('key.jwk', 'jwk'), 'RSA-OAEP-256', 'A256GCM');
    for (const key of [pem, jwk]) {
      expect(key.publicJwk).toMatchObject({ kty: 'RSA', use: 'enc', alg: 'RSA-OAEP-256', e: 'AQAB' });
      expect(Object.keys(key.publicJwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key.privateJwk).toMatchObject({ kid: key.publicJwk.kid, d: expect.any(String) });
    }
    expect(pem.publicJwk.kid).not.toBe(jwk.publicJwk.kid);
    const notAKey = path.join(keyDir, 'not-a-key.pem');
    fs.writeFileSync(notAKey, 'hello');
    expect(() => loadIdTokenEncryption(notAKey, 'RSA-OAEP-256', 'A256GCM')).toThrow(
      /SINETTI_EIDENT_DECRYPTION_KEY \(.*not-a-key\.pem\) is not a private key/,
    );
    expect(() => loadIdTokenEncryption(path.join(keyDir, 'missing.pem'), 'RSA-OAEP-256', 'A256GCM')).toThrow(/cannot be read/);
    expect(() => loadIdTokenEncryption(writeKey('rsa.pem', 'pem'), 'ECDH-ES', 'A256GCM')).toThrow(/does not fit an RSA key/);
  });

  it('has its public half at /.well-known/jwks.json, the key the provider encrypts to', async () => {
    const answer = await request(harness.baseUrl).get('/.well-known/jwks.json');
    expect(answer.status).toBe(200);
    const [key, ...rest] = answer.body.keys as Record<string, string>[];
    expect(rest).toEqual([]);
    expect(key).toEqual(harness.stack.config.strongIdentification.idTokenEncryption!.publicJwk);
    expect(key).not.toHaveProperty('d');
    expect(key).toMatchObject({ use: 'enc', alg: 'RSA-OAEP-256' });
    const discovery = (await (await fetch(`http://127.0.0.1:${provider.port}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string[]
    >;
    expect(discovery.id_token_encryption_alg_values_supported).toContain('RSA-OAEP-256');
  });
});

describe('strong identification through an encrypted ID token', () => {
  it('succeeds: the token decrypted with Sinetti’s key, the person matched, the signing form open, and she signs', async () => {
    await harness.stack.withWorker(async () => {
      const { contractId, linkPath } = await strongContract();
      const context = await browser.newContext({ locale: 'fi-FI' });
      const page = await context.newPage();
      expect(await identifyAsMaija(page, harness.baseUrl, linkPath)).toBe(303);
      await page.locator('input[name="consent"]').check();
      await page.locator('input[name="typedName"]').fill('Maija Meikäläinen');
      await page.getByRole('button', { name: 'Allekirjoita', exact: true }).click();
      await page.waitForLoadState();
      const after = await history(contractId);
      expect(after.signers[0].status).toBe('signed');
      const identified = after.history.find((e) => e.action === 'contract.identified');
      expect(identified?.details).toMatchObject({ levelOfAssurance: 'high' });
      await context.close();
    });
  }, 120_000);

  it('is refused with a clear page when the token is encrypted to another key, or not encrypted though it must be', async () => {
    const anotherKey = await sinettiWith({ SINETTI_EIDENT_DECRYPTION_KEY: writeKey('another.pem', 'pem') });
    // Sinetti expects encryption (the development key), the provider's plain client only signs.
    const plain = await sinettiWith({
      SINETTI_EIDENT_CLIENT_ID: SIGNER_CLIENT.clientId,
      SINETTI_EIDENT_CLIENT_SECRET: SIGNER_CLIENT.clientSecret,
    });
    await harness.stack.withWorker(async () => {
      for (const baseUrl of [anotherKey, plain]) {
        const { contractId, linkPath } = await strongContract();
        const context = await browser.newContext({ locale: 'fi-FI' });
        const page = await context.newPage();
        expect(await identifyAsMaija(page, baseUrl, linkPath)).toBe(502);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tunnistuspalvelun vastausta ei voitu lukea');
        expect(await page.content()).not.toContain(maija.identityCode);
        // The signing form stays shut, nothing is signed, and the refusal is in the contract's history with its reason.
        await page.goto(`${baseUrl}${linkPath}`);
        expect(await page.locator('input[name="typedName"]').count()).toBe(0);
        const after = await history(contractId);
        expect(after.signers.map((s) => s.status)).toEqual(['invited', 'invited']);
        const refused = after.history.find((e) => e.action === 'contract.identification_refused');
        expect(refused?.details).toMatchObject({ reason: 'undecryptable' });
        expect(after.history.map((e) => e.action)).not.toContain('contract.identified');
        await context.close();
      }
    });
  }, 180_000);
});
