import fs from 'node:fs';
import type { TimerInput, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { testTimerInterceptorModules } from '../worker/testTimers';
import { interceptors, TEST_DAY_MS } from './support/shortLegalPeriods';

/** The one test-only path for time: on only when asked, and only the law's periods shortened. */

const DAY_MS = 24 * 3600_000;

describe('test timers', () => {
  it('are bundled only when SINETTI_TEST_SHORT_PERIODS=1', () => {
    expect(testTimerInterceptorModules({})).toEqual([]);
    expect(testTimerInterceptorModules({ SINETTI_TEST_SHORT_PERIODS: '0' })).toEqual([]);
    const [module] = testTimerInterceptorModules({ SINETTI_TEST_SHORT_PERIODS: '1' });
    expect(fs.existsSync(module)).toBe(true);
  });

  it.each([
    ['a rectification period of 21 days', 21 * DAY_MS, 21 * TEST_DAY_MS],
    ['an appeal period of 33 days', 33 * DAY_MS, 33 * TEST_DAY_MS],
    ['exactly two weeks', 14 * DAY_MS, 14 * TEST_DAY_MS],
    ['a 10-day contract deadline', 10 * DAY_MS, 10 * DAY_MS],
    ['a day to sign', DAY_MS, DAY_MS],
    ['a 2-second reminder', 2000, 2000],
  ])('%s lasts as it should', async (_what, durationMs, expected) => {
    const outbound = interceptors().outbound as WorkflowOutboundCallsInterceptor[];
    let started: TimerInput | undefined;
    await outbound[0].startTimer!({ durationMs, seq: 1 }, async (input) => {
      started = input;
    });
    expect(started!.durationMs).toBe(expected);
  });
});
