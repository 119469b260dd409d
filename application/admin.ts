import { type AdminActionRequest, AdminActions } from '../admin/adminActions';
import { type ArchivedDocumentView, listArchivedDocuments } from '../admin/archivedDocuments';
import { DEFAULT_STUCK_CRITERIA, type ProcessSurvey, surveyProcesses } from '../admin/stuckProcesses';
import { EmploymentContracts } from '../store/employmentContracts';
import { MinutesReviews } from '../store/minutesReviews';
import { employmentContractWorkflow } from '../workflows/employmentContract';
import { minutesReviewWorkflow } from '../workflows/minutesReview';
import { type ServiceDeps } from './serviceDeps';

/** The admin's view and levers: every process by type, status and organisation; the stuck ones; audited actions. */

export interface ProcessFilter {
  type?: string;
  status?: string;
  organization?: string;
  running?: boolean;
  limit: number;
}

export class AdminService {
  private readonly actions: AdminActions;

  constructor(private readonly deps: ServiceDeps) {
    // Reassignments store the new person in the process type's own records, keyed by its workflow type.
    this.actions = new AdminActions(deps.temporal, deps.audit, {
      [employmentContractWorkflow.name]: new EmploymentContracts(),
      [minutesReviewWorkflow.name]: new MinutesReviews(),
    });
  }

  /** Processes by search attributes; the filter's values are checked by the caller's schema before they reach the query. */
  async list(filter: ProcessFilter): Promise<{ query: string; processes: Record<string, unknown>[] }> {
    const clauses = ['ProcessType IS NOT NULL'];
    if (filter.type) clauses.push(`ProcessType = '${filter.type}'`);
    if (filter.status) clauses.push(`ProcessStatus = '${filter.status}'`);
    if (filter.organization) clauses.push(`Organization = '${filter.organization}'`);
    if (filter.running !== undefined) clauses.push(`ExecutionStatus ${filter.running ? '=' : '!='} 'Running'`);
    const query = clauses.join(' AND ');
    const processes: Record<string, unknown>[] = [];
    for await (const info of this.deps.temporal.workflow.list({ query, pageSize: filter.limit })) {
      processes.push({
        processId: info.workflowId,
        workflowType: info.type,
        runStatus: info.status.name,
        startedAt: info.startTime,
        closedAt: info.closeTime,
        ...Object.fromEntries(
          Object.entries(info.searchAttributes ?? {}).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), (v as unknown[])[0]]),
        ),
      });
      if (processes.length >= filter.limit) break;
    }
    return { query, processes };
  }

  /** Archived documents' proof, soonest due first (see admin/archivedDocuments.ts). */
  async archivedDocuments(limit: number): Promise<{ marginDays: number; documents: ArchivedDocumentView[] }> {
    const { marginMs } = this.deps.config.retimestamping;
    const documents = await listArchivedDocuments(this.deps.temporal, { marginMs, taskQueue: this.deps.config.temporal.taskQueue, limit });
    return { marginDays: marginMs / (24 * 3600_000), documents };
  }

  /** The stuck processes with their reasons, and those waiting by design until a known moment. */
  survey(criteria: { attemptThreshold: number; noProgressMs: number }, now = new Date()): Promise<ProcessSurvey> {
    return surveyProcesses(this.deps.temporal, { now, ...criteria, describeLimit: DEFAULT_STUCK_CRITERIA.describeLimit });
  }

  perform(processId: string, admin: string, request: AdminActionRequest): Promise<unknown> {
    return this.actions.perform(processId, admin, request);
  }
}
