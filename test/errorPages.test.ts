import express from 'express';
import request from 'supertest';
import { requireRole } from '../api/auth';
import { errorHandler } from '../api/httpErrors';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/**
 * Errors as people see them: a browser (Accept: text/html) on a staff or public page gets a small page in the person's
 * language (sinetti_lang, else the browser's language on public pages, else Finnish) with the way on; API clients keep JSON.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('error-pages');
});
afterAll(async () => {
  await harness?.close();
});

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
const language = (html: string) => /<html lang="([a-z]+)"/.exec(html)?.[1];

describe('error pages for people', () => {
  it('answers a browser on a missing staff page in the language chosen on the pages, with the way back to the work list', async () => {
    for (const [lang, expected] of [
      ['sv', 'Sidan hittades inte'],
      ['en', 'Page not found'],
      ['fi', 'Sivua ei löydy'],
    ] as const) {
      const answer = await request(harness.baseUrl)
        .get('/hr/ei-tallaista-sivua')
        .set('Accept', HTML)
        .set('Cookie', `sinetti_lang=${lang}`)
        .set('Referer', `${harness.baseUrl}/hr`);
      expect(answer.status).toBe(404);
      expect(answer.type).toBe('text/html');
      expect(language(answer.text)).toBe(lang);
      expect(heading(answer.text)).toBe(expected);
      expect(answer.text).toContain('href="/tyotila"');
      expect(answer.text).toContain('href="/hr"'); // back where the person came from
      expect(answer.text).not.toContain('"error"');
    }
    // Without a chosen language, staff pages are in Finnish, whatever the browser's language.
    const unchosen = await harness.api().get('/admin/ei-ole').set('Accept', HTML).set('Accept-Language', 'en-GB');
    expect([unchosen.status, language(unchosen.text)]).toEqual([404, 'fi']);
  });

  it('shows a signed-in person an item they may not see as a 404 page and a page outside their roles as a 403 page in their language', async () => {
    const hr = await staffHeaders(harness.baseUrl, 'hr');
    const missing = await harness
      .api()
      .get('/hr/contracts/contract-00000000-0000-0000-0000-000000000000')
      .set('Accept', HTML)
      .set('Cookie', `${hr.Cookie}; sinetti_lang=sv`);
    expect(missing.status).toBe(404);
    expect(heading(missing.text)).toBe('Sidan hittades inte');

    const handler = await staffHeaders(harness.baseUrl, 'handler');
    const forbidden = await harness.api().get('/hr').set('Accept', HTML).set('Cookie', `${handler.Cookie}; sinetti_lang=en`);
    expect(forbidden.status).toBe(403);
    expect(heading(forbidden.text)).toBe('Not allowed');
    expect(forbidden.text).toContain('The page needs the role hr; your roles: handler.');
    expect(forbidden.text).toContain('Sign in as someone else');
    const minutes = await harness
      .api()
      .get('/minutes/minutes-00000000-0000-0000-0000-000000000000')
      .set('Accept', HTML)
      .set('Cookie', `${handler.Cookie}; sinetti_lang=fi`);
    expect(minutes.status).toBe(403);
    expect(heading(minutes.text)).toBe('Ei käyttöoikeutta');
    expect(minutes.text).toContain('Sivu vaatii roolin secretary; roolisi: handler.');
  });

  it("answers a signer's browser on a public path in the browser's language, with what to do about the link", async () => {
    const answer = await harness.api().get('/s/abc/ei-ole').set('Accept', HTML).set('Accept-Language', 'sv-FI,sv;q=0.9');
    expect(answer.status).toBe(404);
    expect(language(answer.text)).toBe('sv');
    expect(heading(answer.text)).toBe('Sidan hittades inte');
    expect(answer.text).toContain('be avsändaren om en ny');
    expect(answer.text).not.toContain('/tyotila'); // a signer has no work list
  });

  it('keeps JSON for API clients: /api/ paths, and any path asked for JSON', async () => {
    const api = await harness.api().get('/api/ei-ole').set('Accept', HTML);
    expect([api.status, api.type, api.body.error]).toEqual([404, 'application/json', 'not_found']);
    const json = await harness.api().get('/hr/ei-ole').set('Accept', 'application/json');
    expect([json.status, json.type, json.body.error]).toEqual([404, 'application/json', 'not_found']);
    const handler = await staffHeaders(harness.baseUrl, 'handler');
    const apiForbidden = await harness.api().get('/api/contracts').set('Accept', HTML).set(handler);
    expect(apiForbidden.status).toBe(403);
    const contract = await harness
      .api()
      .get('/api/contracts/contract-00000000-0000-0000-0000-000000000000')
      .set('Accept', 'application/json')
      .set(await staffHeaders(harness.baseUrl, 'hr'));
    expect([contract.status, contract.body.error]).toEqual([404, 'not_found']);
  });

  it('answers a browser with a 401 page offering sign-in and a 500 page, and API clients with JSON, through the same handlers', async () => {
    // Two routes of their own, the app's own role check and error handler behind them.
    const app = express();
    app.post('/registry/things', requireRole('registry'), (_req, res) => {
      res.send('never');
    });
    app.get('/hr/broken', () => {
      throw new Error('a fault of ours');
    });
    app.use(errorHandler);

    const unauthenticated = await request(app).post('/registry/things').set('Accept', HTML).set('Cookie', 'sinetti_lang=sv');
    expect(unauthenticated.status).toBe(401);
    expect(heading(unauthenticated.text)).toBe('Logga in');
    expect(unauthenticated.text).toContain(`href="/auth/login?returnTo=${encodeURIComponent('/registry/things')}"`);
    const unauthenticatedJson = await request(app).post('/registry/things').set('Accept', 'application/json');
    expect([unauthenticatedJson.status, unauthenticatedJson.body.error]).toEqual([401, 'unauthenticated']);

    const failed = await request(app).get('/hr/broken').set('Accept', HTML);
    expect(failed.status).toBe(500);
    expect(heading(failed.text)).toBe('Jokin meni vikaan');
    expect(failed.text).not.toContain('a fault of ours');
    const failedJson = await request(app).get('/hr/broken');
    expect([failedJson.status, failedJson.body.error]).toEqual([500, 'internal_error']);
  });
});
