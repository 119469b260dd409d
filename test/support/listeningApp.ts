import http from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * An app on a free loopback port that knows its own address, as a
 * deployment does: staff sign-in sends the browser back to the public URL's
 * /auth/callback, so a page test's app must be reachable there. `makeApp`
 * gets the address once the port is known; until it has made the app,
 * requests get 503.
 */
export async function listenOnOwnAddress(
  makeApp: (baseUrl: string) => http.RequestListener | Promise<http.RequestListener>,
): Promise<{ server: http.Server; baseUrl: string }> {
  let app: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => app(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = await makeApp(baseUrl);
  return { server, baseUrl };
}
