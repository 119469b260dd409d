import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, SinettiError } from '../../common/errors';
import { EMPLOYMENT_CONTRACT_TASK_CLASS, RECORDS_PLAN } from '../../config/recordsPlan';
import { LANGUAGES } from '../../mail/templates';
import { contractTitle } from '../../activities/contractTemplate';
import { inspectPdf } from '../../signing/errors';
import { activeSigners, ContractSigner, EmploymentContractRecord, EmploymentContracts, SIGNER_ROLES } from '../../store/employmentContracts';
import { EMPLOYMENT_CONTRACT, EmploymentContractInput, EmploymentContractState } from '../../workflows/employmentContract';
import { cancelUpdate, extendDeadlineUpdate } from '../../workflows/adminUpdates';
import { resendInvitationUpdate } from '../../workflows/signingRound';
import { VERIFICATION_METHODS } from '../../verification/signerVerification';
import { ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { queryProcess, updateProcess } from '../processUpdates';
import { ApiRoutes } from '../routeRegistry';

/** HR's side of employment contracts: send, follow, resend, extend, cancel, download. */

const HOUR_MS = 3600 * 1000;
const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.date({ message: 'Use a date like 2026-08-01.' });
const party = z.object({ name: text(200), address: text(500), businessId: z.string().trim().max(20).optional() });

const terms = z.object({
  employer: party,
  employee: party,
  startDate: isoDate,
  endDate: isoDate.optional(),
  fixedTermReason: z.string().trim().max(500).optional(),
  trialPeriod: z.string().trim().max(200).optional(),
  placeOfWork: text(300),
  duties: text(2000),
  payBasis: text(500),
  payPeriod: text(200),
  workingHours: text(500),
  annualLeave: text(500),
  noticePeriod: text(500),
  collectiveAgreement: text(300),
}).superRefine((t, ctx) => {
  if (t.endDate && t.endDate < t.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date.' });
  if (t.endDate && !t.fixedTermReason) ctx.addIssue({ code: 'custom', path: ['fixedTermReason'], message: 'A fixed-term contract needs the reason for the fixed term (Employment Contracts Act 1:3).' });
});

const signer = z.object({
  role: z.enum(SIGNER_ROLES),
  name: text(200),
  email: z.email({ message: 'Not a valid e-mail address.' }),
  phone: z.string().regex(/^\+?[0-9][0-9 ]{5,19}$/, 'Use a phone number like +358 40 123 4567.').optional(),
  language: z.enum(LANGUAGES).default('fi'),
  /** Equal orders sign in parallel; without orders, signingOrder decides. */
  order: z.number().int().min(1).max(20).optional(),
});

export const createContractRequest = z.object({
  title: text(200).optional(),
  language: z.enum(LANGUAGES).default('fi'),
  terms: terms.optional(),
  /** A PDF uploaded with POST /api/documents, used instead of the template. */
  documentVersionId: z.string().trim().min(1).max(100).optional(),
  signers: z.array(signer).min(1, 'Name at least one signer.').max(10),
  signingOrder: z.enum(['sequential', 'parallel']).default('sequential'),
  deadline: z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-08-01T16:00:00+03:00.' }).optional(),
  reminderIntervalHours: z.number().positive().max(24 * 30).default(48),
  maxReminders: z.number().int().min(0).max(10).default(3),
  hr: z.object({ name: text(200).optional(), email: z.email({ message: 'Not a valid e-mail address.' }), language: z.enum(LANGUAGES).default('fi') }),
  /** A one-time code by e-mail or SMS before signing; SMS needs every signer's phone. */
  verification: z.enum(VERIFICATION_METHODS).default('none'),
  taskClass: z.string().refine((c) => c in RECORDS_PLAN, 'Not a task class of the records management plan.').default(EMPLOYMENT_CONTRACT_TASK_CLASS),
}).superRefine((r, ctx) => {
  if (!r.terms === !r.documentVersionId) {
    ctx.addIssue({ code: 'custom', path: ['terms'], message: 'Give either the contract terms (for the template) or documentVersionId (an uploaded PDF), not both.' });
  }
  const seen = new Set<string>();
  r.signers.forEach((s, index) => {
    const key = s.email.toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['signers', index, 'email'], message: 'The same signer is named twice.' });
    seen.add(key);
  });
  if (r.verification === 'smsCode') {
    r.signers.forEach((s, index) => {
      if (!s.phone) ctx.addIssue({ code: 'custom', path: ['signers', index, 'phone'], message: 'An SMS code needs the signer\'s phone number.' });
    });
  }
  if (r.deadline && Date.parse(r.deadline) <= Date.now()) ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'The deadline is in the past.' });
});
export type CreateContractRequest = z.input<typeof createContractRequest>;

const resendRequest = z.object({ participantId: text(64) });
const extendRequest = z.object({ deadline: z.iso.datetime({ offset: true }) }).refine((r) => Date.parse(r.deadline) > Date.now(), { path: ['deadline'], message: 'The deadline is in the past.' });
const cancelRequest = z.object({ reason: text(500) });

/** The default: the employee first, then the employer's representative; parallel means everyone at once. */
function signingOrder(signers: z.infer<typeof signer>[], mode: 'sequential' | 'parallel'): ContractSigner[] {
  const roleRank = (role: string) => SIGNER_ROLES.indexOf(role as (typeof SIGNER_ROLES)[number]);
  const ranked = signers.map((s, index) => ({ s, index })).sort((a, b) => roleRank(a.s.role) - roleRank(b.s.role) || a.index - b.index);
  return ranked.map(({ s }, position) => ({
    participantId: `signer-${position + 1}`,
    role: s.role, name: s.name, email: s.email, phone: s.phone, language: s.language,
    order: s.order ?? (mode === 'parallel' ? 1 : position + 1),
  }));
}

/** Checks an uploaded PDF, stores the contract record, audits and starts the process: for the API and HR's page alike. */
export async function startContract(
  deps: ApiDeps, request: z.infer<typeof createContractRequest>, actor: string, staffName: string | undefined, meta: { ip?: string; userAgent?: string },
): Promise<{ contractId: string; deadlineAt: Date; signers: EmploymentContractInput['signers'] }> {
  if (request.documentVersionId) {
    const version = await deps.store.getVersion(request.documentVersionId).catch(() => {
      throw new SinettiError('invalid_request', 'documentVersionId: no uploaded document has this id; upload the PDF with POST /api/documents first.', 400, [{ field: 'documentVersionId', message: 'Unknown document version.' }]);
    });
    if (version.kind !== 'upload') throw new SinettiError('invalid_request', 'documentVersionId: use the version returned by the upload, not a prepared or signed one.', 400, [{ field: 'documentVersionId', message: 'Not an uploaded version.' }]);
    await inspectPdf(await deps.store.readVersion(version.versionId));
  }
  const contractId = `contract-${randomUUID()}`;
  const signers = signingOrder(request.signers, request.signingOrder);
  const deadlineAt = new Date(request.deadline ? Date.parse(request.deadline) : Date.now() + 7 * 24 * HOUR_MS);
  const record: EmploymentContractRecord = {
    contractId,
    title: request.title ?? contractTitle(request.language),
    language: request.language,
    createdBy: actor,
    hr: { name: request.hr.name ?? staffName ?? 'HR', email: request.hr.email, language: request.hr.language },
    terms: request.terms,
    uploadedVersionId: request.documentVersionId,
    signers,
    verification: request.verification,
    createdAt: new Date(),
  };
  await new EmploymentContracts().create(record);
  await deps.audit.append({
    eventId: `${contractId}/created`, processId: contractId, actor, action: 'contract.created',
    at: record.createdAt, ip: meta.ip, userAgent: meta.userAgent, details: { signers: signers.length, template: !request.documentVersionId, verification: request.verification },
  });
  const input: EmploymentContractInput = {
    contractId,
    organization: deps.config.organization,
    requestedBy: actor,
    signers: signers.map(({ participantId, role, order }) => ({ participantId, role, order })),
    deadlineAt: deadlineAt.toISOString(),
    reminders: { intervalMs: Math.round(request.reminderIntervalHours * HOUR_MS), max: request.maxReminders },
    taskClass: request.taskClass,
  };
  await deps.temporal.workflow.start('employmentContractWorkflow', { taskQueue: deps.config.temporal.taskQueue, workflowId: contractId, args: [input] });
  return { contractId, deadlineAt, signers: input.signers };
}

/** Every contract, newest first, with its state, who is awaited and the time left (from the search attributes). */
export async function listContracts(deps: ApiDeps) {
  const views = new Map<string, { status?: string; waitingFor?: string; deadlineAt?: Date; runStatus: string }>();
  for await (const execution of deps.temporal.workflow.list({ query: `ProcessType = '${EMPLOYMENT_CONTRACT}'` })) {
    const attributes = execution.searchAttributes as Record<string, unknown[] | undefined>;
    views.set(execution.workflowId, {
      status: attributes.ProcessStatus?.[0] as string | undefined,
      waitingFor: attributes.WaitingFor?.[0] as string | undefined,
      deadlineAt: attributes.DeadlineAt?.[0] as Date | undefined,
      runStatus: execution.status.name,
    });
  }
  const now = Date.now();
  const list = (await new EmploymentContracts().list()).map((record) => {
    const view = views.get(record.contractId);
    const awaitedRoles = view?.waitingFor?.split(',') ?? [];
    const open = view?.runStatus === 'RUNNING';
    return {
      contractId: record.contractId,
      title: record.title,
      createdAt: record.createdAt,
      status: view?.status ?? 'starting',
      awaited: open ? activeSigners(record).filter((s) => awaitedRoles.includes(s.role)).map((s) => ({ participantId: s.participantId, role: s.role, name: s.name })) : [],
      deadlineAt: view?.deadlineAt,
      timeLeftSeconds: open && view?.deadlineAt ? Math.max(0, Math.round((new Date(view.deadlineAt).getTime() - now) / 1000)) : null,
    };
  });
  return list;
}

export function contractRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const contracts = new EmploymentContracts();

  async function contractState(contractId: string): Promise<{ record: EmploymentContractRecord; state: EmploymentContractState }> {
    const record = await contracts.get(contractId);
    return { record, state: await queryProcess<EmploymentContractState>(deps.temporal, contractId) };
  }

  routes.add({
    method: 'post', path: '/api/contracts', tag: 'contracts', roles: ['hr'], body: createContractRequest,
    summary: 'Send an employment contract for signature, from the template (terms) or an uploaded PDF (documentVersionId).',
    responses: { 201: 'Sent: { contractId, signers: [{ participantId, role, order }] }', 400: 'Fields to fix, each named', 422: 'The uploaded document is not a usable PDF' },
  }, async (req, res) => {
    const started = await startContract(deps, createContractRequest.parse(req.body), staffActor(req.staff), req.staff?.name, { ip: req.ip, userAgent: req.get('user-agent') });
    res.status(201).json(started);
  });

  routes.add({
    method: 'get', path: '/api/contracts', tag: 'contracts', roles: ['hr'],
    summary: 'Every employment contract, newest first, with its state, who is awaited and the time left.',
    responses: { 200: '{ contracts: [...] }' },
  }, async (_req, res) => {
    res.json({ contracts: await listContracts(deps) });
  });

  routes.add({
    method: 'get', path: '/api/contracts/:contractId', tag: 'contracts', roles: ['hr'],
    summary: 'One contract: its state, signers and their progress, and its history (audit events).',
    responses: { 200: 'The contract', 404: 'No such contract' },
  }, async (req, res) => {
    const contractId = String(req.params.contractId);
    const { record, state } = await contractState(contractId);
    const signers = activeSigners(record).map((s) => ({ ...s, ...state.round.signers.find((p) => p.participantId === s.participantId) }));
    const deadline = Date.parse(state.round.deadlineAt);
    res.json({
      contractId, title: record.title, createdBy: record.createdBy, createdAt: record.createdAt,
      status: state.status, deadlineAt: state.round.deadlineAt,
      timeLeftSeconds: state.endedAt ? null : Math.max(0, Math.round((deadline - Date.now()) / 1000)),
      awaited: state.round.awaited, signers,
      sealedVersionId: state.sealedVersionId, certificateVersionId: state.certificateVersionId, archiveId: state.archiveId,
      history: await deps.audit.forProcess(contractId),
    });
  });

  routes.add({
    method: 'post', path: '/api/contracts/:contractId/resend', tag: 'contracts', roles: ['hr'], body: resendRequest,
    summary: 'Send an invited signer a new invitation with a new link (the old link stops working).',
    responses: { 200: 'Sent', 404: 'No such contract or signer', 409: 'The signer is not awaited or signing has ended' },
  }, async (req, res) => {
    const { participantId } = resendRequest.parse(req.body);
    const contractId = String(req.params.contractId);
    await contracts.get(contractId);
    res.json(await updateProcess(deps.temporal, contractId, resendInvitationUpdate, { participantId, actor: staffActor(req.staff) }));
  });

  routes.add({
    method: 'post', path: '/api/contracts/:contractId/extend', tag: 'contracts', roles: ['hr'], body: extendRequest,
    summary: 'Move the deadline later; every live link follows.',
    responses: { 200: 'Extended', 400: 'The deadline is not in the future', 409: 'Signing has ended' },
  }, async (req, res) => {
    const { deadline } = extendRequest.parse(req.body);
    const contractId = String(req.params.contractId);
    await contracts.get(contractId);
    res.json(await updateProcess(deps.temporal, contractId, extendDeadlineUpdate, { deadlineAt: new Date(deadline).toISOString(), actor: staffActor(req.staff) }));
  });

  routes.add({
    method: 'post', path: '/api/contracts/:contractId/cancel', tag: 'contracts', roles: ['hr'], body: cancelRequest,
    summary: 'Cancel with a reason: links stop working and every signer and HR are told.',
    responses: { 200: 'Cancelled', 409: 'Signing has already ended' },
  }, async (req, res) => {
    const { reason } = cancelRequest.parse(req.body);
    const contractId = String(req.params.contractId);
    await contracts.get(contractId);
    res.json(await updateProcess(deps.temporal, contractId, cancelUpdate, { reason, actor: staffActor(req.staff) }));
  });

  for (const file of ['sealed', 'certificate'] as const) {
    routes.add({
      method: 'get', path: `/api/contracts/:contractId/${file}.pdf`, tag: 'contracts', roles: ['hr'],
      summary: file === 'sealed' ? 'The signed and sealed contract.' : 'The audit certificate on its own.',
      responses: { 200: 'The PDF', 404: 'No such contract', 409: 'Not signed by everyone yet' },
    }, async (req, res) => {
      const contractId = String(req.params.contractId);
      const { state } = await contractState(contractId);
      const versionId = file === 'sealed' ? state.sealedVersionId : state.certificateVersionId;
      if (!versionId) throw new SinettiError('not_completed', 'The contract is not signed and sealed yet.', 409, { status: state.status });
      const version = await deps.store.getVersion(versionId).catch(() => { throw new NotFoundError(`The ${file} PDF of ${contractId}`); });
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${file === 'sealed' ? 'contract' : 'audit-certificate'}.pdf"`);
      res.setHeader('X-Content-SHA256', version.sha256);
      res.send(await deps.store.readVersion(versionId));
    });
  }
}
