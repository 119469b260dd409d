import express, { type Request, type RequestHandler, type Response } from 'express';
import { z, ZodError } from 'zod';
import { createContractRequest } from '../../application/contractRequests';
import { SinettiError } from '../../common/errors';
import { PdfError } from '../../signing/errors';
import { activeSigners, shownSigner } from '../../store/employmentContracts';
import { type RouterContext } from '../apiDeps';
import { hasRole, requesterOf, signInUrl, staffActor, staffForToken } from '../auth';
import { multipartForm } from '../multipartForm';
import { formText, idempotencyKeyOf, pageLanguage, recordId } from '../requestFields';
import { type ApiRoutes, type RouteHandler } from '../routeRegistry';
import { staffPageLanguage } from '../staffLanguage';
import { issueText } from '../validationTexts';
import { signOut } from './signIn';
import { contractDetailPage, contractListPage, type FieldError, fieldLabel, newContractPage, signInPage } from '../views/hrPageViews';
import { textsFor } from '../../texts/catalog';
import { sendErrorPage } from '../errorPages';

/**
 * HR's web page over the same operations as the contracts API: signing in
 * with the staff token starts the session cookie the API accepts, so the
 * page can do nothing the API would not. Forms post back here; SameSite=Lax
 * keeps other sites' forms from riding on the session.
 */

const DAY_MS = 24 * 3600 * 1000;
const contractParams = z.object({ contractId: recordId });
const listQuery = pageLanguage.extend({ done: formText.catch(undefined) });

/** Form field names → the API request's paths, so a validation error lands at its field. */
const FIELD_OF_PATH: Record<string, string> = {
  'terms.employer.name': 'employerName',
  'terms.employer.address': 'employerAddress',
  'terms.employer.businessId': 'employerBusinessId',
  'terms.employee.name': 'employeeName',
  'terms.employee.address': 'employeeAddress',
  'signers.0.name': 'employeeSignerName',
  'signers.0.email': 'employeeSignerEmail',
  'signers.0.phone': 'employeeSignerPhone',
  'signers.0.identityCode': 'employeeSignerIdentityCode',
  'signers.1.name': 'employerSignerName',
  'signers.1.email': 'employerSignerEmail',
  'signers.1.phone': 'employerSignerPhone',
  'signers.1.identityCode': 'employerSignerIdentityCode',
  'hr.email': 'hrEmail',
  deadline: 'deadlineDays',
  documentVersionId: 'pdf',
  terms: 'employerName',
};

function fieldFor(path: PropertyKey[]): string {
  const key = path.map(String).join('.');
  if (FIELD_OF_PATH[key]) return FIELD_OF_PATH[key];
  if (key.startsWith('terms.')) return path[path.length - 1] as string;
  return FIELD_OF_PATH[path.slice(0, 2).map(String).join('.')] ?? String(path[path.length - 1] ?? 'title');
}

const optional = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

/** Stands in for the uploaded PDF's version while the rest of the form is checked. */
const PDF_NOT_YET_STORED = 'pdf-not-yet-stored';

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
            startDate: f.startDate ?? '',
            endDate: optional(f.endDate),
            fixedTermReason: optional(f.fixedTermReason),
            trialPeriod: optional(f.trialPeriod),
            placeOfWork: f.placeOfWork ?? '',
            duties: f.duties ?? '',
            payBasis: f.payBasis ?? '',
            payPeriod: f.payPeriod ?? '',
            workingHours: f.workingHours ?? '',
            annualLeave: f.annualLeave ?? '',
            noticePeriod: f.noticePeriod ?? '',
            collectiveAgreement: f.collectiveAgreement ?? '',
          },
        }),
    signers: [
      {
        role: 'employee',
        name: f.employeeSignerName ?? '',
        email: f.employeeSignerEmail ?? '',
        phone: optional(f.employeeSignerPhone),
        identityCode: optional(f.employeeSignerIdentityCode),
        language: f.employeeSignerLanguage || 'fi',
      },
      {
        role: 'employer',
        name: f.employerSignerName ?? '',
        email: f.employerSignerEmail ?? '',
        phone: optional(f.employerSignerPhone),
        identityCode: optional(f.employerSignerIdentityCode),
        language: f.employerSignerLanguage || 'fi',
      },
    ],
    signingOrder: f.signingOrder === 'parallel' ? 'parallel' : 'sequential',
    deadline: Number.isFinite(days) && days >= 1 && days <= 60 ? new Date(Date.now() + days * DAY_MS).toISOString() : 'invalid',
    // Strong identification is the API's `identification: "strong"`; the form offers it beside the one-time codes.
    verification: f.verification === 'strongIdentification' ? 'none' : f.verification || 'none',
    identification: f.verification === 'strongIdentification' ? 'strong' : 'link',
    hr: { email: f.hrEmail ?? '' },
  };
}

export function hrPageRoutes(
  routes: ApiRoutes,
  { services: { contracts, documents, visibility }, config, access: { cookies, signIn } }: RouterContext,
): void {
  const organization = config.organization;
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  const language = (req: Request, res: Response, query?: { lang?: string }) => staffPageLanguage(req, res, query?.lang);
  const isHr = (req: Request) => hasRole(req.staff, 'hr');
  /** Development keeps the token form beside the identity provider's sign-in; production has only the provider. */
  const tokenSignIn = config.staffTokens.length > 0;

  function send(res: Response, status: number, html: string): void {
    res.status(status).type('html').send(html); // security headers and no-store: api/securityHeaders.ts
  }

  /** Pages behind sign-in: anyone else gets the sign-in page. */
  function page<In extends { query: { lang?: string } }>(
    handler: (input: In, req: Request, res: Response) => Promise<void>,
  ): RouteHandler<In> {
    return async (input, req, res) => {
      if (!isHr(req) && !req.staff && !tokenSignIn && req.method === 'GET') return res.redirect(303, signInUrl(req));
      if (req.staff && !isHr(req)) {
        return sendErrorPage(req, res, 403, signInUrl(req), { roles: { needed: 'hr', held: req.staff.roles.join(', ') } });
      }
      if (!isHr(req)) return send(res, req.method === 'GET' ? 200 : 401, signInPage(language(req, res, input.query), organization, false));
      await handler(input, req, res);
    };
  }

  /** Before a large body is read: who is not signed in gets the sign-in page and nothing is buffered. */
  const signedInFirst: RequestHandler = (req, res, next) => {
    if (isHr(req)) return next();
    send(res, 401, signInPage(language(req, res, req.query), organization, false));
  };

  async function renderDetail(
    req: Request,
    res: Response,
    contractId: string,
    lang: string | undefined,
    status = 200,
    message: { done?: string; error?: string } = {},
  ): Promise<void> {
    await visibility.read(requesterOf(req), contractId, 'contract');
    const { record, state } = await contracts.get(contractId);
    const open = !state.endedAt && state.round.status === 'open';
    send(
      res,
      status,
      contractDetailPage(
        language(req, res, { lang }),
        organization,
        {
          contractId,
          title: record.title,
          status: state.status,
          deadlineAt: state.round.deadlineAt,
          open,
          timeLeftSeconds: open ? Math.max(0, Math.round((Date.parse(state.round.deadlineAt) - Date.now()) / 1000)) : null,
          signers: activeSigners(record)
            .sort((a, b) => a.order - b.order)
            .map((s) => ({ ...shownSigner(s), status: state.round.signers.find((p) => p.participantId === s.participantId)?.status })),
          completed: Boolean(state.sealedVersionId),
          history: await contracts.history(contractId),
        },
        message,
      ),
    );
  }

  /** Runs an action on a contract and comes back to its page, with the outcome in words. */
  function action<B>(done: string, perform: (body: B, contractId: string, actor: string) => Promise<unknown>) {
    return page<{ params: { contractId: string }; query: { lang?: string }; body: B }>(
      async ({ params: { contractId }, query, body }, req, res) => {
        await visibility.check(requesterOf(req), contractId);
        try {
          await perform(body, contractId, staffActor(req.staff));
        } catch (error) {
          if (error instanceof SinettiError && error.status < 500)
            return renderDetail(req, res, contractId, query.lang, error.status, { error: error.message });
          if (error instanceof ZodError)
            return renderDetail(req, res, contractId, query.lang, 400, { error: error.issues.map((i) => i.message).join(' ') });
          throw error;
        }
        res.redirect(303, `/hr/contracts/${encodeURIComponent(contractId)}?lang=${language(req, res, query)}&done=${done}`);
      },
    );
  }

  routes.add(
    {
      method: 'get',
      path: '/hr',
      tag: 'hr-page',
      query: listQuery,
      summary: "HR's page: sign in, then every contract with its state, who is awaited and the time left.",
      responses: { 200: 'HTML' },
    },
    page<{ query: z.infer<typeof listQuery> }>(async ({ query }, req, res) => {
      send(res, 200, contractListPage(language(req, res, query), organization, await contracts.list(requesterOf(req)), query.done));
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/hr/session',
      tag: 'hr-page',
      query: pageLanguage,
      body: z.object({ token: formText }),
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Sign in with a staff token (form field token); starts the session cookie.',
      responses: { 303: 'Signed in', 401: 'Unknown token (HTML)' },
    },
    async ({ query, body }, req, res) => {
      const identity = staffForToken(config.staffTokens, body.token?.trim() ?? '');
      if (!identity || !hasRole(identity, 'hr')) return send(res, 401, signInPage(language(req, res, query), organization, true));
      // A session this browser already had ends; the new one gets a fresh id.
      await cookies.end(req, res);
      await cookies.start(res, { name: identity.name, subject: `token:${identity.name}`, roles: identity.roles });
      res.redirect(303, `/hr?lang=${language(req, res, query)}`);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/hr/sign-out',
      tag: 'hr-page',
      query: pageLanguage,
      summary: 'End the session (and at the identity provider).',
      responses: { 303: 'Signed out' },
    },
    async (_input, req, res) => {
      await signOut(req, res, cookies, signIn);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/hr/new',
      tag: 'hr-page',
      query: pageLanguage,
      summary: 'The new-contract form (template terms or an uploaded PDF).',
      responses: { 200: 'HTML' },
    },
    page(async ({ query }, req, res) =>
      send(res, 200, newContractPage(language(req, res, query), organization, { deadlineDays: '7', language: language(req, res, query) })),
    ),
  );

  routes.add(
    {
      method: 'post',
      path: '/hr/contracts',
      tag: 'hr-page',
      query: pageLanguage,
      bodyContentType: 'multipart/form-data',
      before: [signedInFirst, ...multipartForm(config.maxDocumentBytes + 1024 * 1024)],
      summary: 'Send a contract from the form (multipart, with an optional PDF).',
      responses: { 303: 'Sent; to its page', 400: 'The form with its errors (HTML)' },
    },
    page(async ({ query }, req, res) => {
      const lang = language(req, res, query);
      const v = textsFor(lang).validation;
      const fields = { ...(req.form?.fields ?? {}) };
      const errors: FieldError[] = [];
      const pdf = req.form?.files.pdf;
      // A file is stored only with a valid form (a form sent back leaves no version behind), so none is carried over.
      delete fields.pdfVersionId;
      delete fields.pdfFileName;
      if (fields.source === 'pdf' && !pdf) errors.push({ field: 'pdf', message: v.rules.pdfMissing(fieldLabel(lang, 'pdf')) });
      const checked = createContractRequest.safeParse(requestFromForm(fields, fields.source === 'pdf' ? PDF_NOT_YET_STORED : undefined), {
        reportInput: true, // so an empty field reads "fill in", not "wrong format"
      });
      if (!checked.success) {
        for (const issue of checked.error.issues) {
          const field = fieldFor(issue.path);
          if (errors.some((e) => e.field === field)) continue;
          const message =
            field === 'deadlineDays' ? v.rules.deadlineDays(fieldLabel(lang, field)) : issueText(issue, lang, fieldLabel(lang, field));
          errors.push({ field, message });
        }
      }
      let pdfVersionId: string | undefined;
      if (!errors.length && fields.source === 'pdf' && pdf) {
        try {
          pdfVersionId = (await documents.upload(pdf.bytes, pdf.fileName, requesterOf(req))).versionId;
        } catch (error) {
          if (!(error instanceof PdfError) && !(error instanceof SinettiError && error.status < 500)) throw error;
          errors.push({ field: 'pdf', message: `${fieldLabel(lang, 'pdf')}: ${error.message}` });
        }
      }
      const parsed = createContractRequest.safeParse(requestFromForm(fields, pdfVersionId));
      if (errors.length || !parsed.success) return send(res, 400, newContractPage(lang, organization, fields, errors));
      const started = await contracts.start(parsed.data, requesterOf(req), idempotencyKeyOf(req, fields.idempotencyKey));
      res.redirect(303, `/hr/contracts/${encodeURIComponent(started.contractId)}?lang=${lang}&done=created`);
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/hr/contracts/:contractId',
      tag: 'hr-page',
      params: contractParams,
      query: listQuery,
      summary: 'One contract: signers, actions, downloads and history.',
      responses: { 200: 'HTML', 404: 'No such contract' },
    },
    page<{ params: { contractId: string }; query: z.infer<typeof listQuery> }>(async ({ params, query }, req, res) =>
      renderDetail(req, res, params.contractId, query.lang, 200, { done: query.done }),
    ),
  );

  routes.add(
    {
      method: 'post',
      path: '/hr/contracts/:contractId/resend',
      tag: 'hr-page',
      params: contractParams,
      query: pageLanguage,
      body: z.object({ participantId: formText }),
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Resend an invitation (form field participantId).',
      responses: { 303: 'Done' },
    },
    action<{ participantId?: string }>('resent', (body, contractId, actor) =>
      contracts.resend(contractId, body.participantId ?? '', actor),
    ),
  );

  routes.add(
    {
      method: 'post',
      path: '/hr/contracts/:contractId/extend',
      tag: 'hr-page',
      params: contractParams,
      query: pageLanguage,
      body: z.object({ days: formText }),
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Extend the deadline by days (form field days).',
      responses: { 303: 'Done' },
    },
    action<{ days?: string }>('extended', async (body, contractId, actor) => {
      // A mistyped number comes back on the page with the error, not as a bare 400.
      const days = Number(body.days);
      if (!Number.isInteger(days) || days < 1 || days > 60)
        throw new SinettiError('invalid_request', 'Give the number of days, 1 to 60.', 400);
      return contracts.extendByDays(contractId, days, actor);
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/hr/contracts/:contractId/cancel',
      tag: 'hr-page',
      params: contractParams,
      query: pageLanguage,
      body: z.object({ reason: formText }),
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Cancel with a reason (form field reason).',
      responses: { 303: 'Done' },
    },
    action<{ reason?: string }>('cancelled', async (body, contractId, actor) => {
      const reason = body.reason?.trim().slice(0, 500) ?? '';
      if (!reason) throw new SinettiError('invalid_request', 'Give the reason for cancelling; the signers are told.', 400);
      return contracts.cancel(contractId, reason, actor);
    }),
  );
}
