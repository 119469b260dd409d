import request from 'supertest';
import { type Express } from 'express';
import { type z } from 'zod';
import { createApiDeps } from '../api/apiDeps';
import { apiRoutes, createApp } from '../api/app';
import { type RouteSpec } from '../api/routeRegistry';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';

/**
 * The registry parses every route's params and query by its declared
 * schemas before the handler runs: a wrong value anywhere gets the same
 * 400, naming the field as `params.<name>` or `query.<name>`, and the
 * handler never sees it.
 */

let stack: TestStack;
let app: Express;
let specs: RouteSpec[];
let deps: ReturnType<typeof createApiDeps>;
const admin = () => staffHeaders(app, 'admin');

beforeAll(async () => {
  stack = await openTestStack('route-registry');
  deps = createApiDeps(stack.config, stack.client);
  app = createApp(deps);
  specs = apiRoutes(deps).specs;
});
afterAll(async () => {
  deps.close();
  await stack?.close();
});

/** A value no path parameter accepts: longer than any id or token, and neither a page number nor a format. */
const WRONG = `not a <valid> value ${'x'.repeat(300)}`;
const VALID: Record<string, string> = { page: '1', format: 'csv' };

function pathWith(spec: RouteSpec, wrong?: string): string {
  return spec.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(name === wrong ? WRONG : (VALID[name] ?? 'x1')));
}

async function call(spec: RouteSpec, path: string) {
  const agent = request(app)
    [spec.method](path)
    .set(await admin())
    .set('Accept', 'application/json');
  return spec.method === 'get' || spec.method === 'delete' ? agent : agent.send({});
}

function expectFieldNaming400(response: request.Response, field: string, route: string): void {
  const shape = {
    status: response.status,
    error: response.body.error,
    fields: (response.body.details ?? []).map((d: { field: string }) => d.field),
  };
  expect({ route, ...shape }).toEqual({ route, status: 400, error: 'invalid_request', fields: expect.arrayContaining([field]) });
  expect(response.body.message).toContain(field);
}

/** A query field whose schema falls back on a bad value (a mistyped ?lang= on a personal link still opens the page). */
function tolerant(schema: z.ZodType): boolean {
  for (let s: unknown = schema; s; s = (s as { _zod: { def: { innerType?: unknown } } })._zod.def.innerType) {
    if ((s as { _zod: { def: { type: string } } })._zod.def.type === 'catch') return true;
  }
  return false;
}

const queryFields = (spec: RouteSpec) => Object.entries((spec.query as z.ZodObject | undefined)?.shape ?? {}) as [string, z.ZodType][];

it('declares a params schema for every route with path parameters, and documents it in /openapi.json', async () => {
  const openapi = (await request(app).get('/openapi.json')).body as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  for (const spec of specs) {
    const named = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const documented = openapi.paths[spec.path.replace(/:(\w+)/g, '{$1}')][spec.method].parameters ?? [];
    expect({ route: `${spec.method} ${spec.path}`, path: documented.filter((p) => p.in === 'path').map((p) => p.name) }).toEqual({
      route: `${spec.method} ${spec.path}`,
      path: named,
    });
    for (const [name] of queryFields(spec)) expect(documented).toContainEqual(expect.objectContaining({ name, in: 'query' }));
  }
});

it('refuses a wrong path parameter on every route with the same field-naming 400', async () => {
  let checked = 0;
  for (const spec of specs) {
    for (const [, name] of spec.path.matchAll(/:(\w+)/g)) {
      expectFieldNaming400(await call(spec, pathWith(spec, name)), `params.${name}`, `${spec.method} ${spec.path}`);
      checked += 1;
    }
  }
  expect(checked).toBeGreaterThan(40);
});

it('refuses a wrong query value on every route that declares one, with the same field-naming 400', async () => {
  let checked = 0;
  for (const spec of specs) {
    for (const [name, schema] of queryFields(spec)) {
      if (tolerant(schema)) continue;
      // Given twice, a query field is a list: the wrong type for every declared field.
      const path = `${pathWith(spec)}?${name}=1&${name}=x`;
      expectFieldNaming400(await call(spec, path), `query.${name}`, `${spec.method} ${spec.path}`);
      checked += 1;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(8);
});

it('names a wrong numeric query value the same way', async () => {
  const response = await request(app)
    .get('/api/admin/processes?limit=lots')
    .set(await admin());
  expect(response.status).toBe(400);
  expect(response.body).toEqual({
    error: 'invalid_request',
    message: expect.stringContaining('query.limit'),
    details: [{ field: 'query.limit', location: 'query', message: expect.any(String) }],
  });
});
