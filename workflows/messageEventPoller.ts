import { condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { LetterActivities } from '../activities/letterActivities';
import { declareVersioning } from './versioningBehavior';

/**
 * The one reader of Suomi.fi Messages' event feed. Every round it reads
 * /v2/events from where the last round stopped (the continuation token is
 * kept in the store, so a new run carries on) and signals each letter its
 * new events. It continues as new every so often, so its history stays a
 * few hundred events however long it runs.
 */

export interface MessageEventPollerInput {
  intervalMs: number;
  /** Rounds before continuing as new. */
  roundsPerRun?: number;
}

/** Wakes the poller before its interval is up, e.g. when letters have just been sent. */
export const pollNowSignal = defineSignal('pollNow');

const polling = proxyActivities<LetterActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

// Worker Versioning: runs for as long as Sinetti does: moves to each new build.
declareVersioning(messageEventPollerWorkflow, 'AUTO_UPGRADE');
export async function messageEventPollerWorkflow(input: MessageEventPollerInput): Promise<void> {
  let woken = false;
  setHandler(pollNowSignal, () => {
    woken = true;
  });
  const rounds = input.roundsPerRun ?? 200;
  for (let round = 0; round < rounds && !workflowInfo().continueAsNewSuggested; round++) {
    woken = false;
    await polling.pollMessageEvents({ pollerId: workflowInfo().workflowId });
    await condition(() => woken, input.intervalMs);
  }
  await continueAsNew<typeof messageEventPollerWorkflow>(input);
}
