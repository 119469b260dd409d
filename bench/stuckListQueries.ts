import { type Client } from '@temporalio/client';
import { listPage, pageInAttributeOrder } from '../application/visibilityOrder';
import {
  DEFAULT_STUCK_CRITERIA,
  deadlinePassedQuery,
  noProgressQuery,
  systemAtWorkQuery,
  waitingFrom,
  waitingQuery,
} from '../admin/stuckProcesses';
import { shortestExpectationMs } from '../admin/stepExpectations';
import { percentile } from './contracts';

/**
 * The stuck list's visibility queries one by one, as surveyProcesses runs
 * them (all at once, so each is timed inside the same parallel round), to
 * see which of them a slow load of the list waits for.
 */
export async function stuckListQueryTimes(client: Client, samples: number): Promise<{ query: string; p50: number; p95: number }[]> {
  const limit = DEFAULT_STUCK_CRITERIA.waitingLimit;
  const times = new Map<string, number[]>();
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      times.set(name, [...(times.get(name) ?? []), performance.now() - started]);
    }
  };
  for (let n = 0; n < samples; n++) {
    const now = new Date();
    const from = waitingFrom(now);
    const shortest = shortestExpectationMs(DEFAULT_STUCK_CRITERIA.noProgressMs);
    await Promise.all([
      timed('system at work (list)', () => listPage(client, systemAtWorkQuery(), DEFAULT_STUCK_CRITERIA.describeLimit)),
      timed('deadline passed (list)', () => listPage(client, deadlinePassedQuery(from), limit)),
      timed('no progress (list)', () => listPage(client, noProgressQuery(new Date(now.getTime() - shortest)), limit)),
      timed('waiting, soonest first (counts, then a window)', () =>
        pageInAttributeOrder(client, waitingQuery(from), 'WaitingUntil', limit, undefined, now),
      ),
      timed('waiting (count)', () => client.workflow.count(waitingQuery(from))),
    ]);
  }
  return [...times].map(([query, ms]) => {
    const sorted = ms.sort((a, b) => a - b);
    return { query, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  });
}
