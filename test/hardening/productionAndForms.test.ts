import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { FORMS, formById } from '../../forms/formDefinitions';
import { type ContractHarness, openContractHarness } from '../support/contractHarness';

/**
 * Two should-fixes of the probe: production mode started with the public
 * development tokens and a self-made seal; and `__proto__` or `constructor`
 * as a form id was taken for a form (200 and 500).
 */

const ROOT = path.resolve(__dirname, '..', '..');

describe('production mode', () => {
  it('refuses to load a configuration without the identity provider or with the development seal', () => {
    const oidc = {
      SINETTI_OIDC_ISSUER: 'https://login.example.org',
      SINETTI_OIDC_CLIENT_ID: 'sinetti',
      SINETTI_OIDC_CLIENT_SECRET: 'secret',
      SINETTI_EIDENT_ISSUER: 'https://tunnistus.example.fi',
      SINETTI_EIDENT_CLIENT_ID: 'sinetti-signers',
      SINETTI_EIDENT_CLIENT_SECRET: 'secret',
      SINETTI_IDENTITY_CODE_HASH_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SINETTI_OIDC_ISSUER.*SIGNING_P12_PATH/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...oidc })).toThrow(/SIGNING_P12_PATH/);
    expect(() => loadConfig({ NODE_ENV: 'production', SIGNING_P12_PATH: '/run/secrets/seal.p12' })).toThrow(/SINETTI_OIDC_ISSUER/);
    // Production has no development tokens; machine clients use API keys.
    expect(loadConfig({ NODE_ENV: 'production', ...oidc, SIGNING_P12_PATH: '/run/secrets/seal.p12' }).staffTokens).toHaveLength(0);
    expect(loadConfig({}).staffTokens.length).toBeGreaterThan(1); // development keeps its tokens
  });

  it('the API process exits at start with the reason, before opening anything', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', API_PORT: '3196', LOG_LEVEL: 'info' };
    delete env.SINETTI_OIDC_ISSUER;
    delete env.SIGNING_P12_PATH;
    const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'api', 'main.ts')], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/Production mode \(NODE_ENV=production\) needs SINETTI_OIDC_ISSUER/);
  });
});

describe('prototype keys as form ids', () => {
  let harness: ContractHarness;
  beforeAll(async () => {
    harness = await openContractHarness('proto-forms');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('are no forms', async () => {
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(FORMS[id]).toBeUndefined();
      expect(formById(id)).toBeUndefined();
      const read = await harness.api().get(`/api/forms/${id}`);
      expect(read.status).toBe(404);
      expect(read.body.error).toBe('unknown_form');
      const submitted = await harness
        .api()
        .post(`/api/forms/${id}/applications`)
        .send({ roundId: 'r', language: 'fi', values: {}, attachments: [] });
      expect(submitted.status).toBe(404);
      expect(submitted.body.error).toBe('unknown_form');
    }
    expect(formById('avustushakemus')?.formId).toBe('avustushakemus');
  });
});
