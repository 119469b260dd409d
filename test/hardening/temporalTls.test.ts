import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalConnectionOptions } from '../../common/temporalClient';
import { loadConfig } from '../../config/config';

/** mTLS to Temporal's frontend: the client and the workers' NativeConnection get the same options from TEMPORAL_TLS_*. */

it('reads the client certificate, its key, the CA and the server name into the connection options', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-tls-'));
  const file = (name: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, `-----BEGIN ${name}-----\n`);
    return at;
  };
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'temporal.example.org:7233',
    TEMPORAL_TLS_CERT: file('CERT'),
    TEMPORAL_TLS_KEY: file('KEY'),
    TEMPORAL_TLS_CA: file('CA'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  });
  const options = temporalConnectionOptions(config);
  expect(options.address).toBe('temporal.example.org:7233');
  expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toContain('BEGIN CERT');
  expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toContain('BEGIN KEY');
  expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toContain('BEGIN CA');
  expect(options.tls!.serverNameOverride).toBe('temporal.internal');
  expect(temporalConnectionOptions(loadConfig({})).tls).toBeUndefined();
  expect(() => loadConfig({ TEMPORAL_TLS_CERT: file('CERT') })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
  fs.rmSync(dir, { recursive: true, force: true });
});
