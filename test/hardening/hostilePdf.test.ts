import { monitorEventLoopDelay } from 'node:perf_hooks';
import { IN_PLACE_BOUNDS, inspectUpload, pdfLimits, warmPdfInspection } from '../../inspection/pdfInspection';
import {
  additionalActionsPdf,
  embeddedFilePdf,
  launchActionPdf,
  manyPagesPdf,
  objectStreamBomb,
  openActionJavaScriptPdf,
} from '../support/hostilePdfs';
import { samplePdf } from '../support/samplePdf';
import { type ContractHarness, openContractHarness } from '../support/contractHarness';
import { type StaffHeaders, staffHeaders } from '../support/staffSession';

/**
 * Hostile uploads on the real API: each was once accepted (a 1 GiB object
 * stream bomb took 24 s of the event loop and 1.2 GB; 5,000 pages; a script
 * run on opening). Now each is refused with a 422 naming the problem, and the
 * API keeps answering while it inspects.
 */

let harness: ContractHarness;
let bomb: Buffer;
let hr: StaffHeaders;
beforeAll(async () => {
  harness = await openContractHarness('hostile-pdf');
  hr = await staffHeaders(harness.baseUrl, 'hr'); // signed in before anything is timed
  bomb = await objectStreamBomb(1024 ** 3);
  await warmPdfInspection(); // as the API does at start-up
}, 120_000);
afterAll(async () => {
  await harness?.close();
});

const upload = (bytes: Buffer) => harness.api().post('/api/documents').set(hr).set('Content-Type', 'application/pdf').send(bytes);

describe('hostile PDF uploads', () => {
  it('refuses a 1 MB upload that inflates to 1 GiB in under a second, while /health keeps answering as fast as before', async () => {
    expect(bomb.length).toBeLessThan(1.2 * 1024 * 1024);
    // /health itself asks Temporal, the store and SMTP: its time on an idle API is the yardstick.
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await harness.api().get('/health');
      baseline.push(performance.now() - started);
    }
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const healthTimes: number[] = [];
    let uploading = true;
    const pings = (async () => {
      while (uploading) {
        const started = performance.now();
        await harness.api().get('/health');
        healthTimes.push(performance.now() - started);
      }
    })();
    const started = performance.now();
    const response = await upload(bomb);
    const refusedIn = performance.now() - started;
    uploading = false;
    await pings;
    loop.disable();
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('too_complex');
    expect(response.body.message).toMatch(/expand to more than/);
    expect(refusedIn).toBeLessThan(1000);
    expect(healthTimes.length).toBeGreaterThan(0);
    // Within 100 ms of its idle time (on a quiet machine /health answers in a few ms, so within 100 ms),
    // and the event loop never stalled for 100 ms: the inspection ran on another thread.
    expect(Math.max(...healthTimes)).toBeLessThan(Math.max(...baseline) + 100);
    expect(loop.max / 1e6).toBeLessThan(100);
  });

  it('refuses a 5,000-page document to sign (the limit is 500 pages)', async () => {
    const response = await upload(await manyPagesPdf(5000));
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('too_many_pages');
    expect(response.body.message).toContain('5000 pages');
  });

  it('refuses a document with JavaScript run on opening (/OpenAction)', async () => {
    const response = await upload(await openActionJavaScriptPdf());
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('active_content');
    expect(response.body.message).toContain('/OpenAction');
  });

  it('refuses a document whose link starts a program (/Launch)', async () => {
    const response = await upload(await launchActionPdf());
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('active_content');
    expect(response.body.message).toContain('a Launch action');
  });

  it('refuses a document whose page runs an action when opened (/AA), even a harmless one', async () => {
    const response = await upload(await additionalActionsPdf());
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('active_content');
    expect(response.body.message).toContain('(/AA)');
  });

  it('refuses a document with an embedded file', async () => {
    const response = await upload(await embeddedFilePdf());
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('active_content');
    expect(response.body.message).toMatch(/contains (an embedded file|embedded files),/);
  });

  it('still takes an ordinary 10-page PDF', async () => {
    const response = await upload(await samplePdf(10));
    expect(response.status).toBe(201);
    expect(response.body.pages).toBe(10);
  });

  it('terminates an inspection that runs past its time limit and answers the next one', async () => {
    const slow = inspectUpload(await manyPagesPdf(3000), { ...pdfLimits(), timeoutMs: 50, maxPages: 10_000 });
    await expect(slow).rejects.toMatchObject({ code: 'too_complex', message: expect.stringMatching(/longer than/) });
    // The next document past the in-place bounds (more than 1,000 objects) is answered by a fresh thread.
    expect((await inspectUpload(await manyPagesPdf(1200), { ...pdfLimits(), maxPages: 10_000 })).pageCount).toBe(1200);
  });

  it('hands a small file that inflates past the in-place bounds to the thread, which refuses a bomb in it', async () => {
    const smallBomb = await objectStreamBomb(40 * 1024 * 1024);
    expect(smallBomb.length).toBeLessThan(IN_PLACE_BOUNDS.maxBytes);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    await expect(inspectUpload(smallBomb)).rejects.toMatchObject({ code: 'too_complex', message: expect.stringMatching(/packed objects/) });
    loop.disable();
    // The in-place part stopped at its 1 MB bound: the event loop was never held for long.
    expect(loop.max / 1e6).toBeLessThan(50);
    expect((await inspectUpload(await samplePdf(2, 'small and ordinary'))).pageCount).toBe(2);
  });
});
