import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { logger } from '../observability/logger';
import { PendingStarts, type ProcessStart, type StartableWorkflow } from '../store/pendingStarts';
import { employmentContractWorkflow } from '../workflows/employmentContract';
import { formToDecisionWorkflow } from '../workflows/formToDecision';
import { nameTokenAttributes, nameTokenizerFor } from './nameTokens';
import { type ServiceDeps } from './serviceDeps';

/**
 * Creating a process is one idempotent step: the record and the workflow
 * share an id, derived from the client's idempotency key when it sent one,
 * so a retry finds the same record and the same workflow. The start is
 * noted before it is tried and forgotten once Temporal has it; the start
 * call has a short deadline, so an unreachable Temporal is a quick 503.
 * What is left noted is started later by the reconciler below.
 */

/** How long one start may wait for Temporal before the person is told to try again. */
export const START_DEADLINE_MS = 3_000;

/** The process id for a create request: the same for the same key (and kind), a new one without a key. */
export function processIdFor(kind: string, idempotencyKey: string | undefined, scope = ''): string {
  if (!idempotencyKey) return `${kind}-${randomUUID()}`;
  const digest = createHash('sha256').update(`${kind}\u0000${scope}\u0000${idempotencyKey}`).digest('hex');
  // Shaped like a UUID, so ids look the same whether a key was sent or not.
  return `${kind}-${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

const WORKFLOWS = { employmentContractWorkflow, formToDecisionWorkflow } as const;

async function startNow(deps: ServiceDeps, { workflowId, workflowType, input, taskQueue, nameTokens = [] }: ProcessStart): Promise<void> {
  try {
    // The input was built for this workflow type by the service that noted it (and read back as it was written).
    const workflow = WORKFLOWS[workflowType] as (input: unknown) => Promise<unknown>;
    await deps.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      deps.temporal.workflow.start(workflow, {
        taskQueue,
        workflowId,
        args: [input],
        // Keyed hashes of the people's names, for search by name (application/nameTokens.ts).
        typedSearchAttributes: nameTokenAttributes(nameTokens),
      }),
    );
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export class ProcessStarts {
  private readonly pending = new PendingStarts();

  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Notes the start, starts the workflow (already started is fine) and forgets the note. Temporal unreachable: throws, the note stays.
   * `names`: the people's names, searchable as keyed hashes only.
   */
  async start(workflowId: string, workflowType: StartableWorkflow, input: unknown, names: (string | undefined)[] = []): Promise<void> {
    const { taskQueue } = this.deps.config.temporal;
    // The note keeps the tokens (keyed hashes, never the names), so a start the reconciler makes is as findable.
    const nameTokens = nameTokenizerFor(this.deps.config).tokensOf(names);
    const start = { workflowId, workflowType, input, taskQueue, nameTokens };
    await this.pending.note(start);
    await startNow(this.deps, start);
    await this.pending.started(workflowId);
  }

  /** A start the reconciler gave up on, for pages that would otherwise show the process as starting. */
  async failed(workflowId: string): Promise<boolean> {
    return Boolean((await this.pending.get(workflowId))?.failedAt);
  }

  /**
   * Starts what was left half-made (older than `graceMs`, so a start in
   * flight is not raced); gives up after `giveUpAfterMs` and marks it
   * failed. Every API process may run this at once: the start is keyed by
   * the workflow id, so nothing is started twice.
   */
  async reconcile(graceMs = 30_000, giveUpAfterMs = 24 * 3600_000): Promise<{ started: number; failed: number }> {
    let started = 0;
    let failed = 0;
    for (const entry of await this.pending.waiting(graceMs)) {
      try {
        await startNow(this.deps, { ...entry, workflowId: entry._id });
        await this.pending.started(entry._id);
        started++;
      } catch (error) {
        const gaveUp = Date.now() - entry.createdAt.getTime() > giveUpAfterMs;
        await this.pending.attempted(entry._id, gaveUp).catch(() => undefined);
        if (gaveUp) failed++;
        logger.warn(
          {
            processId: entry._id,
            workflowType: entry.workflowType,
            attempts: entry.attempts + 1,
            gaveUp,
            err: { name: (error as Error)?.name },
          },
          'pending process start not made yet',
        );
      }
    }
    if (started || failed) logger.info({ started, failed }, 'reconciled pending process starts');
    return { started, failed };
  }
}

/**
 * The reconciler runs as a timer in each API process, not as a Temporal
 * Schedule: it exists for the time Temporal was unreachable, which a
 * Schedule (run by Temporal) could not cover, and it needs no worker.
 */
export function runStartReconciler(starts: ProcessStarts, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    starts.reconcile().catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
