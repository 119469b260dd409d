import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowExecutionDescription, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type AuditLog } from '../audit/auditLog';
import { ConflictError, NotFoundError, SinettiError } from '../common/errors';
import {
  cancelUpdate,
  extendDeadlineUpdate,
  reassignParticipantUpdate,
  remindNowUpdate,
  type RoundStanding,
} from '../workflows/adminUpdates';

/**
 * What an admin may do to a running process. Human decisions go through the
 * process's own Updates (so a cancel tells people exactly as HR's cancel
 * does); a failed step is retried by resetting its activity. Every action is
 * audited with the admin and the reason.
 */

export const ADMIN_ACTIONS = ['remind', 'extend', 'reassign', 'cancel', 'retry'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export type AdminActionRequest =
  | { action: 'remind'; reason: string }
  | { action: 'extend'; reason: string; deadlineAt: string }
  | { action: 'reassign'; reason: string; participantId: string; email: string; name: string }
  | { action: 'cancel'; reason: string }
  | { action: 'retry'; reason: string };

/** What reaches the process: a reassignment carries the new participant's id, never their name or address. */
type UpdateRequest =
  | Exclude<AdminActionRequest, { action: 'retry' | 'reassign' }>
  | { action: 'reassign'; reason: string; participantId: string; replacementId: string };

/**
 * Where a process type keeps its people. A reassignment stores the new
 * person there first and sends the process only the new participant id, so
 * names and e-mail addresses never enter the workflow's history.
 */
export interface ParticipantDirectory {
  stageReplacement(processId: string, participantId: string, person: { name: string; email: string }): Promise<string>;
  discardReplacement(processId: string, replacementId: string): Promise<void>;
}

export class AdminActions {
  /** `directories` by workflow type, for the process types whose signers can be reassigned. */
  constructor(
    private readonly client: Client,
    private readonly audit: AuditLog,
    private readonly directories: Record<string, ParticipantDirectory> = {},
  ) {}

  private async runningProcess(processId: string): Promise<WorkflowExecutionDescription> {
    try {
      const description = await this.client.workflow.getHandle(processId).describe();
      if (description.status.name !== 'RUNNING') {
        throw new ConflictError(
          'process_finished',
          `Process ${processId} has already ended (${description.status.name.toLowerCase()}); there is nothing to act on.`,
        );
      }
      return description;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Process ${processId}`);
      throw error;
    }
  }

  async perform(processId: string, admin: string, request: AdminActionRequest): Promise<unknown> {
    const description = await this.runningProcess(processId);
    const result =
      request.action === 'retry'
        ? await this.retryFailedSteps(description)
        : request.action === 'reassign'
          ? await this.reassign(description, request, admin)
          : await this.update(processId, request, admin);
    await this.audit.append({
      eventId: `admin/${randomUUID()}`,
      processId,
      actor: admin,
      action: `admin.${request.action}`,
      at: new Date(),
      details: {
        reason: request.reason,
        ...(request.action === 'extend' ? { deadlineAt: request.deadlineAt } : {}),
        ...(request.action === 'reassign' ? { participantId: request.participantId } : {}),
      },
    });
    return result;
  }

  private async reassign(
    description: WorkflowExecutionDescription,
    request: Extract<AdminActionRequest, { action: 'reassign' }>,
    actor: string,
  ): Promise<RoundStanding> {
    const directory = this.directories[description.type];
    if (!directory) throw new ConflictError('action_not_supported', 'This process type does not support "reassign".');
    const processId = description.workflowId;
    const replacementId = await directory.stageReplacement(processId, request.participantId, { name: request.name, email: request.email });
    try {
      return await this.update(
        processId,
        { action: 'reassign', participantId: request.participantId, replacementId, reason: request.reason },
        actor,
      );
    } catch (error) {
      await directory.discardReplacement(processId, replacementId);
      throw error;
    }
  }

  /** Sends the action as the shared admin Update (workflows/adminUpdates.ts) every process with rounds registers. */
  private async update(processId: string, request: UpdateRequest, actor: string): Promise<RoundStanding> {
    const handle = this.client.workflow.getHandle(processId);
    const { action, reason } = request;
    try {
      switch (request.action) {
        case 'remind':
          return await handle.executeUpdate(remindNowUpdate, { args: [{ actor, reason }] });
        case 'extend':
          return await handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor, reason, deadlineAt: request.deadlineAt }] });
        case 'reassign':
          return await handle.executeUpdate(reassignParticipantUpdate, {
            args: [{ actor, reason, participantId: request.participantId, replacementId: request.replacementId }],
          });
        case 'cancel':
          return await handle.executeUpdate(cancelUpdate, { args: [{ actor, reason }] });
      }
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause as { type?: string; message?: string } | undefined;
        throw new ConflictError(cause?.type ?? 'action_refused', cause?.message ?? error.message);
      }
      if (/update.*(not found|unknown|no handler)|handler.*not (found|registered)/i.test((error as Error).message)) {
        throw new ConflictError('action_not_supported', `This process type does not support "${action}".`);
      }
      throw error;
    }
  }

  /**
   * Resets the attempts of every pending activity that has failed, so each runs again now: Temporal's ResetActivity
   * discards the backoff an activity is waiting out and dispatches its next attempt at once (tested from a 10-minute
   * backoff in test/failingActivityStuck.test.ts). The attempt count starts again at 1, so an activity that fails
   * again is back on the stuck list only once it passes the attempt threshold anew.
   */
  private async retryFailedSteps(description: WorkflowExecutionDescription): Promise<{ retried: string[] }> {
    const failing = (description.raw.pendingActivities ?? []).filter((a) => (a.attempt ?? 0) > 1 || a.lastFailure);
    if (failing.length === 0) throw new SinettiError('nothing_to_retry', 'No step of this process is failing right now.', 409);
    for (const activity of failing) {
      await this.client.workflowService.resetActivity({
        namespace: this.client.options.namespace,
        execution: { workflowId: description.workflowId, runId: description.runId },
        id: activity.activityId,
        identity: 'sinetti-admin',
      });
    }
    return { retried: failing.map((a) => a.activityType?.name ?? a.activityId ?? '?') };
  }
}
