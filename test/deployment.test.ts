import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

const ROOT = path.join(__dirname, '..');

describe('production deployment files', () => {
  it('docker-compose.yml passes `docker-compose config` once its required secrets are set', () => {
    const env = { ...process.env, SINETTI_STAFF_TOKENS: 'admin:0123456789abcdef0123', SIGNING_P12_PASSWORD: 'secret' };
    const rendered = execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], { env, encoding: 'utf8' });
    for (const service of ['temporal', 'postgresql', 'temporal-ui', 'mongo', 'mail', 'api', 'worker']) {
      expect(rendered).toMatch(new RegExp(`^  ${service}:`, 'm'));
    }
    expect(rendered).toContain('TEMPORAL_ADDRESS: temporal:7233');
  });

  it('refuses to render without the staff tokens, naming what to set', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SIGNING_P12_PASSWORD: 'secret' };
    delete env.SINETTI_STAFF_TOKENS;
    expect(() => execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config', '-q'], { env, stdio: 'pipe' })).toThrow(/role:token pairs/);
  });

  it('registers on a production cluster exactly the search attributes the dev server gets', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'create-search-attributes.sh'), 'utf8');
    const listed = /ATTRIBUTES="([^"]+)"/.exec(script)![1].split(' ').map((pair) => pair.split('='));
    expect(Object.fromEntries(listed)).toEqual(CUSTOM_SEARCH_ATTRIBUTES);
  });
});
