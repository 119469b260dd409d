import { WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError, SinettiError } from '../common/errors';
import type { StaffRole } from '../config/config';
import { mayRead, owningRole } from '../rules/processOwners';
import { parseLetterProcessId } from '../rules/officialMail';
import { Letters } from '../store/letters';
import { anyProcessStateQuery } from '../workflows/processView';
import { type ServiceDeps } from './serviceDeps';

/** Any process by id, whatever its type: its state and its audit trail. */
export class ProcessService {
  private readonly letters = new Letters();

  constructor(private readonly deps: ServiceDeps) {}

  async describe(processId: string, viewer: readonly StaffRole[]) {
    checkAccess(processId, viewer);
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
  async auditTrail(processId: string, viewer: readonly StaffRole[]) {
    checkAccess(processId, viewer);
    const letter = parseLetterProcessId(processId) ? await this.letters.find(processId) : undefined;
    return this.deps.audit.forProcess(processId, letter?.trackedBy);
  }
}

/** A process's state and trail (with IPs and browsers) are for the role that works on it, and admins. */
function checkAccess(processId: string, viewer: readonly StaffRole[]): void {
  const owner = owningRole(processId);
  if (!mayRead(viewer, [owner]))
    throw new SinettiError('forbidden', `Process ${processId} belongs to the ${owner} role's work; ask them or an admin.`, 403);
}
