import { WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError } from '../common/errors';
import { parseLetterProcessId } from '../rules/officialMail';
import { Letters } from '../store/letters';
import { anyProcessStateQuery } from '../workflows/processView';
import { type ServiceDeps } from './serviceDeps';

/** Any process by id, whatever its type: its state and its audit trail. */
export class ProcessService {
  private readonly letters = new Letters();

  constructor(private readonly deps: ServiceDeps) {}

  async describe(processId: string) {
    try {
      const handle = this.deps.temporal.workflow.getHandle(processId);
      const [description, state] = await Promise.all([handle.describe(), handle.query(anyProcessStateQuery)]);
      return {
        processId,
        type: description.type,
        runStatus: description.status.name,
        startedAt: description.startTime,
        closedAt: description.closeTime,
        state,
      };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Process ${processId}`);
      throw error;
    }
  }

  /** A batch letter's events are listed in its page tracker's trail (AuditEvent.trail). */
  async auditTrail(processId: string) {
    const letter = parseLetterProcessId(processId) ? await this.letters.find(processId) : undefined;
    return this.deps.audit.forProcess(processId, letter?.trackedBy);
  }
}
