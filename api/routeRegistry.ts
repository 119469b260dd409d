import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { StaffRole } from '../config/config';
import { requireRole } from './auth';

/**
 * Routes are declared once, with their roles and request schemas; the same
 * declaration mounts the Express handler and becomes the route's entry in
 * /openapi.json, so the document cannot drift from the code.
 */

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  roles?: StaffRole[];
  body?: z.ZodType;
  bodyContentType?: 'application/json' | 'application/pdf';
  responses: Record<number, string>;
}

export class ApiRoutes {
  readonly specs: RouteSpec[] = [];

  constructor(readonly router: Router = Router()) {}

  add(spec: RouteSpec, ...handlers: RequestHandler[]): void {
    this.specs.push(spec);
    const guards = spec.roles ? [requireRole(...spec.roles)] : [];
    this.router[spec.method](spec.path, ...guards, ...handlers);
  }
}

export function openApiDocument(specs: RouteSpec[], info: { title: string; version: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(spec.responses)) {
      responses[status] = Number(status) >= 400
        ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
        : { description };
    }
    if (spec.roles) {
      responses['401'] = { description: 'No valid staff token' };
      responses['403'] = { description: `Needs role ${spec.roles.join(' or ')}` };
    }
    const requestBody = spec.body
      ? { required: true, content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) } } }
      : spec.bodyContentType === 'application/pdf'
        ? { required: true, content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }
        : undefined;
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      ...(spec.roles ? { security: [{ staffToken: [] }], 'x-roles': spec.roles } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { staffToken: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} },
        },
      },
    },
  };
}
