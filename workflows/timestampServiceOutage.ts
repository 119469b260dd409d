import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/**
 * A step that needs the timestamp service (the TSA, and the OCSP responders
 * and CRLs behind B-LT) first gets a few quick tries, each already trying
 * every configured TSA in order. If the service stays down, the admin's
 * view says so (WaitingFor = timestampService) and the step goes on trying,
 * with backoff up to an hour, until the service answers; then the process
 * continues by itself. A refused step (bad input) is not retried.
 */

export const TIMESTAMP_SERVICE = 'timestampService';

/** Error types (the activity's error class names) that mean the TSA or a revocation service did not answer. */
const OUTAGES = new Set(['TimestampUnavailableError', 'TimestampRefusedError', 'RevocationUnavailableError']);

/** The retry policy of the quick tries; the patient ones use the caller's usual policy. */
export const QUICK_TRIES = 3;

export async function throughTimestampOutages<T>(
  quick: () => Promise<T>,
  patient: () => Promise<T>,
  show: (waitingFor: string) => void,
  /** What WaitingFor returns to once the step is done. */
  afterwards: string,
): Promise<T> {
  try {
    return await quick();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) throw error;
    show(cause instanceof ApplicationFailure && cause.type && OUTAGES.has(cause.type) ? TIMESTAMP_SERVICE : 'system');
    const result = await patient();
    show(afterwards);
    return result;
  }
}
