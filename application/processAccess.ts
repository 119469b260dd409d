import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../common/errors';
import { applicationOfLetter, kindOfProcess, mayRead, type ProcessOwner } from '../rules/processVisibility';
import { Applications } from '../store/applications';
import { EmploymentContracts } from '../store/employmentContracts';
import { MinutesReviews } from '../store/minutesReviews';
import { type Requester, type ServiceDeps } from './serviceDeps';

/** What a staff read was of, as its audit event names it. */
export type ReadSubject = 'process' | 'contract' | 'audit-trail' | 'document' | 'document-versions';

/**
 * Who may read a process, its audit trail and its documents (rules/processVisibility.ts), and the record that they did:
 * every staff read is written to the process's access trail `access/<processId>` (who, what, when), kept apart from the
 * process's own trail so the audit certificate lists what happened to the document, not who looked at it. A person who
 * may not read a process is told it does not exist (404), as for an unknown id.
 */
export class ProcessAccess {
  private readonly contracts = new EmploymentContracts();
  private readonly minutes = new MinutesReviews();
  private readonly applications = new Applications();

  constructor(private readonly deps: ServiceDeps) {}

  /** Each lookup is by key (the record's _id). */
  async ownerOf(processId: string): Promise<ProcessOwner | undefined> {
    const kind = kindOfProcess(processId);
    switch (kind) {
      case undefined:
        return undefined;
      case 'contract':
        return { kind, unit: (await this.contracts.find(processId))?.unit };
      case 'minutes':
        return { kind, unit: (await this.minutes.find(processId))?.body.id };
      case 'application':
        return { kind, unit: (await this.applications.get(processId).catch(() => undefined))?.roundId };
      default:
        return { kind };
    }
  }

  async mayRead(by: Requester, processId: string): Promise<boolean> {
    if (!by.scope) return false;
    const application = applicationOfLetter(processId);
    if (application && (await this.mayRead(by, application))) return true;
    const owner = await this.ownerOf(processId);
    return !owner || mayRead(by.scope, owner);
  }

  /** Refuses (404) a process the person may not see, before they act on it. */
  async check(by: Requester, processId: string): Promise<void> {
    if (!(await this.mayRead(by, processId))) throw new NotFoundError(`Process ${processId}`);
  }

  /** Refuses (404) a process the person may not read; otherwise records the read. */
  async read(by: Requester, processId: string, subject: ReadSubject): Promise<void> {
    await this.check(by, processId);
    await this.recordRead(by, processId, subject);
  }

  /** A round's applications: the handlers of that round (and admins); the read is recorded in the round's access trail. */
  async readRound(by: Requester, roundId: string): Promise<void> {
    if (!by.scope || !mayRead(by.scope, { kind: 'application', unit: roundId })) throw new NotFoundError(`Round ${roundId}`);
    await this.recordRead(by, `round/${roundId}`, 'process');
  }

  /** A document is readable when every process that wrote it is; an upload no process has used yet, by the staff who may upload. */
  async readDocument(by: Requester, documentId: string, subject: ReadSubject): Promise<void> {
    const writers = (await this.deps.store.writers(documentId)).filter((writer) => kindOfProcess(writer));
    for (const writer of writers) {
      if (!(await this.mayRead(by, writer))) throw new NotFoundError(`Document ${documentId}`);
    }
    await this.recordRead(by, writers[0] ?? `document/${documentId}`, subject, documentId);
  }

  async recordRead(by: Requester, processId: string, subject: ReadSubject, documentId?: string): Promise<void> {
    const trail = `access/${processId}`;
    await this.deps.audit.append({
      eventId: `${trail}/${randomUUID()}`,
      processId: trail,
      actor: by.actor,
      action: `staff.read.${subject}`,
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      details: documentId ? { documentId } : {},
    });
  }

  /** The access trail of one process: who read what of it, when. */
  readsOf(processId: string) {
    return this.deps.audit.forProcess(`access/${processId}`);
  }
}
