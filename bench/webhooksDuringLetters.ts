import { WEBHOOK_LANES } from '../integrations/webhooks/dispatcher';
import { letterBatchBenchmark } from './letterBatch';

/**
 * `npm run bench -- webhooks`: the letter batch benchmark with the webhook
 * probe on (BENCH_WEBHOOKS=1), written under its own heading so the
 * letters' own section (measured without webhooks) stays as it is. Every
 * letter's "accepted" event is one webhook to the example receiver,
 * delivered by the production worker's dispatcher and delivery lanes
 * while the batch runs.
 */
export async function webhooksDuringLettersBenchmark(): Promise<string> {
  process.env.BENCH_WEBHOOKS = '1';
  const section = await letterBatchBenchmark();
  const [, ...rest] = section.split('\n');
  return [
    '## Webhooks while a letter batch runs',
    '',
    `Delivery through ${WEBHOOK_LANES} lanes per subscription (workflows/webhookLane.ts), one signal per lane and dispatcher round; the webhook rows are the ones to read, the rest is the batch they ran beside.`,
    ...rest.map((line) => line.replace('npm run bench -- letters', 'npm run bench -- webhooks').replace('BENCH_WEBHOOKS=1 ', '')),
    '',
    'Before the lanes (a delivery workflow per subscription and process, started by a `signalWithStart` per event), an earlier run of 2,000 letters on the same shared machine gave 7 webhooks/s and a p99 of 239 s from event to receiver: each letter cost a new workflow sandbox on the webhooks worker and a hand-over round trip. Not a same-run peer: the old design is no longer in the dispatcher.',
  ].join('\n');
}
