import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { SinettiError } from '../common/errors';
import { PdfError } from '../signing/errors';

/**
 * The key that makes an activity's side effect happen once: the same for
 * every retry of one activity execution, different for every other one.
 */
export function idempotencyKey(suffix = ''): string {
  const info = Context.current().info;
  return `${currentWorkflowId()}/${info.activityId}${suffix ? `/${suffix}` : ''}`;
}

export function currentWorkflowId(): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('Sinetti activities run only inside workflows');
  return execution.workflowId;
}

/**
 * Bad documents and bad requests do not get better on retry: they become
 * typed, non-retryable failures the workflow can act on. Everything else
 * (store or SMTP down) is thrown as is and retried with backoff.
 */
export async function failFastOnBadInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PdfError || (error instanceof SinettiError && error.status < 500 && error.status !== 404)) {
      throw ApplicationFailure.create({
        type: error instanceof PdfError ? `PdfError.${error.code}` : error.code,
        message: error.message,
        nonRetryable: true,
      });
    }
    throw error;
  }
}
