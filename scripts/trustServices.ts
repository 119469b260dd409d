import http from 'node:http';
import { loadConfig } from '../config/config';
import { createRevocationServices } from '../integrations/revocation/localRevocationServices';
import { createTimestampAuthority } from '../integrations/timestamping/localTimestampAuthority';
import type { DevelopmentPki } from '../signing/developmentPki';
import { loadDevelopmentPki } from '../worker/signingCredentials';

/**
 * The development CA's services, each on its own port: the RFC 3161 TSA,
 * the OCSP responder, and the CRL with the CA certificate. Started by the
 * embedded stack when SINETTI_TSA_URLS names no real TSA.
 */

const MAX_REQUEST_BYTES = 64 * 1024;

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function serve(
  port: number,
  name: string,
  handle: (request: http.IncomingMessage) => Promise<{ status: number; type: string; body: Buffer | string }>,
): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    handle(request).then(
      ({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      },
      (error: Error) => {
        console.error(`${name}: ${error.message}`);
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('internal error');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function postedDer(contentType: string, respond: (der: Buffer) => Promise<Buffer>, answerType: string) {
  return async (request: http.IncomingMessage) => {
    if (request.method !== 'POST') return { status: 405, type: 'text/plain', body: 'POST a DER request.' };
    if (request.headers['content-type'] !== contentType)
      return { status: 415, type: 'text/plain', body: `Send Content-Type ${contentType}.` };
    const body = await readBody(request);
    if (!body) return { status: 413, type: 'text/plain', body: 'Request too large.' };
    return { status: 200, type: answerType, body: await respond(body) };
  };
}

/** Serves the development CA's TSA, OCSP responder and CRL on the given ports; resolves once all three listen. */
export async function serveTrustServices(
  pki: DevelopmentPki,
  ports: { tsaPort: number; ocspPort: number; crlPort: number },
): Promise<http.Server[]> {
  const tsa = createTimestampAuthority(pki.tsa);
  const revocation = createRevocationServices(pki);
  return Promise.all([
    serve(
      ports.tsaPort,
      'TSA',
      postedDer('application/timestamp-query', (der) => tsa.respond(der), 'application/timestamp-reply'),
    ),
    serve(
      ports.ocspPort,
      'OCSP',
      postedDer('application/ocsp-request', (der) => revocation.ocsp(der), 'application/ocsp-response'),
    ),
    serve(ports.crlPort, 'CRL', async (request) => {
      if (request.url === '/development-ca.crl') return { status: 200, type: 'application/pkix-crl', body: await revocation.crl() };
      if (request.url === '/development-ca.crt') return { status: 200, type: 'application/pkix-cert', body: revocation.caCertificate };
      return { status: 404, type: 'text/plain', body: 'Try /development-ca.crl or /development-ca.crt.' };
    }),
  ]);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const ports = config.longTermValidity.embedded;
  if (!ports) throw new Error('SINETTI_TSA_URLS is set; the embedded trust services are not used.');
  await serveTrustServices(await loadDevelopmentPki(config), ports);
  console.log(`trust services: TSA :${ports.tsaPort}, OCSP :${ports.ocspPort}, CRL :${ports.crlPort}`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
