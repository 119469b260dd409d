import { type RequestHandler } from 'express';
import { z } from 'zod';
import { type Payload } from '@temporalio/common';
import { type AesGcmPayloadCodec } from '../../common/payloadCodec';
import { SinettiError } from '../../common/errors';
import { type ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { type ApiRoutes } from '../routeRegistry';
import { logger } from '../../observability/logger';

/**
 * Temporal's remote codec protocol, for the Web UI and `temporal` CLI: admins
 * see decoded payloads while Temporal's database holds only ciphertext.
 * The UI calls from its own origin, so CORS is answered for the configured
 * UI origins, with credentials (the admin's session cookie).
 */
const jsonPayloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })).max(1000),
});

type JsonPayloads = z.infer<typeof jsonPayloads>;

function fromJson(body: JsonPayloads): Payload[] {
  return body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));
}

function toJson(payloads: Payload[]): JsonPayloads {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? []).toString('base64'),
    })),
  };
}

export function codecCors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

export function codecRoutes(routes: ApiRoutes, deps: ApiDeps & { codec: AesGcmPayloadCodec }): void {
  for (const direction of ['decode', 'encode'] as const) {
    routes.add(
      {
        method: 'post',
        path: `/codec/${direction}`,
        tag: 'admin',
        roles: ['admin'],
        body: jsonPayloads,
        summary: `Temporal remote codec: ${direction} payloads (admins only; used by the Web UI).`,
        responses: { 200: '{ payloads }', 400: 'Malformed payloads or an unknown key id' },
      },
      async ({ body }, req, res) => {
        try {
          const result = await deps.codec[direction](fromJson(body));
          if (direction === 'decode')
            logger.info(
              { actor: staffActor(req.staff), count: result.length, namespace: req.get('x-namespace') },
              'payloads decoded for an admin',
            );
          res.json(toJson(result));
        } catch (error) {
          throw new SinettiError('codec_failed', `Could not ${direction} the payloads: ${(error as Error).message}`, 400);
        }
      },
    );
  }
}
