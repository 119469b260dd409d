import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { SinettiError } from '../common/errors';
import { type StaffRole } from '../config/config';
import { type Language } from '../texts/language';
import { textsFor } from '../texts/catalog';
import { requireRole } from './auth';
import { rememberedLanguage } from './staffLanguage';
import { errorLanguage, issueText } from './validationTexts';

/**
 * Routes are declared once, with their roles and the zod schemas of their
 * path parameters, query and body. The same declaration mounts the Express
 * handler, parses the request before the handler runs (so a handler only
 * ever sees typed, checked values) and becomes the route's entry in
 * /openapi.json, so neither the checks nor the document can drift from the code.
 */

type Schema = z.ZodType;
const NOTHING = z.object({});

export interface RouteSpec<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  roles?: StaffRole[];
  /** Required when the path has `:name` segments; each segment a key. */
  params?: P;
  /** Query-string fields; undeclared ones are dropped. */
  query?: Q;
  /** The parsed body (JSON or form fields); a raw upload is declared with bodyContentType instead. */
  body?: B;
  bodyContentType?: 'application/json' | 'application/pdf' | 'text/csv' | 'multipart/form-data' | 'application/x-www-form-urlencoded';
  /** Body parsers and the like, run after the role check and before the request is parsed. */
  before?: RequestHandler[];
  responses: Record<number, string>;
}

export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

export type RouteHandler<In> = (input: In, req: Request, res: Response, next: NextFunction) => unknown;

type Location = 'params' | 'query' | 'body';

/**
 * One 400 for every route, each problem named by where it is: `params.contractId`, `query.limit`, and for the
 * body its path inside the body (`signers.0.email`), as clients of the API have always been given it; `location`
 * says which part of the request it is in. The messages are the catalog's, naming the field, in the request's
 * language (?lang= or the remembered choice; English for API clients that give neither).
 */
export function invalidRequest(issues: { location: Location; issue: z.core.$ZodIssue }[], language: Language = 'en'): SinettiError {
  const details = issues.map(({ location, issue }) => {
    const path = issue.path.map(String);
    const field = location === 'body' && path.length ? path.join('.') : [location, ...path].join('.');
    return { field, location, message: issueText(issue, language, field) };
  });
  return new SinettiError(
    'invalid_request',
    `${textsFor(language).validation.fieldsToFix}: ${details.map((d) => d.message).join(' ')}`,
    400,
    details,
  );
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
}

export class ApiRoutes {
  readonly specs: RouteSpec[] = [];

  constructor(readonly router: Router = Router()) {}

  add<P extends Schema = typeof NOTHING, Q extends Schema = typeof NOTHING, B extends Schema = z.ZodUndefined>(
    spec: RouteSpec<P, Q, B>,
    handler: RouteHandler<RouteInput<P, Q, B>>,
  ): void {
    const named = pathParams(spec.path);
    if (named.length && !spec.params)
      throw new Error(`${spec.method.toUpperCase()} ${spec.path}: declare a params schema for ${named.join(', ')}`);
    this.specs.push(spec);
    const schemas: [Location, Schema | undefined][] = [
      ['params', spec.params ?? NOTHING],
      ['query', spec.query ?? NOTHING],
      ['body', spec.body],
    ];
    const parse: RequestHandler = async (req, res, next) => {
      const input: Record<string, unknown> = { body: spec.body ? undefined : req.body };
      const problems: { location: Location; issue: z.core.$ZodIssue }[] = [];
      for (const [location, schema] of schemas) {
        if (!schema) continue;
        const parsed = await schema.safeParseAsync(location === 'body' ? (req.body ?? {}) : req[location], { reportInput: true });
        if (parsed.success) input[location] = parsed.data;
        else problems.push(...parsed.error.issues.map((issue) => ({ location, issue })));
      }
      if (problems.length) throw invalidRequest(problems, errorLanguage(req, rememberedLanguage));
      await handler(input as unknown as RouteInput<P, Q, B>, req, res, next);
    };
    const guards = spec.roles ? [requireRole(...spec.roles)] : [];
    this.router[spec.method](spec.path, ...guards, ...(spec.before ?? []), parse);
  }
}

function jsonSchema(schema: Schema): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** Each property of an object schema as an OpenAPI parameter. */
function parametersOf(schema: Schema | undefined, where: 'path' | 'query'): object[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    schema: property,
  }));
}

export function openApiDocument(specs: RouteSpec[], info: { title: string; version: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')];
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(spec.responses)) {
      responses[status] =
        Number(status) >= 400
          ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
          : { description };
    }
    if (spec.roles) {
      responses['401'] = { description: 'No valid staff token' };
      responses['403'] = { description: `Needs role ${spec.roles.join(' or ')}` };
    }
    const bodyType = spec.bodyContentType ?? 'application/json';
    const requestBody = spec.body
      ? { required: true, content: { [bodyType]: { schema: jsonSchema(spec.body) } } }
      : bodyType !== 'application/json'
        ? { required: true, content: { [bodyType]: { schema: { type: 'string', format: 'binary' } } } }
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

/** For a route whose body can take more than one form: the JSON form parsed with the same 400 as a declared body. */
export async function parseBody<S extends Schema>(schema: S, value: unknown, language: Language = 'en'): Promise<z.output<S>> {
  const parsed = await schema.safeParseAsync(value, { reportInput: true });
  if (!parsed.success)
    throw invalidRequest(
      parsed.error.issues.map((issue) => ({ location: 'body' as const, issue })),
      language,
    );
  return parsed.data;
}
