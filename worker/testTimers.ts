import path from 'node:path';

/**
 * The one test-only path for time: with SINETTI_TEST_SHORT_PERIODS=1 a
 * worker that bundles its workflows adds test/support/shortLegalPeriods.ts,
 * which makes the law's periods pass in seconds. Unset (as in production)
 * nothing is added, and a prebuilt bundle is never changed.
 */
export function testTimerInterceptorModules(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.SINETTI_TEST_SHORT_PERIODS !== '1') return [];
  return [path.resolve(__dirname, '..', 'test', 'support', 'shortLegalPeriods.ts')];
}
