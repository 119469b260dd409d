import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { createTimestampAuthority } from '../../integrations/timestamping/localTimestampAuthority';
import { createTimestampClient, TimestampUnavailableError } from '../../integrations/timestamping/timestampClient';
import { loadOrCreateDevelopmentPki, type DevelopmentPki } from '../../signing/developmentPki';
import { opensslVerifyToken, pem } from './ltvFixtures';
import { temporaryDirectory } from './signingFixtures';

/**
 * The TSA client against TSAs that answer wrongly: each wrong answer must be
 * refused (never returned for embedding), and a TSA that is down or wrong
 * must lead to the next one in the list.
 */

type Answer = (request: Buffer) => Promise<Buffer | number>;

async function fakeTsa(answer: Answer): Promise<{ url: string; close: () => void; requests: () => number }> {
  let count = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      count++;
      void answer(Buffer.concat(chunks)).then((result) => {
        if (typeof result === 'number') {
          response.writeHead(result);
          response.end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        response.end(result);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close(), requests: () => count };
}

describe('the TSA client refuses wrong answers and moves on', () => {
  let ours: DevelopmentPki;
  let stranger: DevelopmentPki;
  const servers: { close: () => void }[] = [];
  const digest = createHash('sha256').update('allekirjoitus').digest();

  beforeAll(async () => {
    ours = await loadOrCreateDevelopmentPki(temporaryDirectory('tsa-ours'), 'Esimerkkilän kunta');
    stranger = await loadOrCreateDevelopmentPki(temporaryDirectory('tsa-stranger'), 'Vieras kunta');
  });
  afterAll(() => servers.forEach((server) => server.close()));

  async function serve(answer: Answer) {
    const server = await fakeTsa(answer);
    servers.push(server);
    return server;
  }

  function client(urls: string[]) {
    return createTimestampClient({ urls, trustAnchors: [ours.caCertificate], attemptsPerTsa: 2, backoffMs: 10, timeoutMs: 2000 });
  }

  it('accepts a correct answer and records the policy and time', async () => {
    const tsa = createTimestampAuthority(ours.tsa);
    const good = await serve((request) => tsa.respond(request));
    const token = await client([good.url]).timestamp(digest);
    expect(token.policy).toBe('1.3.6.1.4.1.61192.1.1');
    expect(Math.abs(token.genTime.getTime() - Date.now())).toBeLessThan(5000);
    // The development TSA assembles its tokens from DER pieces: openssl must read and verify them as before.
    const caPemFile = path.join(temporaryDirectory('tsa-ca'), 'ca.pem');
    fs.writeFileSync(caPemFile, pem(ours.caCertificate));
    expect(await opensslVerifyToken(token.token, digest, caPemFile)).toMatch(/Verification: OK/);
  });

  it('refuses a replayed answer (another nonce)', async () => {
    const tsa = createTimestampAuthority(ours.tsa);
    let first: Buffer | undefined;
    const replaying = await serve(async (request) => (first ??= await tsa.respond(request)));
    await client([replaying.url]).timestamp(digest); // the first answer is right and is kept by the TSA for replay
    await expect(client([replaying.url]).timestamp(digest)).rejects.toThrow(/nonce does not match/);
  });

  it('refuses a token over another message imprint', async () => {
    const tsa = createTimestampAuthority(ours.tsa);
    const other = createHash('sha256').update('jotain muuta').digest();
    const swapping = await serve((request) =>
      tsa.respond(Buffer.from(request.toString('hex').replace(digest.toString('hex'), other.toString('hex')), 'hex')),
    );
    await expect(client([swapping.url]).timestamp(digest)).rejects.toThrow(/another message imprint/);
  });

  it('refuses a TSA whose certificate does not chain to the configured anchor', async () => {
    const tsa = createTimestampAuthority(stranger.tsa);
    const untrusted = await serve((request) => tsa.respond(request));
    await expect(client([untrusted.url]).timestamp(digest)).rejects.toThrow(/trusted anchor/);
  });

  it('refuses a rejection and garbage, and says why', async () => {
    const rejecting = await serve(async () => Buffer.from('not DER at all'));
    const error = await client([rejecting.url])
      .timestamp(digest)
      .catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(TimestampUnavailableError);
    expect((error as Error).message).toMatch(/not a TimeStampResp/);
  });

  it('retries a TSA that is down, then uses the next one in the list', async () => {
    const down = await serve(async () => 503);
    const tsa = createTimestampAuthority(ours.tsa);
    const untrusted = await serve((request) => createTimestampAuthority(stranger.tsa).respond(request));
    const good = await serve((request) => tsa.respond(request));
    const token = await client([down.url, untrusted.url, good.url]).timestamp(digest);
    expect(token.tsaUrl).toBe(good.url);
    expect(down.requests()).toBe(2); // retried with backoff
    expect(untrusted.requests()).toBe(1); // a wrong answer is not asked again
  });
});
