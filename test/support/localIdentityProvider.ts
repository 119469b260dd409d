import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A local OpenID Provider of this checkout's own (integrations/identityProvider) on a free port, for the tests of
 * strong identification: the shared test stack's provider, whatever its version, is left alone.
 */
export interface LocalIdentityProvider {
  port: number;
  stop(): void;
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startLocalIdentityProvider(): Promise<LocalIdentityProvider> {
  const port = await freePort();
  // oidc-provider is an ES module jest cannot load: the provider runs as its own process, as the embedded stack runs it.
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'integrations', 'identityProvider', 'main.ts')], {
    env: { ...process.env, IDP_PORT: String(port) },
    stdio: 'ignore',
  });
  for (let tries = 0; ; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 150) {
      child.kill();
      throw new Error('The local identity provider did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { port, stop: () => child.kill() };
}
