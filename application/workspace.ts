import { WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError } from '../common/errors';
import type { StaffRole } from '../config/config';
import { type ServiceDeps } from './serviceDeps';

/**
 * What waits for a member of staff, from Temporal visibility: the search
 * attributes name roles, never people, so "for this person" is what waits
 * for their role (a handler's cases to decide and sign, the registry's
 * letters that could not be delivered, the secretary's minutes to correct);
 * HR follows its open contracts, an admin sees every running process.
 */

/** The WaitingFor values each staff role acts on; undefined: every running process of the types below. */
const AWAITED_ROLES: Record<StaffRole, string[] | undefined> = {
  handler: ['handler', 'decision-maker'],
  registry: ['registry'],
  secretary: ['secretary'],
  hr: undefined,
  admin: undefined,
};
const FOLLOWED_TYPES: Partial<Record<StaffRole, string>> = { hr: 'employmentContract' };

export interface WorkspaceFilter {
  status?: string;
  organization?: string;
  caseNumber?: string;
  /** Only what must be done by this moment. */
  dueBefore?: Date;
  limit: number;
}

export interface WaitingItem {
  processId: string;
  processType?: string;
  status?: string;
  waitingFor?: string;
  waitingUntil?: string;
  caseNumber?: string;
  organization?: string;
  stepSince?: string;
}

function attribute(attributes: Record<string, unknown[]> | undefined, name: string): string | undefined {
  const value = attributes?.[name]?.[0];
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

const quoted = (value: string) => `'${value.replace(/'/g, '')}'`;

export class WorkspaceService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The visibility query for a role and filter; the filter's values are checked by the route's schema before they get here. */
  query(role: StaffRole, filter: Omit<WorkspaceFilter, 'limit'>): string {
    const clauses = [`ExecutionStatus = 'Running'`, 'ProcessType IS NOT NULL'];
    const awaited = AWAITED_ROLES[role];
    if (awaited) clauses.push(`WaitingFor IN (${awaited.map(quoted).join(', ')})`);
    const followed = FOLLOWED_TYPES[role];
    if (followed) clauses.push(`ProcessType = ${quoted(followed)}`);
    if (filter.status) clauses.push(`ProcessStatus = ${quoted(filter.status)}`);
    if (filter.organization) clauses.push(`Organization = ${quoted(filter.organization)}`);
    if (filter.caseNumber) clauses.push(`CaseNumber = ${quoted(filter.caseNumber)}`);
    if (filter.dueBefore) clauses.push(`WaitingUntil <= '${filter.dueBefore.toISOString()}'`);
    return clauses.join(' AND ');
  }

  /** The soonest to end first; those with no known end after them, the longest waiting first. */
  async waitingFor(role: StaffRole, filter: WorkspaceFilter): Promise<{ query: string; items: WaitingItem[] }> {
    const query = this.query(role, filter);
    const items: WaitingItem[] = [];
    for await (const info of this.deps.temporal.workflow.list({ query })) {
      const a = info.searchAttributes as Record<string, unknown[]> | undefined;
      items.push({
        processId: info.workflowId,
        processType: attribute(a, 'ProcessType'),
        status: attribute(a, 'ProcessStatus'),
        waitingFor: attribute(a, 'WaitingFor'),
        waitingUntil: attribute(a, 'WaitingUntil'),
        caseNumber: attribute(a, 'CaseNumber'),
        organization: attribute(a, 'Organization'),
        stepSince: attribute(a, 'StepSince'),
      });
      if (items.length >= filter.limit) break;
    }
    items.sort(
      (x, y) => (x.waitingUntil ?? '9999').localeCompare(y.waitingUntil ?? '9999') || (x.stepSince ?? '').localeCompare(y.stepSince ?? ''),
    );
    return { query, items };
  }

  /** One process: where it stands (from visibility) and its steps so far (from the audit trail: actions and kinds of actor only). */
  async detail(processId: string) {
    const description = await this.deps.temporal.workflow
      .getHandle(processId)
      .describe()
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`Process ${processId}`);
        throw error;
      });
    const a = description.searchAttributes as Record<string, unknown[]> | undefined;
    const events = await this.deps.audit.forProcess(processId);
    return {
      processId,
      running: description.status.name === 'RUNNING',
      startedAt: description.startTime.toISOString(),
      processType: attribute(a, 'ProcessType') ?? description.type,
      status: attribute(a, 'ProcessStatus'),
      waitingFor: attribute(a, 'WaitingFor'),
      waitingUntil: attribute(a, 'WaitingUntil'),
      caseNumber: attribute(a, 'CaseNumber'),
      // "staff:handler:Name" → "staff": the timeline says what kind of actor acted, never who by name.
      steps: events.map((event) => ({ action: event.action, at: event.at.toISOString(), actorKind: event.actor.split(':')[0] })),
    };
  }
}
