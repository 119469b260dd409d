import request from 'supertest';
import type { Express } from 'express';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { openTestStack, type TestStack } from './support/testStack';

/**
 * Every page gets the same security headers from one place (helmet in
 * api/app.ts), including the five that once had none, and every page
 * behind a personal link or a staff sign-in is never cached. No page
 * carries inline script or style: the CSP would block them.
 */

let stack: TestStack;
let deps: ReturnType<typeof createApiDeps>;
let app: Express;

beforeAll(async () => {
  stack = await openTestStack('headers');
  app = createApp((deps = createApiDeps(stack.config, stack.client)));
}, 60_000);

afterAll(async () => {
  deps?.close();
  await stack?.close();
});

const PAGES: { path: string; status: number; personal: boolean }[] = [
  { path: '/admin', status: 200, personal: true },
  { path: '/kasittely', status: 200, personal: true },
  { path: '/registry', status: 200, personal: true },
  { path: '/forms/avustushakemus?lang=sv', status: 200, personal: false },
  { path: '/hakemus/no-such-link', status: 404, personal: true },
  { path: '/hr', status: 200, personal: true },
  { path: '/s/no-such-link', status: 404, personal: true },
  { path: '/m/no-such-link', status: 404, personal: true },
  { path: '/public/minutes', status: 200, personal: false },
];

describe('security headers on every page', () => {
  it.each(PAGES)('$path has the CSP, nosniff, no Referer and its caching rule', async ({ path, status, personal }) => {
    const response = await request(app).get(path);
    expect(response.status).toBe(status);
    expect(response.type).toBe('text/html');
    const csp = response.headers['content-security-policy'];
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|nonce-/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
    if (personal) expect(response.headers['cache-control']).toBe('no-store');
    else expect(response.headers['cache-control'] ?? '').not.toContain('no-store');

    // Nothing inline for the CSP to block: scripts and styles come from /assets, and each one is there.
    expect(response.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(response.text).not.toMatch(/<style|\sstyle=/);
    for (const [, asset] of response.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
      const served = await request(app).get(asset);
      expect(served.status).toBe(200);
      expect(served.type).toBe(asset.endsWith('.js') ? 'text/javascript' : 'text/css');
    }
  });

  it('answers an unknown asset with 404, and the API with the same headers', async () => {
    expect((await request(app).get('/assets/nothing.js')).status).toBe(404);
    const api = await request(app).get('/api/forms');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
