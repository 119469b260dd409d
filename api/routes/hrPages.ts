import { randomUUID } from 'node:crypto';
import express, { Request, Response } from 'express';
import { ZodError } from 'zod';
import { SinettiError } from '../../common/errors';
import { inspectPdf } from '../../signing/errors';
import { activeSigners, EmploymentContracts } from '../../store/employmentContracts';
import type { EmploymentContractState } from '../../workflows/employmentContract';
import { cancelUpdate, extendDeadlineUpdate } from '../../workflows/adminUpdates';
import { resendInvitationUpdate } from '../../workflows/signingRound';
import { ApiDeps } from '../apiDeps';
import { staffActor, staffForToken } from '../auth';
import { multipartForm } from '../multipartForm';
import { queryProcess, updateProcess } from '../processUpdates';
import { ApiRoutes } from '../routeRegistry';
import { chooseLanguage } from '../signerPageViews';
import { endSession, startSession } from '../staffSession';
import { contractDetailPage, contractListPage, FieldError, newContractPage, signInPage } from '../views/hrPageViews';
import { createContractRequest, listContracts, startContract } from './contracts';

/**
 * HR's web page over the same operations as the contracts API: signing in
 * with the staff token starts the session cookie the API accepts, so the
 * page can do nothing the API would not. Forms post back here; SameSite=Lax
 * keeps other sites' forms from riding on the session.
 */

const DAY_MS = 24 * 3600 * 1000;

/** Form field names → the API request's paths, so a validation error lands at its field. */
const FIELD_OF_PATH: Record<string, string> = {
  'terms.employer.name': 'employerName', 'terms.employer.address': 'employerAddress', 'terms.employer.businessId': 'employerBusinessId',
  'terms.employee.name': 'employeeName', 'terms.employee.address': 'employeeAddress',
  'signers.0.name': 'employeeSignerName', 'signers.0.email': 'employeeSignerEmail', 'signers.0.phone': 'employeeSignerPhone',
  'signers.1.name': 'employerSignerName', 'signers.1.email': 'employerSignerEmail', 'signers.1.phone': 'employerSignerPhone',
  'hr.email': 'hrEmail', deadline: 'deadlineDays', documentVersionId: 'pdf', terms: 'employerName',
};

function fieldFor(path: PropertyKey[]): string {
  const key = path.map(String).join('.');
  if (FIELD_OF_PATH[key]) return FIELD_OF_PATH[key];
  if (key.startsWith('terms.')) return path[path.length - 1] as string;
  return FIELD_OF_PATH[path.slice(0, 2).map(String).join('.')] ?? String(path[path.length - 1] ?? 'title');
}

const optional = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

/** The page's fields as the API's request: one employee and one employer's representative. */
function requestFromForm(f: Record<string, string>, pdfVersionId: string | undefined): unknown {
  const days = Number(f.deadlineDays || 7);
  return {
    title: optional(f.title),
    language: f.language || 'fi',
    ...(f.source === 'pdf'
      ? { documentVersionId: pdfVersionId }
      : {
        terms: {
          employer: { name: f.employerName ?? '', address: f.employerAddress ?? '', businessId: optional(f.employerBusinessId) },
          employee: { name: f.employeeName ?? '', address: f.employeeAddress ?? '' },
          startDate: f.startDate ?? '', endDate: optional(f.endDate), fixedTermReason: optional(f.fixedTermReason), trialPeriod: optional(f.trialPeriod),
          placeOfWork: f.placeOfWork ?? '', duties: f.duties ?? '', payBasis: f.payBasis ?? '', payPeriod: f.payPeriod ?? '',
          workingHours: f.workingHours ?? '', annualLeave: f.annualLeave ?? '', noticePeriod: f.noticePeriod ?? '', collectiveAgreement: f.collectiveAgreement ?? '',
        },
      }),
    signers: [
      { role: 'employee', name: f.employeeSignerName ?? '', email: f.employeeSignerEmail ?? '', phone: optional(f.employeeSignerPhone), language: f.employeeSignerLanguage || 'fi' },
      { role: 'employer', name: f.employerSignerName ?? '', email: f.employerSignerEmail ?? '', phone: optional(f.employerSignerPhone), language: f.employerSignerLanguage || 'fi' },
    ],
    signingOrder: f.signingOrder === 'parallel' ? 'parallel' : 'sequential',
    deadline: Number.isFinite(days) && days >= 1 && days <= 60 ? new Date(Date.now() + days * DAY_MS).toISOString() : 'invalid',
    verification: f.verification || 'none',
    hr: { email: f.hrEmail ?? '' },
  };
}

export function hrPageRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const contracts = new EmploymentContracts();
  const organization = deps.config.organization;
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  const language = (req: Request) => chooseLanguage(req.query.lang, req.get('accept-language'), 'fi');
  const isHr = (req: Request) => req.staff?.role === 'hr' || req.staff?.role === 'admin';

  function send(res: Response, status: number, html: string): void {
    res.status(status).set({
      'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin', 'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    }).send(html);
  }

  /** Pages behind sign-in: anyone else gets the sign-in page. */
  function page(handler: (req: Request, res: Response) => Promise<void>) {
    return async (req: Request, res: Response) => {
      if (!isHr(req)) return send(res, req.method === 'GET' ? 200 : 401, signInPage(language(req), organization, false));
      await handler(req, res);
    };
  }

  async function renderDetail(req: Request, res: Response, contractId: string, status = 200, message: { done?: string; error?: string } = {}): Promise<void> {
    const record = await contracts.get(contractId);
    const state = await queryProcess<EmploymentContractState>(deps.temporal, contractId);
    const open = !state.endedAt && state.round.status === 'open';
    send(res, status, contractDetailPage(language(req), organization, {
      contractId, title: record.title, status: state.status, deadlineAt: state.round.deadlineAt, open,
      timeLeftSeconds: open ? Math.max(0, Math.round((Date.parse(state.round.deadlineAt) - Date.now()) / 1000)) : null,
      signers: activeSigners(record).sort((a, b) => a.order - b.order)
        .map((s) => ({ ...s, status: state.round.signers.find((p) => p.participantId === s.participantId)?.status })),
      completed: Boolean(state.sealedVersionId),
      history: await deps.audit.forProcess(contractId),
    }, message));
  }

  /** Runs an action on a contract and comes back to its page, with the outcome in words. */
  function action(done: string, perform: (req: Request, contractId: string) => Promise<unknown>) {
    return page(async (req, res) => {
      const contractId = String(req.params.contractId);
      try {
        await contracts.get(contractId);
        await perform(req, contractId);
      } catch (error) {
        if (error instanceof SinettiError && error.status < 500) return renderDetail(req, res, contractId, error.status, { error: error.message });
        if (error instanceof ZodError) return renderDetail(req, res, contractId, 400, { error: error.issues.map((i) => i.message).join(' ') });
        throw error;
      }
      res.redirect(303, `/hr/contracts/${encodeURIComponent(contractId)}?lang=${language(req)}&done=${done}`);
    });
  }

  routes.add({ method: 'get', path: '/hr', tag: 'hr-page', summary: "HR's page: sign in, then every contract with its state, who is awaited and the time left.", responses: { 200: 'HTML' } },
    page(async (req, res) => {
      const rows = await listContracts(deps);
      send(res, 200, contractListPage(language(req), organization, rows, typeof req.query.done === 'string' ? req.query.done : undefined));
    }));

  routes.add({ method: 'post', path: '/hr/session', tag: 'hr-page', summary: 'Sign in with a staff token (form field token); starts the session cookie.', responses: { 303: 'Signed in', 401: 'Unknown token (HTML)' } },
    form, (req, res) => {
      const identity = staffForToken(deps.config.staffTokens, typeof req.body?.token === 'string' ? req.body.token.trim() : '');
      if (!identity || (identity.role !== 'hr' && identity.role !== 'admin')) return send(res, 401, signInPage(language(req), organization, true));
      startSession(res, identity, deps.config.staffTokens, deps.config.publicUrl.startsWith('https:'));
      res.redirect(303, `/hr?lang=${language(req)}`);
    });

  routes.add({ method: 'post', path: '/hr/sign-out', tag: 'hr-page', summary: 'End the session.', responses: { 303: 'Signed out' } }, (req, res) => {
    endSession(res);
    res.redirect(303, `/hr?lang=${language(req)}`);
  });

  routes.add({ method: 'get', path: '/hr/new', tag: 'hr-page', summary: 'The new-contract form (template terms or an uploaded PDF).', responses: { 200: 'HTML' } },
    page(async (req, res) => send(res, 200, newContractPage(language(req), organization, { deadlineDays: '7', language: language(req) }))));

  routes.add({ method: 'post', path: '/hr/contracts', tag: 'hr-page', summary: 'Send a contract from the form (multipart, with an optional PDF).', responses: { 303: 'Sent; to its page', 400: 'The form with its errors (HTML)' } },
    ...multipartForm(deps.config.maxDocumentBytes + 1024 * 1024), page(async (req, res) => {
      const fields = req.form?.fields ?? {};
      const errors: FieldError[] = [];
      let pdfVersionId: string | undefined;
      const pdf = req.form?.files.pdf;
      if (fields.source === 'pdf') {
        if (!pdf) {
          errors.push({ field: 'pdf', message: 'Choose the PDF file to upload.' });
        } else {
          try {
            await inspectPdf(pdf.bytes);
            pdfVersionId = (await deps.store.saveVersion({ key: `upload/${randomUUID()}`, bytes: pdf.bytes, fileName: pdf.fileName, kind: 'upload' })).versionId;
          } catch (error) {
            errors.push({ field: 'pdf', message: error instanceof Error ? error.message : 'Not a usable PDF.' });
          }
        }
      }
      const parsed = createContractRequest.safeParse(requestFromForm(fields, pdfVersionId));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          if (fields.source === 'pdf' && issue.path[0] === 'documentVersionId') continue;
          errors.push({ field: fieldFor(issue.path), message: `${issue.message}` });
        }
      }
      if (errors.length || !parsed.success) return send(res, 400, newContractPage(language(req), organization, fields, errors));
      const started = await startContract(deps, parsed.data, staffActor(req.staff), req.staff?.name, { ip: req.ip, userAgent: req.get('user-agent') });
      res.redirect(303, `/hr/contracts/${encodeURIComponent(started.contractId)}?lang=${language(req)}&done=created`);
    }));

  routes.add({ method: 'get', path: '/hr/contracts/:contractId', tag: 'hr-page', summary: 'One contract: signers, actions, downloads and history.', responses: { 200: 'HTML', 404: 'No such contract' } },
    page(async (req, res) => renderDetail(req, res, String(req.params.contractId), 200, { done: typeof req.query.done === 'string' ? req.query.done : undefined })));

  routes.add({ method: 'post', path: '/hr/contracts/:contractId/resend', tag: 'hr-page', summary: 'Resend an invitation (form field participantId).', responses: { 303: 'Done' } },
    form, action('resent', (req, contractId) => updateProcess(deps.temporal, contractId, resendInvitationUpdate, { participantId: String(req.body?.participantId ?? ''), actor: staffActor(req.staff) })));

  routes.add({ method: 'post', path: '/hr/contracts/:contractId/extend', tag: 'hr-page', summary: 'Extend the deadline by days (form field days).', responses: { 303: 'Done' } },
    form, action('extended', async (req, contractId) => {
      const days = Number(req.body?.days);
      if (!Number.isInteger(days) || days < 1 || days > 60) throw new SinettiError('invalid_request', 'Give the number of days, 1 to 60.', 400);
      const state = await queryProcess<EmploymentContractState>(deps.temporal, contractId);
      const deadlineAt = new Date(Math.max(Date.parse(state.round.deadlineAt), Date.now()) + days * DAY_MS).toISOString();
      return updateProcess(deps.temporal, contractId, extendDeadlineUpdate, { deadlineAt, actor: staffActor(req.staff) });
    }));

  routes.add({ method: 'post', path: '/hr/contracts/:contractId/cancel', tag: 'hr-page', summary: 'Cancel with a reason (form field reason).', responses: { 303: 'Done' } },
    form, action('cancelled', async (req, contractId) => {
      const reason = typeof req.body?.reason === 'string' ? req.body.reason.trim().slice(0, 500) : '';
      if (!reason) throw new SinettiError('invalid_request', 'Give the reason for cancelling; the signers are told.', 400);
      return updateProcess(deps.temporal, contractId, cancelUpdate, { reason, actor: staffActor(req.staff) });
    }));
}
