import request from 'supertest';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { loadConfig } from '../config/config';
import { ApiKeys } from '../store/apiKeys';
import { type ContractHarness, contractRequest, openContractHarness, uniqueEmail } from './support/contractHarness';
import { staffHeaders } from './support/staffSession';
import { testConfig } from './support/testStack';

/** API keys for machine clients: created by an admin, shown once, used as a bearer, expired, revoked; production refuses development tokens. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('api-keys');
});
afterAll(async () => {
  await harness?.close();
});

const ADMIN = () => staffHeaders(harness.baseUrl, 'admin');
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('API keys', () => {
  it('is created by an admin, shown once, stored hashed, works with its roles and records its last use', async () => {
    const created = await harness
      .api()
      .post('/api/admin/api-keys')
      .set(await ADMIN())
      .send({ name: 'asianhallinta', roles: ['hr'], expiresAt: inDays(30) });
    expect(created.status).toBe(201);
    const { key, apiKey } = created.body as { key: string; apiKey: { _id: string; lastUsedAt?: string; secretHash?: string } };
    expect(key).toMatch(/^snk_/);
    expect(apiKey.secretHash).toBeUndefined();
    expect(apiKey.lastUsedAt).toBeUndefined();

    expect((await harness.api().get('/api/contracts').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    // Its roles, no more.
    expect((await harness.api().get('/api/letter-batches').set('Authorization', `Bearer ${key}`)).status).toBe(403);
    const listed = await harness
      .api()
      .get('/api/admin/api-keys')
      .set(await ADMIN());
    const row = (listed.body.apiKeys as { _id: string; lastUsedAt?: string; secretHash?: string }[]).find((k) => k._id === apiKey._id)!;
    expect(row.lastUsedAt).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain(key.split('_')[2]);
  });

  it('is refused once revoked', async () => {
    const { body } = await harness
      .api()
      .post('/api/admin/api-keys')
      .set(await ADMIN())
      .send({ name: 'skripti', roles: ['hr'], expiresAt: inDays(1) });
    expect((await harness.api().get('/api/contracts').set('Authorization', `Bearer ${body.key}`)).status).toBe(200);
    const revoked = await harness
      .api()
      .delete(`/api/admin/api-keys/${body.apiKey._id}`)
      .set(await ADMIN());
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiKey.revokedAt).toBeDefined();
    expect((await harness.api().get('/api/contracts').set('Authorization', `Bearer ${body.key}`)).status).toBe(401);
  });

  it('is refused once expired, and cannot be created already expired or by a non-admin', async () => {
    const { key } = await new ApiKeys().create({ name: 'vanha', roles: ['hr'], expiresAt: new Date(Date.now() - 1000), createdBy: 'test' });
    expect((await harness.api().get('/api/contracts').set('Authorization', `Bearer ${key}`)).status).toBe(401);
    const past = await harness
      .api()
      .post('/api/admin/api-keys')
      .set(await ADMIN())
      .send({ name: 'x', roles: ['hr'], expiresAt: inDays(-1) });
    expect(past.status).toBe(400);
    expect(past.body.message).toContain('The expiry must be in the future');
    const byHr = await harness
      .api()
      .post('/api/admin/api-keys')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send({ name: 'x', roles: ['admin'], expiresAt: inDays(1) });
    expect(byHr.status).toBe(403);
    expect((await harness.api().get('/api/contracts').set('Authorization', 'Bearer snk_not-a-key')).status).toBe(401);
  });
});

describe('API keys limited to organisation units', () => {
  const people = () => ({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });

  it("acts in its own unit as that unit's HR does: creates and reads a contract there, and gets 404 on another unit's", async () => {
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/admin/api-keys')
        .set(await ADMIN())
        .send({ name: 'sivistyksen asianhallinta', roles: ['hr'], units: ['sivistys'], expiresAt: inDays(30) });
      expect(created.status).toBe(201);
      expect(created.body.apiKey.units).toEqual(['sivistys']);
      const bearer = { Authorization: `Bearer ${created.body.key as string}` };

      // Unit A: the key's contract goes to its only unit, and the key reads it.
      const own = await harness.api().post('/api/contracts').set(bearer).send(contractRequest(people()));
      expect(own.status).toBe(201);
      const ownId = own.body.contractId as string;
      const read = await harness.api().get(`/api/contracts/${ownId}`).set(bearer);
      expect(read.status).toBe(200);
      // It went to sivistys: the unit's own HR person reads it too.
      const siiri = await staffHeaders(harness.baseUrl, 'siiri.sivistys');
      expect((await harness.api().get(`/api/contracts/${ownId}`).set(siiri)).status).toBe(200);
      expect((await harness.api().get(`/api/processes/${ownId}/audit`).set(bearer)).status).toBe(200);

      // Unit B: a contract an admin made for tekninen is not there for the key, as for HR of sivistys.
      const other = await harness
        .api()
        .post('/api/contracts')
        .set(await ADMIN())
        .send(contractRequest(people(), { unit: 'tekninen' }));
      expect(other.status).toBe(201);
      const otherId = other.body.contractId as string;
      expect((await harness.api().get(`/api/contracts/${otherId}`).set(bearer)).status).toBe(404);
      expect((await harness.api().get(`/api/processes/${otherId}/audit`).set(bearer)).status).toBe(404);
      expect((await harness.api().get(`/api/contracts/${otherId}`).set(siiri)).status).toBe(404);
      const listed = (await harness.api().get('/api/contracts').set(bearer)).body as { contracts: { contractId: string }[] };
      expect(listed.contracts.map((c) => c.contractId)).toContain(ownId);
      expect(listed.contracts.map((c) => c.contractId)).not.toContain(otherId);
      // Nor may it start one there.
      const elsewhere = await harness
        .api()
        .post('/api/contracts')
        .set(bearer)
        .send(contractRequest(people(), { unit: 'tekninen' }));
      expect(elsewhere.status).toBe(403);

      const keys = (
        await harness
          .api()
          .get('/api/admin/api-keys')
          .set(await ADMIN())
      ).body as { apiKeys: { _id: string; units?: string[] }[] };
      expect(keys.apiKeys.find((k) => k._id === created.body.apiKey._id)?.units).toEqual(['sivistys']);
    });
  });

  it('refuses a unit that is not a unit name, and units on an admin key', async () => {
    const badUnit = await harness
      .api()
      .post('/api/admin/api-keys')
      .set(await ADMIN())
      .send({ name: 'x', roles: ['hr'], units: ['Sivistys ja kulttuuri'], expiresAt: inDays(1) });
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.message).toContain('A unit is lower-case letters');
    const adminInUnit = await harness
      .api()
      .post('/api/admin/api-keys')
      .set(await ADMIN())
      .send({ name: 'x', roles: ['admin'], units: ['sivistys'], expiresAt: inDays(1) });
    expect(adminInUnit.status).toBe(400);
    expect(adminInUnit.body.message).toContain('An admin key acts in every unit');
  });
});

describe('production mode', () => {
  const production = {
    NODE_ENV: 'production',
    SINETTI_OIDC_ISSUER: 'http://127.0.0.1:3933',
    SINETTI_OIDC_CLIENT_ID: 'sinetti',
    SINETTI_OIDC_CLIENT_SECRET: 'sinetti-development-client-secret',
    SINETTI_EIDENT_ISSUER: 'https://tunnistus.example.fi',
    SINETTI_EIDENT_CLIENT_ID: 'sinetti-signers',
    SINETTI_EIDENT_CLIENT_SECRET: 'secret',
    SINETTI_IDENTITY_CODE_HASH_KEY: Buffer.alloc(32, 7).toString('base64'),
    // Production refuses the self-made development seal; the API never opens the seal (the worker does).
    SIGNING_P12_PATH: '/run/secrets/seal.p12',
  };

  it('has no development tokens, refuses them, takes API keys, and sends a person without a session to sign in', async () => {
    const config = testConfig({ ...production, SINETTI_PUBLIC_URL: harness.baseUrl });
    expect(config.staffTokens).toEqual([]);
    const deps = createApiDeps(config, harness.stack.client);
    try {
      const app = createApp(deps);
      // The development tokens themselves, refused in production: the tokens stay in this test on purpose.
      expect((await request(app).get('/api/contracts').set('Authorization', 'Bearer dev-hr-token')).status).toBe(401);
      const { key } = await new ApiKeys().create({
        name: 'tuotanto',
        roles: ['hr'],
        expiresAt: new Date(Date.now() + 60_000),
        createdBy: 'test',
      });
      expect((await request(app).get('/api/contracts').set('Authorization', `Bearer ${key}`)).status).toBe(200);
      for (const page of ['/hr', '/admin', '/registry', '/kasittely']) {
        const answer = await request(app).get(page).set('Accept', 'text/html');
        expect([answer.status, answer.headers.location]).toEqual([303, `/auth/login?returnTo=${encodeURIComponent(page)}`]);
      }
      expect((await request(app).post('/api/session').send({ token: 'dev-admin-token' })).status).toBe(401);
    } finally {
      deps.close();
    }
  });

  it('will not start without an identity provider', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/needs SINETTI_OIDC_ISSUER/);
  });
});
