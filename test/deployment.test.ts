import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';
import { BULK_WORKER_NODE_FLAGS, WORKER_ENVIRONMENT, WORKER_NODE_FLAGS } from '../worker/nodeOptions';

const ROOT = path.join(__dirname, '..');
const REQUIRED_ENV = {
  ...process.env,
  SINETTI_OIDC_ISSUER: 'https://login.example.org',
  SINETTI_OIDC_CLIENT_ID: 'sinetti',
  SINETTI_OIDC_CLIENT_SECRET: 'secret',
  SINETTI_EIDENT_ISSUER: 'https://tunnistus.example.fi',
  SINETTI_EIDENT_CLIENT_ID: 'sinetti-signers',
  SINETTI_EIDENT_CLIENT_SECRET: 'secret',
  SINETTI_IDENTITY_CODE_HASH_KEY: Buffer.alloc(32, 7).toString('base64'),
  SIGNING_P12_PASSWORD: 'secret',
  TEMPORAL_DB_PASSWORD: 'secret',
  SINETTI_BUILD_ID: 'test-build',
};

describe('production deployment files', () => {
  it('docker-compose.yml passes `docker-compose config` once its required secrets are set', () => {
    const rendered = execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], {
      env: REQUIRED_ENV,
      encoding: 'utf8',
    });
    for (const service of [
      'temporal',
      'temporal-history',
      'temporal-matching',
      'temporal-worker',
      'temporal-schema',
      'postgresql',
      'temporal-ui',
      'mongo',
      'mail',
      'api',
      'worker',
      'bulk-worker',
    ]) {
      expect(rendered).toMatch(new RegExp(`^  ${service}:`, 'm'));
    }
    expect(rendered).toContain('TEMPORAL_ADDRESS: temporal:7233');
  });

  it('runs the server version the cluster tests ran, without auto-setup, with mTLS and restart policies, publishing no Temporal port', () => {
    const rendered = execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], {
      env: REQUIRED_ENV,
      encoding: 'utf8',
    });
    expect(rendered).toContain('image: temporalio/server:1.29.1');
    expect(fs.readFileSync(path.join(ROOT, 'scripts', 'install-tools.sh'), 'utf8')).toContain('go.temporal.io/server/cmd/server@v1.29.1');
    expect(rendered).not.toContain('auto-setup');
    expect(rendered).not.toMatch(/published: 7233|:7233\/tcp/);
    expect(rendered).toMatch(/TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: ["']?true/);
    // The Web UI and the mail inbox on loopback only.
    expect(rendered).toContain('127.0.0.1:8080:8080/tcp');
    expect(rendered).toContain('127.0.0.1:1080:1080/tcp');
    const longRunning = rendered
      .split(/^ {2}(?=\S)/m)
      .filter(
        (block) => !/^(temporal-schema|temporal-search-attributes):/.test(block) && /^[\w-]+:\n/.test(block) && /image:|build:/.test(block),
      );
    expect(longRunning.length).toBeGreaterThanOrEqual(10);
    for (const block of longRunning) expect(block).toContain('restart: unless-stopped');
  });

  it("runs the workers with worker/nodeOptions.ts's flags and environment, as npm start and the benchmarks do", () => {
    const rendered = execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], {
      env: REQUIRED_ENV,
      encoding: 'utf8',
    });
    const block = (service: string) => rendered.split(/^ {2}(?=\S)/m).find((b) => b.startsWith(`${service}:\n`))!;
    for (const [service, flags] of [
      ['worker', WORKER_NODE_FLAGS],
      ['bulk-worker', BULK_WORKER_NODE_FLAGS],
    ] as const) {
      for (const flag of flags) expect(block(service)).toContain(flag);
      for (const [name, value] of Object.entries(WORKER_ENVIRONMENT))
        expect(block(service)).toMatch(new RegExp(`${name}: ["']?${value}["']?\n`));
    }
  });

  it('refuses to render without the identity provider, naming what to set', () => {
    const env: NodeJS.ProcessEnv = { ...REQUIRED_ENV };
    delete env.SINETTI_OIDC_ISSUER;
    expect(() =>
      execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config', '-q'], { env, stdio: 'pipe' }),
    ).toThrow(/OpenID Provider for staff sign-in/);
  });

  it.each([
    ['SINETTI_EIDENT_ISSUER', /strong identification provider for signers/],
    ['SINETTI_EIDENT_CLIENT_SECRET', /client secret at the strong identification provider/],
    ['SINETTI_IDENTITY_CODE_HASH_KEY', /matching signers' identity codes/],
  ])('refuses to render without %s, as production refuses to start without it', (name, message) => {
    const env: NodeJS.ProcessEnv = { ...REQUIRED_ENV };
    delete env[name];
    expect(() =>
      execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config', '-q'], { env, stdio: 'pipe' }),
    ).toThrow(message);
  });

  it('registers on a production cluster exactly the search attributes the dev server gets', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'create-search-attributes.sh'), 'utf8');
    const listed = /ATTRIBUTES="([^"]+)"/
      .exec(script)![1]
      .split(' ')
      .map((pair) => pair.split('='));
    expect(Object.fromEntries(listed)).toEqual(CUSTOM_SEARCH_ATTRIBUTES);
  });
});
