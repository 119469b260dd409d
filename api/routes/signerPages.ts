import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SignerLink } from '../../application/contractSigners';
import { SinettiError } from '../../common/errors';
import { LinkRejectedError } from '../../links/signerLinks';
import type { Language } from '../../mail/templates';
import { isLanguage } from '../../texts/language';
import { ROLE_LABELS } from '../../rules/contractLabels';
import { activeSigners } from '../../store/employmentContracts';
import type { EmploymentContractState } from '../../workflows/employmentContract';
import type { RejectionType } from '../../workflows/signingRound';
import type { VerificationEvidence, VerificationFailure } from '../../verification/signerVerification';
import { type RouterContext } from '../apiDeps';
import { requesterOf } from '../auth';
import { renderPageImage } from '../../inspection/pageImages';
import { formText, linkToken, pageLanguage, pageNumber } from '../requestFields';
import { type ApiRoutes, type RouteHandler } from '../routeRegistry';
import { SIGNER_CALLBACK_PATH } from '../../integrations/identityProvider/testPersons';
import { chooseLanguage, type Explanation, explanationPage, identifyPage, receiptPage, signPage, verifyPage } from '../signerPageViews';

/**
 * The pages behind a signer's personal link. The token is checked here and
 * only the participant id goes on to the workflow; what the signer did
 * (typed name, consent, IP, browser) is stored as evidence first and the
 * workflow is given its id. Whatever goes wrong, the signer sees a plain
 * page in their language, never a stack trace.
 */

interface SignerContext extends SignerLink {
  language: Language;
  base: string;
}

interface LinkContext extends SignerContext {
  state: EmploymentContractState;
}

const REJECTION_PAGES: Partial<Record<RejectionType, Explanation>> = {
  already_decided: 'used',
  not_your_turn: 'turn',
  stale_document: 'stale',
  not_open_yet: 'busy',
  round_closed: 'revoked',
};

const linkParams = z.object({ token: linkToken });
interface LinkInput {
  params: { token: string };
  query: { lang?: Language };
}
const decisionForm = z.object({ documentSha256: formText, consent: formText, typedName: formText, reason: formText });
type DecisionForm = z.infer<typeof decisionForm>;

function normalisedName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fi');
}

export function signerPageRoutes(routes: ApiRoutes, { services: { contractSigners: signers }, config }: RouterContext): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const organization = config.organization;

  /** The contract's chosen verification: the browser that completed it carries the proof in a cookie scoped to this link. */
  const VERIFIED_COOKIE = 'sinetti_verified';
  function verified(req: Request, context: SignerContext): Promise<VerificationEvidence | undefined> {
    return signers.verified(context, context.language, parseCookies(req.headers.cookie ?? '')[VERIFIED_COOKIE]);
  }
  function renderVerifyPage(
    res: Response,
    context: SignerContext,
    status: number,
    extra: { sentTo?: string; error?: VerificationFailure } = {},
  ): void {
    if (context.record.verification === 'strongIdentification') {
      const page = { language: context.language, organization, title: context.record.title, base: context.base };
      return send(res, status, identifyPage(page));
    }
    send(
      res,
      status,
      verifyPage({
        language: context.language,
        organization,
        title: context.record.title,
        base: context.base,
        channel: context.record.verification === 'smsCode' ? 'sms' : 'email',
        ...extra,
      }),
    );
  }

  function send(res: Response, status: number, html: string): void {
    res.status(status).type('html').send(html); // security headers and no-store: api/securityHeaders.ts
  }

  function explain(
    req: Request,
    res: Response,
    lang: Language | undefined,
    status: number,
    kind: Explanation,
    fallback: Language = 'fi',
  ): void {
    send(res, status, explanationPage(chooseLanguage(lang, req.get('accept-language'), fallback), organization, kind));
  }

  /** Why a link does not open: revoked links tell whether the contract was cancelled or declined. */
  function explainRejectedLink(req: Request, res: Response, lang: Language | undefined, error: LinkRejectedError): void {
    if (error.reason !== 'revoked') return explain(req, res, lang, error.status, error.reason);
    const reason = error.revokedReason;
    explain(
      req,
      res,
      lang,
      410,
      reason === 'cancelled' ? 'cancelled' : reason === 'declined' ? 'declined' : reason === 'expired' ? 'expired' : 'revoked',
    );
  }

  /** Resolves the token and loads the contract; answers with an explanation page itself when it cannot. */
  function withSigner<In extends LinkInput>(
    handler: (input: In, req: Request, res: Response, context: SignerContext) => Promise<void>,
  ): RouteHandler<In> {
    return async (input, req: Request, res: Response, next: NextFunction) => {
      const {
        params: { token },
        query: { lang },
      } = input;
      try {
        let opened: SignerLink | undefined;
        try {
          opened = await signers.open(token);
        } catch (error) {
          if (error instanceof LinkRejectedError) return explainRejectedLink(req, res, lang, error);
          throw error;
        }
        if (!opened) return explain(req, res, lang, 404, 'unknown');
        const language = chooseLanguage(lang, req.get('accept-language'), opened.signer.language);
        await handler(input, req, res, { ...opened, language, base: `/s/${encodeURIComponent(token)}` });
      } catch (error) {
        if (error instanceof SinettiError && error.status < 500) {
          const kind = REJECTION_PAGES[error.code as RejectionType] ?? 'unknown';
          return explain(req, res, lang, error.status, kind);
        }
        next(error);
      }
    };
  }

  /** As withSigner, with the process's state (who has signed, the current document) asked from the process. */
  function withLink<In extends LinkInput>(
    handler: (input: In, req: Request, res: Response, context: LinkContext) => Promise<void>,
  ): RouteHandler<In> {
    return withSigner<In>(async (input, req, res, context) => handler(input, req, res, await withState(context)));
  }

  async function withState(context: SignerContext): Promise<LinkContext> {
    return { ...context, state: await signers.state(context.record.contractId) };
  }

  function progress(context: LinkContext) {
    return context.state.round.signers.find((s) => s.participantId === context.signer.participantId);
  }

  function showReceiptOrEnd(res: Response, context: LinkContext): boolean {
    const { state, language, record } = context;
    const own = progress(context);
    if (own?.status === 'signed' || own?.status === 'declined') {
      send(
        res,
        200,
        receiptPage({
          language,
          organization,
          title: record.title,
          base: context.base,
          decision: own.status === 'signed' ? 'sign' : 'decline',
          decidedAt: new Date(own.decidedAt ?? Date.now()),
          documentSha256: state.sealedSha256 ?? state.round.documentSha256,
          downloadHref: state.sealedVersionId ? `${context.base}/document.pdf?lang=${language}` : undefined,
        }),
      );
      return true;
    }
    if (state.status === 'cancelled' || state.status === 'declined' || state.status === 'expired') {
      send(res, 410, explanationPage(language, organization, state.status));
      return true;
    }
    if (context.link.purpose === 'download') {
      send(res, 200, explanationPage(language, organization, 'busy'));
      return true;
    }
    return false;
  }

  async function renderSignPage(
    req: Request,
    res: Response,
    context: LinkContext,
    status = 200,
    errors?: { consent?: boolean; name?: boolean; reason?: boolean },
    typedName?: string,
  ): Promise<void> {
    const { state, record, signer, language } = context;
    if (!state.round.documentVersionId || !state.round.documentSha256)
      return void send(res, 503, explanationPage(language, organization, 'busy'));
    if (progress(context)?.status === 'waiting') return void send(res, 409, explanationPage(language, organization, 'turn'));
    if (!(await verified(req, context))) return renderVerifyPage(res, context, status === 200 ? 200 : 403);
    const { pageCount } = await signers.viewDocument(context, state, requesterOf(req, participant(context)), !errors);
    send(
      res,
      status,
      signPage({
        language,
        organization,
        title: record.title,
        roleLabel: ROLE_LABELS[signer.role][language],
        signerName: signer.name,
        deadline: new Date(state.round.deadlineAt),
        pageCount,
        documentSha256: state.round.documentSha256,
        base: context.base,
        signers: [...activeSigners(record)]
          .sort((a, b) => a.order - b.order)
          .map((s) => ({
            roleLabel: ROLE_LABELS[s.role][language],
            name: s.name,
            order: s.order,
            isYou: s.participantId === signer.participantId,
            status: state.round.signers.find((p) => p.participantId === s.participantId)?.status ?? 'waiting',
          })),
        errors,
        typedName,
      }),
    );
  }

  /**
   * A decision goes to the process without asking its state first: the
   * Update's validator refuses whatever is out of place, and only then (or
   * for a form to fix) is the state needed to show the right page.
   */
  async function decide(
    body: DecisionForm,
    req: Request,
    res: Response,
    context: SignerContext,
    decision: 'sign' | 'decline',
  ): Promise<void> {
    // A download link never decides.
    if (context.link.purpose === 'download') return void showReceiptOrEnd(res, await withState(context));
    const documentSha256 = body.documentSha256 ?? '';
    const typedName = (body.typedName ?? '').slice(0, 200);
    const reason = (body.reason ?? '').trim().slice(0, 1000);
    const formErrors =
      decision === 'sign'
        ? { consent: body.consent !== 'yes', name: normalisedName(typedName) !== normalisedName(context.signer.name) }
        : { reason: !reason };
    if (Object.values(formErrors).some(Boolean)) {
      const withProcess = await withState(context);
      if (showReceiptOrEnd(res, withProcess)) return;
      return renderSignPage(req, res, withProcess, 400, formErrors, typedName);
    }
    const verification = await verified(req, context);
    if (!verification) return renderVerifyPage(res, context, 403);
    try {
      await signers.decide(context, { decision, documentSha256, typedName, reason, verification }, requesterOf(req, participant(context)));
    } catch (error) {
      // Decided already, or the round has ended: the receipt or the ending explains it better than an error.
      if (
        error instanceof SinettiError &&
        (error.code === 'already_decided' || error.code === 'round_closed') &&
        showReceiptOrEnd(res, await withState(context))
      )
        return;
      throw error;
    }
    res.redirect(303, `${context.base}?lang=${context.language}`);
  }

  const participant = (context: SignerContext) => `participant:${context.signer.participantId}`;

  routes.add(
    {
      method: 'get',
      path: '/s/:token',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      summary: "The signer's page: the document, who signs in which order, the deadline, sign or decline.",
      responses: { 200: 'HTML page', 404: 'Unknown link (HTML)', 410: 'Expired, cancelled or ended (HTML)' },
    },
    withLink(async (_input, req, res, context) => {
      if (showReceiptOrEnd(res, context)) return;
      await renderSignPage(req, res, context);
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/s/:token/sign',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      body: decisionForm,
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Sign: form fields documentSha256, consent=yes and typedName.',
      responses: {
        303: 'Signed; to the receipt',
        400: 'Form to fix (HTML)',
        409: 'Not your turn, already decided or the document changed (HTML)',
      },
    },
    withSigner<LinkInput & { body: DecisionForm }>(({ body }, req, res, context) => decide(body, req, res, context, 'sign')),
  );

  routes.add(
    {
      method: 'post',
      path: '/s/:token/decline',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      body: decisionForm,
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Decline: form fields documentSha256 and reason.',
      responses: { 303: 'Declined; to the receipt', 400: 'Form to fix (HTML)', 409: 'Already decided (HTML)' },
    },
    withSigner<LinkInput & { body: DecisionForm }>(({ body }, req, res, context) => decide(body, req, res, context, 'decline')),
  );

  routes.add(
    {
      method: 'post',
      path: '/s/:token/code',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      summary: 'Send the signer a one-time code (when the contract asks for one).',
      responses: { 200: 'Code sent; the form to enter it (HTML)', 303: 'No code needed; back to the page' },
    },
    withLink(async (_input, req, res, context) => {
      if (showReceiptOrEnd(res, context)) return;
      const method = signers.verifier(context.record).method;
      if ((method !== 'emailCode' && method !== 'smsCode') || progress(context)?.status !== 'invited')
        return void res.redirect(303, `${context.base}?lang=${context.language}`);
      const challenge = await signers.sendCode(context, context.language, requesterOf(req, participant(context)));
      if (challenge.kind === 'refused') return renderVerifyPage(res, context, 429, { error: challenge.reason });
      renderVerifyPage(res, context, 200, { sentTo: challenge.kind === 'code' ? challenge.sentTo : undefined });
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/s/:token/verify',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      body: z.object({ code: formText }),
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'Check the one-time code: form field code.',
      responses: { 303: 'Verified; to the signing form', 400: 'Wrong or expired code (HTML)' },
    },
    withLink<LinkInput & { body: { code?: string } }>(async ({ body }, req, res, context) => {
      if (showReceiptOrEnd(res, context)) return;
      const result = await signers.checkCode(context, context.language, body.code ?? '', requesterOf(req, participant(context)));
      if (!result.ok) return renderVerifyPage(res, context, 400, { error: result.reason });
      if (result.proof) {
        res.setHeader(
          'Set-Cookie',
          serializeCookie(VERIFIED_COOKIE, result.proof, {
            httpOnly: true,
            sameSite: 'lax',
            secure: config.publicUrl.startsWith('https:'),
            path: context.base,
            expires: result.proofExpiresAt,
          }),
        );
      }
      res.redirect(303, `${context.base}?lang=${context.language}`);
    }),
  );

  function setVerifiedCookie(res: Response, context: SignerContext, proof: string, expires: Date): void {
    res.append(
      'Set-Cookie',
      serializeCookie(VERIFIED_COOKIE, proof, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.publicUrl.startsWith('https:'),
        path: context.base,
        expires,
      }),
    );
  }

  routes.add(
    {
      method: 'post',
      path: '/s/:token/identify',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      summary: 'Strong identification: to the identity provider (Suomi.fi e-Identification), and back to the callback.',
      responses: { 303: 'To the identity provider; or back to the page when no identification is needed' },
    },
    withLink(async (_input, _req, res, context) => {
      if (showReceiptOrEnd(res, context)) return;
      if (context.record.verification !== 'strongIdentification' || progress(context)?.status !== 'invited')
        return void res.redirect(303, `${context.base}?lang=${context.language}`);
      await signers.strong.begin(res, context.base, context.language);
    }),
  );

  routes.add(
    {
      method: 'get',
      path: SIGNER_CALLBACK_PATH,
      tag: 'signer',
      query: pageLanguage,
      summary: "The identity provider's answer for a signer: matched against the identity code HR entered, or refused.",
      responses: {
        303: 'Identified; to the signing form',
        401: 'Cancelled or failed (HTML)',
        403: 'Another person identified (HTML)',
        502: "The ID token was not encrypted to Sinetti's key (HTML)",
      },
    },
    async ({ query: { lang } }: { query: { lang?: Language } }, req: Request, res: Response, next: NextFunction) => {
      try {
        const result = await signers.strong.complete(req, res);
        if (!result.returnPath) return explain(req, res, lang, 401, 'identification_cancelled');
        const token = decodeURIComponent(result.returnPath.slice('/s/'.length));
        await withSigner<LinkInput>(async (_input, request, response, context) => {
          const outcome = await signers.identified(context, result, requesterOf(request, participant(context)));
          if (!outcome.ok) {
            // An ID token encrypted to another key is the service's fault, told apart from a cancel (verification/strongIdentification.ts).
            if (!result.ok && result.reason === 'undecryptable')
              return send(response, 502, explanationPage(context.language, organization, 'identification_unreadable'));
            const kind = outcome.reason === 'identity_mismatch' ? 'identity_mismatch' : 'identification_cancelled';
            return send(response, kind === 'identity_mismatch' ? 403 : 401, explanationPage(context.language, organization, kind));
          }
          setVerifiedCookie(response, context, outcome.proof, outcome.expiresAt);
          response.redirect(303, `${context.base}?lang=${context.language}`);
        })({ params: { token }, query: { lang: lang ?? (isLanguage(result.language) ? result.language : undefined) } }, req, res, next);
      } catch (error) {
        next(error);
      }
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/s/:token/document.pdf',
      tag: 'signer',
      params: linkParams,
      query: pageLanguage,
      summary: 'The document as the signer sees it now; the sealed one once complete.',
      responses: { 200: 'PDF', 404: 'Unknown link (HTML)' },
    },
    withLink(async (_input, _req, res, { state }) => {
      const document = await signers.document(state);
      if (!document) throw new SinettiError('not_open_yet', 'The document is being prepared.', 409);
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'inline; filename="document.pdf"',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-SHA256': document.sha256,
      });
      res.send(document.bytes);
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/s/:token/pages/:page.png',
      tag: 'signer',
      params: linkParams.extend({ page: pageNumber }),
      query: pageLanguage,
      summary: 'One page of the document as an image, for reading on a phone.',
      responses: { 200: 'PNG', 404: 'No such page' },
    },
    withLink<LinkInput & { params: { page: number } }>(async ({ params: { page } }, _req, res, { state }) => {
      const versionId = state.round.documentVersionId;
      if (!versionId || page < 1 || page > 500) throw new SinettiError('not_found', 'No such page.', 404);
      const png = await renderPageImage(await signers.readVersion(versionId), page);
      if (!png) throw new SinettiError('not_found', 'No such page.', 404);
      res.set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=300' }).send(png);
    }),
  );
}
