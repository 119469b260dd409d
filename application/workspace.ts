import { type WorkflowExecutionInfo, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { NotFoundError } from '../common/errors';
import type { StaffRole } from '../config/config';
import { nameTokenizerFor, nameWords } from './nameTokens';
import { type ServiceDeps } from './serviceDeps';
import { cursorOf, listPage, pageInAttributeOrder } from './visibilityOrder';

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
  /** A person's name, or some words of it: matched as keyed hashes (application/nameTokens.ts), every word must match. */
  name?: string;
  /** Only what must be done by this moment. */
  dueBefore?: Date;
  limit: number;
  /** Continue after the previous page (decodeWorkspaceCursor). */
  after?: WorkspaceCursor;
}

/** Where the next page starts: the part of the order, and the last row shown in it (or Temporal's token in the last part). */
const workspaceCursor = z.object({
  part: z.enum(['until', 'since', 'rest']),
  at: z.string().datetime().optional(),
  id: z
    .string()
    .regex(/^[\w.:@-]{1,200}$/)
    .optional(),
  token: z.string().max(2000).optional(),
});
type WorkspaceCursor = z.infer<typeof workspaceCursor>;

const ORDERED_PARTS: { part: WorkspaceCursor['part']; condition: string; attribute?: string }[] = [
  { part: 'until', condition: 'WaitingUntil IS NOT NULL', attribute: 'WaitingUntil' },
  { part: 'since', condition: 'WaitingUntil IS NULL AND StepSince IS NOT NULL', attribute: 'StepSince' },
  { part: 'rest', condition: 'WaitingUntil IS NULL AND StepSince IS NULL' },
];

function encodeCursor(cursor: WorkspaceCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The "next page" link's cursor, or undefined when it is not one this service wrote. */
export function decodeWorkspaceCursor(text: string): WorkspaceCursor | undefined {
  try {
    const parsed = workspaceCursor.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
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

function itemOf(info: WorkflowExecutionInfo): WaitingItem {
  const a = info.searchAttributes as Record<string, unknown[]> | undefined;
  return {
    processId: info.workflowId,
    processType: attribute(a, 'ProcessType'),
    status: attribute(a, 'ProcessStatus'),
    waitingFor: attribute(a, 'WaitingFor'),
    waitingUntil: attribute(a, 'WaitingUntil'),
    caseNumber: attribute(a, 'CaseNumber'),
    organization: attribute(a, 'Organization'),
    stepSince: attribute(a, 'StepSince'),
  };
}

export class WorkspaceService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The visibility query for a role and filter; the filter's values are checked by the route's schema before they get here. */
  query(role: StaffRole, filter: Omit<WorkspaceFilter, 'limit' | 'after'>): string {
    const clauses = [`ExecutionStatus = 'Running'`, 'ProcessType IS NOT NULL'];
    const awaited = AWAITED_ROLES[role];
    if (awaited) clauses.push(`WaitingFor IN (${awaited.map(quoted).join(', ')})`);
    const followed = FOLLOWED_TYPES[role];
    if (followed) clauses.push(`ProcessType = ${quoted(followed)}`);
    if (filter.status) clauses.push(`ProcessStatus = ${quoted(filter.status)}`);
    if (filter.organization) clauses.push(`Organization = ${quoted(filter.organization)}`);
    if (filter.caseNumber) clauses.push(`CaseNumber = ${quoted(filter.caseNumber)}`);
    if (filter.name) {
      const tokenizer = nameTokenizerFor(this.deps.config);
      const words = nameWords(filter.name);
      // Nothing searchable typed (one letter, say): match nothing rather than everything.
      if (words.length === 0) clauses.push(`NameTokens = ''`);
      for (const word of words) clauses.push(`NameTokens = ${quoted(tokenizer.token(word))}`);
    }
    if (filter.dueBefore) clauses.push(`WaitingUntil <= '${filter.dueBefore.toISOString()}'`);
    return clauses.join(' AND ');
  }

  /**
   * One page, in the same order across every page: the soonest WaitingUntil first, then those with no
   * known end, the longest in their step first, then any with neither, in Temporal's own order (its
   * nextPageToken). Each part is read a window at a time (application/visibilityOrder.ts), so a page
   * costs the same with ten thousand processes open as with a hundred.
   */
  async waitingFor(role: StaffRole, filter: WorkspaceFilter): Promise<{ query: string; items: WaitingItem[]; next?: string }> {
    const query = this.query(role, filter);
    const client = this.deps.temporal;
    let cursor = filter.after;
    const rows: WorkflowExecutionInfo[] = [];
    let next: WorkspaceCursor | undefined;
    const first = cursor ? ORDERED_PARTS.findIndex((p) => p.part === cursor!.part) : 0;
    for (const part of ORDERED_PARTS.slice(first)) {
      const needed = filter.limit - rows.length;
      const after = cursor?.part === part.part && cursor.at !== undefined ? { at: cursor.at, id: cursor.id! } : undefined;
      if (part.attribute) {
        const page = await pageInAttributeOrder(client, `${query} AND ${part.condition}`, part.attribute, needed, after);
        rows.push(...page);
        if (page.length === needed) {
          next = { part: part.part, ...cursorOf(page[page.length - 1], part.attribute) };
          break;
        }
      } else {
        const token = cursor?.part === part.part && cursor.token ? Buffer.from(cursor.token, 'base64url') : undefined;
        const page = await listPage(client, `${query} AND ${part.condition}`, needed, token);
        rows.push(...page.rows);
        if (page.nextPageToken) next = { part: part.part, token: Buffer.from(page.nextPageToken).toString('base64url') };
        break;
      }
      cursor = undefined;
    }
    return { query, items: rows.map(itemOf), next: next && encodeCursor(next) };
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
