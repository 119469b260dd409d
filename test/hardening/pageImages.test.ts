import { PDFDocument, PDFName } from 'pdf-lib';
import { samplePdf } from '../support/samplePdf';

/**
 * Page images for people's pages: a content-stream bomb once took 6–22 s a
 * page with both cores pinned. Drawing is now bounded in time (here 1 s),
 * runs two at a time, and drawn pages come from a cache.
 */

process.env.SINETTI_PAGE_RENDER_TIMEOUT_MS = '1000';
process.env.SINETTI_PAGE_RENDER_CONCURRENCY = '2';
// Read on first use, so the settings above apply.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderPageImage, pageImagesDrawing } = require('../../inspection/pageImages') as typeof import('../../inspection/pageImages');

/** One page whose content stream strokes two million lines. */
async function contentStreamBomb(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const ops = Buffer.from('0.1 w\n' + '10 10 m 585 832 l 585 10 l 10 832 l S\n'.repeat(2_000_000));
  page.node.set(PDFName.of('Contents'), pdf.context.register(pdf.context.flateStream(ops)));
  return Buffer.from(await pdf.save());
}

it('gives up on a page that takes longer than the time limit', async () => {
  const bomb = await contentStreamBomb();
  const started = performance.now();
  expect(await renderPageImage(bomb, 1)).toBeUndefined();
  expect(performance.now() - started).toBeLessThan(3000);
}, 60_000);

it('draws at most two pages at once, and a page drawn once comes from the cache', async () => {
  const pdf = await samplePdf(6, 'page images');
  let most = 0;
  const sampler = setInterval(() => {
    most = Math.max(most, pageImagesDrawing());
  }, 5);
  const pages = await Promise.all([1, 2, 3, 4, 5, 6].map((page) => renderPageImage(pdf, page)));
  clearInterval(sampler);
  expect(pages.every((png) => png && png.subarray(1, 4).toString() === 'PNG')).toBe(true);
  expect(most).toBeLessThanOrEqual(2);
  expect(most).toBeGreaterThan(0);
  const started = performance.now();
  expect(await renderPageImage(pdf, 3)).toBe(pages[2]);
  expect(performance.now() - started).toBeLessThan(50);
  expect(await renderPageImage(pdf, 7)).toBeUndefined();
}, 60_000);
