import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Test workers only: the law's periods (a rectification period, an appeal
 * period: two weeks or more) pass at a day per quarter second, so a test
 * sees a process through its whole period in a few seconds while the dates
 * are still computed and shown as the law says. Shorter timers (deadlines
 * and reminders a test sets itself) run as they are. Bundled into a test
 * suite's workflows when it sets SINETTI_TEST_SHORT_PERIODS=1 (see
 * worker/testTimers.ts); production bundles never contain it.
 */

const DAY_MS = 24 * 3600 * 1000;
const LEGAL_PERIOD_MS = 14 * DAY_MS;
export const TEST_DAY_MS = 250;

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      startTimer: (input, next) =>
        next(input.durationMs >= LEGAL_PERIOD_MS ? { ...input, durationMs: Math.ceil((input.durationMs / DAY_MS) * TEST_DAY_MS) } : input),
    },
  ],
});
