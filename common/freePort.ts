import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A port nothing listens on now, as the OS hands it out. A port picked at
 * random can be one another process holds (a test's worker failed to bind
 * its metrics exporter that way); one the OS just gave out is taken only if
 * someone binds it in the moment before its new owner does.
 */
export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
