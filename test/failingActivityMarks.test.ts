import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import { failingActivityMarks } from '../worker/failingActivityMarks';
import type { FailingActivities } from '../store/failingActivities';

/**
 * The record for the stuck list never holds up the attempt it describes: with the store unreachable, its write
 * may wait seconds for server selection, and a step an admin retries must start at once.
 */

type Execute = NonNullable<ActivityInboundCallsInterceptor['execute']>;

function interceptorFor(factory: ActivityInterceptorsFactory, attempt: number): Execute {
  const info = { attempt, activityId: '3', activityType: 'mailSigningLink', isLocal: false, taskQueue: 'sinetti' };
  const context = { info: { ...info, workflowExecution: { workflowId: 'contract-1', runId: 'r' } } } as unknown as Context;
  return factory(context).inbound!.execute!.bind(factory(context).inbound);
}

/** A store whose writes hang until released, recording the order of what was asked. */
function hangingStore() {
  const calls: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const store = {
    attemptStarting: async () => {
      calls.push('attemptStarting');
      await held;
      calls.push('recorded');
    },
    succeeded: () => {
      calls.push('succeeded');
      return Promise.resolve();
    },
  } as unknown as FailingActivities;
  return { store, calls, release };
}

it('runs a retried attempt at once while its record is still being written, and removes the record only after it is written', async () => {
  const { store, calls, release } = hangingStore();
  const execute = interceptorFor(failingActivityMarks([], store), 2);
  const result = await execute({ args: [], headers: {} }, () => {
    calls.push('attempt ran');
    return Promise.resolve('sent');
  });
  expect(result).toBe('sent');
  expect(calls).toEqual(['attemptStarting', 'attempt ran']);
  release();
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls).toEqual(['attemptStarting', 'attempt ran', 'recorded', 'succeeded']);
});

it('writes nothing on a first attempt, and an attempt that fails leaves its record', async () => {
  const { store, calls, release } = hangingStore();
  release();
  const first = interceptorFor(failingActivityMarks([], store), 1);
  expect(await first({ args: [], headers: {} }, () => Promise.resolve('ok'))).toBe('ok');
  expect(calls).toEqual([]);
  const retry = interceptorFor(failingActivityMarks([], store), 3);
  await expect(retry({ args: [], headers: {} }, () => Promise.reject(new Error('SMTP down')))).rejects.toThrow('SMTP down');
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls).toEqual(['attemptStarting', 'recorded']);
});
