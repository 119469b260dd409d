import { staffPersonName } from '../config/config';
import { type z } from 'zod';
import { NotFoundError, SinettiError } from '../common/errors';
import { contractTitle } from '../rules/contractLabels';
import { mayRead, unitForNewProcess } from '../rules/processVisibility';
import { inspectPdf } from '../signing/errors';
import {
  activeSigners,
  type ContractSigner,
  type EmploymentContractRecord,
  EmploymentContracts,
  shownSigner,
  SIGNER_ROLES,
} from '../store/employmentContracts';
import { loadPayloadCodec } from '../common/payloadKeys';
import { registerIdentity } from '../verification/identityMatch';
import {
  contractStateQuery,
  EMPLOYMENT_CONTRACT,
  type EmploymentContractInput,
  type EmploymentContractState,
} from '../workflows/employmentContract';
import { cancelUpdate, extendDeadlineUpdate, type RoundStanding } from '../workflows/adminUpdates';
import { resendInvitationUpdate, type RoundSnapshot } from '../workflows/signingRound';
import { type contractSigner, type createContractRequest } from './contractRequests';
import { queryProcess, searchAttributesOf, updateProcess } from './processHandles';
import { processIdFor, ProcessStarts } from './processStarts';
import { type Requester, type ServiceDeps } from './serviceDeps';

/**
 * Employment contracts as HR works them: send one (the record, its audit
 * event and its process), follow them, resend an invitation, extend, cancel,
 * and download the sealed result.
 */

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The default: the employee first, then the employer's representative; parallel means everyone at once. */
function signingOrder(signers: z.infer<typeof contractSigner>[], mode: 'sequential' | 'parallel'): ContractSigner[] {
  const roleRank = (role: string) => SIGNER_ROLES.indexOf(role as (typeof SIGNER_ROLES)[number]);
  const ranked = signers.map((s, index) => ({ s, index })).sort((a, b) => roleRank(a.s.role) - roleRank(b.s.role) || a.index - b.index);
  return ranked.map(({ s }, position) => ({
    participantId: `signer-${position + 1}`,
    role: s.role,
    name: s.name,
    email: s.email,
    phone: s.phone,
    language: s.language,
    order: s.order ?? (mode === 'parallel' ? 1 : position + 1),
  }));
}

export interface ContractView {
  record: EmploymentContractRecord;
  state: EmploymentContractState;
}

export class ContractService {
  private readonly contracts = new EmploymentContracts();

  constructor(private readonly deps: ServiceDeps) {}

  /** Checks an uploaded PDF, stores the contract record, audits and starts the process. */
  async start(
    request: z.infer<typeof createContractRequest>,
    by: Requester,
    idempotencyKey?: string,
  ): Promise<{ contractId: string; deadlineAt: Date; signers: EmploymentContractInput['signers'] }> {
    const { deps } = this;
    if (request.documentVersionId) await this.checkUpload(request.documentVersionId);
    const unit = by.scope ? unitForNewProcess(by.scope, 'contract', request.unit) : request.unit;
    if (unit instanceof Error) throw new SinettiError('unit_not_allowed', unit.message, 403);
    // The same key from the same staff member is the same contract: a retry never makes a second one.
    const contractId = processIdFor('contract', idempotencyKey, by.actor);
    const signers = await this.withIdentityCodes(signingOrder(request.signers, request.signingOrder), request.signers);
    const deadlineAt = new Date(request.deadline ? Date.parse(request.deadline) : Date.now() + 7 * DAY_MS);
    const record: EmploymentContractRecord = {
      contractId,
      title: request.title ?? contractTitle(request.language),
      language: request.language,
      createdBy: by.actor,
      // Mail greets HR by the name given or configured for them, else without a name (never "Hei dev-hr").
      hr: {
        name: request.hr.name ?? staffPersonName(deps.config.staffTokens, by.staffName) ?? '',
        email: request.hr.email,
        language: request.hr.language,
      },
      terms: request.terms,
      uploadedVersionId: request.documentVersionId,
      signers,
      verification: request.identification === 'strong' ? 'strongIdentification' : request.verification,
      unit,
      createdAt: new Date(),
    };
    await this.contracts.create(record);
    await deps.audit.append({
      eventId: `${contractId}/created`,
      processId: contractId,
      actor: by.actor,
      action: 'contract.created',
      at: record.createdAt,
      ip: by.ip,
      userAgent: by.userAgent,
      details: { signers: signers.length, template: !request.documentVersionId, verification: record.verification },
    });
    const input: EmploymentContractInput = {
      contractId,
      organization: deps.config.organization,
      requestedBy: by.actor,
      signers: signers.map(({ participantId, role, order }) => ({ participantId, role, order })),
      deadlineAt: deadlineAt.toISOString(),
      reminders: { intervalMs: Math.round(request.reminderIntervalHours * HOUR_MS), max: request.maxReminders },
      taskClass: request.taskClass,
    };
    await new ProcessStarts(deps).start(contractId, 'employmentContractWorkflow', input, [
      request.terms?.employee?.name,
      ...request.signers.map((s) => s.name),
    ]);
    return { contractId, deadlineAt, signers: input.signers };
  }

  /** Each identity code HR entered, encrypted with the payload keys and as a keyed hash; matched by e-mail (unique per contract). */
  private async withIdentityCodes(signers: ContractSigner[], requested: z.infer<typeof contractSigner>[]): Promise<ContractSigner[]> {
    if (!requested.some((s) => s.identityCode)) return signers;
    const codec = loadPayloadCodec(this.deps.config);
    const { hashKey } = this.deps.config.strongIdentification;
    return Promise.all(
      signers.map(async (signer) => {
        const code = requested.find((s) => s.email.toLowerCase() === signer.email.toLowerCase())?.identityCode;
        return code ? { ...signer, identityCode: await registerIdentity(codec, hashKey, code) } : signer;
      }),
    );
  }

  /** The uploaded version a contract is to be signed on: it must exist, be an upload and a usable PDF. */
  private async checkUpload(versionId: string): Promise<void> {
    const refuse = (message: string, detail: string) =>
      new SinettiError('invalid_request', `documentVersionId: ${message}`, 400, [{ field: 'documentVersionId', message: detail }]);
    const version = await this.deps.store.getVersion(versionId).catch((error: unknown) => {
      if (error instanceof NotFoundError)
        throw refuse('no uploaded document has this id; upload the PDF with POST /api/documents first.', 'Unknown document version.');
      throw error;
    });
    if (version.kind !== 'upload')
      throw refuse('use the version returned by the upload, not a prepared or signed one.', 'Not an uploaded version.');
    await inspectPdf(await this.deps.store.readVersion(version.versionId));
  }

  /**
   * Every contract the person may see (their HR units'; all for admins and callers without a scope), newest first, with
   * its state, who is awaited and the time left (from the search attributes).
   */
  async list(by?: Requester) {
    const views = await searchAttributesOf(this.deps.temporal, EMPLOYMENT_CONTRACT);
    const now = Date.now();
    const visible = (await this.contracts.list()).filter(
      (record) => !by?.scope || mayRead(by.scope, { kind: 'contract', unit: record.unit }),
    );
    return visible.map((record) => {
      const view = views.get(record.contractId);
      const status = view?.attributes.ProcessStatus?.[0] as string | undefined;
      const deadlineAt = view?.attributes.DeadlineAt?.[0] as Date | undefined;
      const awaitedRoles = (view?.attributes.WaitingFor?.[0] as string | undefined)?.split(',') ?? [];
      const open = view?.runStatus === 'RUNNING';
      return {
        contractId: record.contractId,
        title: record.title,
        createdAt: record.createdAt,
        status: status ?? 'starting',
        awaited: open
          ? activeSigners(record)
              .filter((s) => awaitedRoles.includes(s.role))
              .map((s) => ({ participantId: s.participantId, role: s.role, name: s.name }))
          : [],
        deadlineAt,
        timeLeftSeconds: open && deadlineAt ? Math.max(0, Math.round((new Date(deadlineAt).getTime() - now) / 1000)) : null,
      };
    });
  }

  /** The record and the process's state; 404 when either is unknown. */
  async get(contractId: string): Promise<ContractView> {
    const record = await this.contracts.get(contractId);
    return { record, state: await queryProcess(this.deps.temporal, contractId, contractStateQuery) };
  }

  history(contractId: string) {
    return this.deps.audit.forProcess(contractId);
  }

  /** One contract as the API shows it: its state, signers with their progress, and history. */
  async describe(contractId: string) {
    const { record, state } = await this.get(contractId);
    const signers = activeSigners(record).map((s) => ({
      ...shownSigner(s),
      ...state.round.signers.find((p) => p.participantId === s.participantId),
    }));
    const deadline = Date.parse(state.round.deadlineAt);
    return {
      contractId,
      title: record.title,
      createdBy: record.createdBy,
      createdAt: record.createdAt,
      status: state.status,
      deadlineAt: state.round.deadlineAt,
      timeLeftSeconds: state.endedAt ? null : Math.max(0, Math.round((deadline - Date.now()) / 1000)),
      awaited: state.round.awaited,
      signers,
      sealedVersionId: state.sealedVersionId,
      certificateVersionId: state.certificateVersionId,
      archiveId: state.archiveId,
      history: await this.history(contractId),
    };
  }

  async resend(contractId: string, participantId: string, actor: string): Promise<RoundSnapshot> {
    await this.contracts.get(contractId);
    return updateProcess(this.deps.temporal, contractId, resendInvitationUpdate, { participantId, actor });
  }

  async extend(contractId: string, deadlineAt: Date, actor: string): Promise<RoundStanding> {
    await this.contracts.get(contractId);
    return updateProcess(this.deps.temporal, contractId, extendDeadlineUpdate, { deadlineAt: deadlineAt.toISOString(), actor });
  }

  /** Moves the deadline `days` later than it is now (or than now, when it has passed). */
  async extendByDays(contractId: string, days: number, actor: string): Promise<RoundStanding> {
    const { state } = await this.get(contractId);
    return this.extend(contractId, new Date(Math.max(Date.parse(state.round.deadlineAt), Date.now()) + days * DAY_MS), actor);
  }

  async cancel(contractId: string, reason: string, actor: string): Promise<RoundStanding> {
    await this.contracts.get(contractId);
    return updateProcess(this.deps.temporal, contractId, cancelUpdate, { reason, actor });
  }

  /** The sealed contract or its audit certificate, once everyone has signed. */
  async completedDocument(contractId: string, file: 'sealed' | 'certificate'): Promise<{ bytes: Buffer; sha256: string }> {
    const { state } = await this.get(contractId);
    const versionId = file === 'sealed' ? state.sealedVersionId : state.certificateVersionId;
    if (!versionId) throw new SinettiError('not_completed', 'The contract is not signed and sealed yet.', 409, { status: state.status });
    const version = await this.deps.store.getVersion(versionId);
    return { bytes: await this.deps.store.readVersion(versionId), sha256: version.sha256 };
  }
}
