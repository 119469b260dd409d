import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { SinettiError } from '../../common/errors';
import { ROLE_LABELS } from '../../activities/contractActivities';
import { LinkRejectedError, ParticipantLinks, ResolvedLink } from '../../links/signerLinks';
import { inspectPdf } from '../../signing/errors';
import { renderPageImage } from '../../inspection/pageImages';
import { activeSigners, ContractSigner, EmploymentContractRecord, EmploymentContracts } from '../../store/employmentContracts';
import type { EmploymentContractState } from '../../workflows/employmentContract';
import { decideUpdate, RejectionType } from '../../workflows/signingRound';
import { ApiDeps } from '../apiDeps';
import { checkDecisionBeforeEvidence, queryProcess, updateProcess } from '../processUpdates';
import { ApiRoutes } from '../routeRegistry';
import { chooseLanguage, Explanation, explanationPage, receiptPage, signPage, verifyPage } from '../signerPageViews';
import { SimulatedSmsSender } from '../../integrations/sms/smsSender';
import { VerificationEvidence, VerificationFailure, VerificationSubject, verifierFor } from '../../verification/signerVerification';
import type { Language } from '../../mail/templates';

const run = promisify(execFile);

/**
 * The pages behind a signer's personal link. The token is checked here and
 * only the participant id goes on to the workflow; what the signer did
 * (typed name, consent, IP, browser) is stored as evidence first and the
 * workflow is given its id. Whatever goes wrong, the signer sees a plain
 * page in their language, never a stack trace.
 */

interface SignerContext {
  link: ResolvedLink;
  record: EmploymentContractRecord;
  signer: ContractSigner;
  language: Language;
  base: string;
}

interface LinkContext extends SignerContext {
  state: EmploymentContractState;
}

const REJECTION_PAGES: Partial<Record<RejectionType, Explanation>> = {
  already_decided: 'used', not_your_turn: 'turn', stale_document: 'stale', not_open_yet: 'busy', round_closed: 'revoked',
};

function normalisedName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fi');
}

export function signerPageRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const contracts = new EmploymentContracts();
  const links = new ParticipantLinks();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const organization = deps.config.organization;
  const sms = deps.sms ?? new SimulatedSmsSender();

  /** The contract's chosen verification: the browser that completed it carries the proof in a cookie scoped to this link. */
  const VERIFIED_COOKIE = 'sinetti_verified';
  const verifierOf = (context: SignerContext) => verifierFor(context.record.verification, { mail: deps.mail, sms, organization });
  const subjectOf = ({ record, signer, language }: SignerContext): VerificationSubject => ({
    processId: record.contractId, participantId: signer.participantId, name: signer.name, email: signer.email, phone: signer.phone, language, documentTitle: record.title,
    staffContact: record.hr,
  });
  function verified(req: Request, context: SignerContext): Promise<VerificationEvidence | undefined> {
    return verifierOf(context).check(subjectOf(context), parseCookies(req.headers.cookie ?? '')[VERIFIED_COOKIE]);
  }
  function renderVerifyPage(res: Response, context: SignerContext, status: number, extra: { sentTo?: string; error?: VerificationFailure } = {}): void {
    send(res, status, verifyPage({
      language: context.language, organization, title: context.record.title, base: context.base,
      channel: context.record.verification === 'smsCode' ? 'sms' : 'email', ...extra,
    }));
  }

  function send(res: Response, status: number, html: string): void {
    res.status(status)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      })
      .send(html);
  }

  function explain(req: Request, res: Response, status: number, kind: Explanation, fallback: Language = 'fi'): void {
    send(res, status, explanationPage(chooseLanguage(req.query.lang, req.get('accept-language'), fallback), organization, kind));
  }

  /** Why a link does not open: revoked links tell whether the contract was cancelled or declined. */
  async function explainRejectedLink(req: Request, res: Response, error: LinkRejectedError): Promise<void> {
    if (error.reason !== 'revoked') return explain(req, res, error.status, error.reason);
    const reason = error.revokedReason;
    explain(req, res, 410, reason === 'cancelled' ? 'cancelled' : reason === 'declined' ? 'declined' : reason === 'expired' ? 'expired' : 'revoked');
  }

  /** Resolves the token and loads the contract; answers with an explanation page itself when it cannot. */
  function withSigner(handler: (req: Request, res: Response, context: SignerContext) => Promise<void>): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      try {
        let link: ResolvedLink;
        try {
          link = await links.resolve(String(req.params.token));
        } catch (error) {
          if (error instanceof LinkRejectedError) return await explainRejectedLink(req, res, error);
          throw error;
        }
        const record = await contracts.find(link.processId);
        const signer = record?.signers.find((s) => s.participantId === link.participantId);
        if (!record || !signer) return explain(req, res, 404, 'unknown');
        const language = chooseLanguage(req.query.lang, req.get('accept-language'), signer.language);
        await handler(req, res, { link, record, signer, language, base: `/s/${encodeURIComponent(String(req.params.token))}` });
      } catch (error) {
        if (error instanceof SinettiError && error.status < 500) {
          const kind = REJECTION_PAGES[error.code as RejectionType] ?? 'unknown';
          return explain(req, res, error.status, kind);
        }
        next(error);
      }
    };
  }

  /** As withSigner, with the process's state (who has signed, the current document) asked from the process. */
  function withLink(handler: (req: Request, res: Response, context: LinkContext) => Promise<void>): RequestHandler {
    return withSigner(async (req, res, context) => handler(req, res, await withState(context)));
  }

  async function withState(context: SignerContext): Promise<LinkContext> {
    return { ...context, state: await queryProcess<EmploymentContractState>(deps.temporal, context.record.contractId) };
  }

  function progress(context: LinkContext) {
    return context.state.round.signers.find((s) => s.participantId === context.signer.participantId);
  }

  function showReceiptOrEnd(res: Response, context: LinkContext): boolean {
    const { state, language, record } = context;
    const own = progress(context);
    if (own?.status === 'signed' || own?.status === 'declined') {
      send(res, 200, receiptPage({
        language, organization, title: record.title, base: context.base,
        decision: own.status === 'signed' ? 'sign' : 'decline',
        decidedAt: new Date(own.decidedAt ?? Date.now()),
        documentSha256: state.sealedSha256 ?? state.round.documentSha256,
        downloadHref: state.sealedVersionId ? `${context.base}/document.pdf?lang=${language}` : undefined,
      }));
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

  async function renderSignPage(res: Response, context: LinkContext, status = 200, errors?: { consent?: boolean; name?: boolean; reason?: boolean }, typedName?: string): Promise<void> {
    const { state, record, signer, language } = context;
    if (!state.round.documentVersionId || !state.round.documentSha256) return void send(res, 503, explanationPage(language, organization, 'busy'));
    if (progress(context)?.status === 'waiting') return void send(res, 409, explanationPage(language, organization, 'turn'));
    if (!(await verified(res.req, context))) return renderVerifyPage(res, context, status === 200 ? 200 : 403);
    const { pageCount } = await inspectPdf(await deps.store.readVersion(state.round.documentVersionId));
    if (!errors) {
      await deps.audit.append({
        eventId: `${record.contractId}/viewed/${signer.participantId}`, processId: record.contractId, actor: `participant:${signer.participantId}`,
        action: 'contract.viewed', at: new Date(), ip: res.req.ip, userAgent: res.req.get('user-agent'), documentSha256: state.round.documentSha256,
      });
    }
    send(res, status, signPage({
      language, organization, title: record.title, roleLabel: ROLE_LABELS[signer.role][language], signerName: signer.name,
      deadline: new Date(state.round.deadlineAt), pageCount, documentSha256: state.round.documentSha256, base: context.base,
      signers: [...activeSigners(record)].sort((a, b) => a.order - b.order).map((s) => ({
        roleLabel: ROLE_LABELS[s.role][language], name: s.name, order: s.order, isYou: s.participantId === signer.participantId,
        status: state.round.signers.find((p) => p.participantId === s.participantId)?.status ?? 'waiting',
      })),
      errors, typedName,
    }));
  }

  /**
   * A decision goes to the process without asking its state first: the
   * Update's validator refuses whatever is out of place, and only then (or
   * for a form to fix) is the state needed to show the right page.
   */
  async function decide(req: Request, res: Response, context: SignerContext, decision: 'sign' | 'decline'): Promise<void> {
    // A download link never decides.
    if (context.link.purpose === 'download') return void showReceiptOrEnd(res, await withState(context));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const documentSha256 = typeof body.documentSha256 === 'string' ? body.documentSha256 : '';
    const typedName = typeof body.typedName === 'string' ? body.typedName.slice(0, 200) : '';
    const reason = typeof body.reason === 'string' ? body.reason.trim().slice(0, 1000) : '';
    const formErrors = decision === 'sign'
      ? { consent: body.consent !== 'yes', name: normalisedName(typedName) !== normalisedName(context.signer.name) }
      : { reason: !reason };
    if (Object.values(formErrors).some(Boolean)) {
      const withProcess = await withState(context);
      if (showReceiptOrEnd(res, withProcess)) return;
      return renderSignPage(res, withProcess, 400, formErrors, typedName);
    }
    const verification = await verified(req, context);
    if (!verification) return renderVerifyPage(res, context, 403);
    const evidenceId = randomUUID();
    try {
      await checkDecisionBeforeEvidence(deps.store, (await withState(context)).state.round, context.signer.participantId, documentSha256);
      await contracts.recordEvidence({
        evidenceId, contractId: context.record.contractId, participantId: context.signer.participantId, decision,
        typedName: decision === 'sign' ? typedName.trim() : undefined, reason: decision === 'decline' ? reason : undefined,
        documentSha256, ip: req.ip, userAgent: req.get('user-agent'), verification, at: new Date(),
      });
      await updateProcess(deps.temporal, context.record.contractId, decideUpdate, { participantId: context.signer.participantId, decision, documentSha256, evidenceId });
    } catch (error) {
      // Decided already, or the round has ended: the receipt or the ending explains it better than an error.
      if (error instanceof SinettiError && (error.code === 'already_decided' || error.code === 'round_closed') && showReceiptOrEnd(res, await withState(context))) return;
      throw error;
    }
    res.redirect(303, `${context.base}?lang=${context.language}`);
  }

  routes.add({
    method: 'get', path: '/s/:token', tag: 'signer', summary: "The signer's page: the document, who signs in which order, the deadline, sign or decline.",
    responses: { 200: 'HTML page', 404: 'Unknown link (HTML)', 410: 'Expired, cancelled or ended (HTML)' },
  }, withLink(async (_req, res, context) => {
    if (showReceiptOrEnd(res, context)) return;
    await renderSignPage(res, context);
  }));

  routes.add({
    method: 'post', path: '/s/:token/sign', tag: 'signer', summary: 'Sign: form fields documentSha256, consent=yes and typedName.',
    responses: { 303: 'Signed; to the receipt', 400: 'Form to fix (HTML)', 409: 'Not your turn, already decided or the document changed (HTML)' },
  }, form, withSigner((req, res, context) => decide(req, res, context, 'sign')));

  routes.add({
    method: 'post', path: '/s/:token/decline', tag: 'signer', summary: 'Decline: form fields documentSha256 and reason.',
    responses: { 303: 'Declined; to the receipt', 400: 'Form to fix (HTML)', 409: 'Already decided (HTML)' },
  }, form, withSigner((req, res, context) => decide(req, res, context, 'decline')));

  routes.add({
    method: 'post', path: '/s/:token/code', tag: 'signer', summary: 'Send the signer a one-time code (when the contract asks for one).',
    responses: { 200: 'Code sent; the form to enter it (HTML)', 303: 'No code needed; back to the page' },
  }, withLink(async (req, res, context) => {
    if (showReceiptOrEnd(res, context)) return;
    const verifier = verifierOf(context);
    if (verifier.method === 'none' || progress(context)?.status !== 'invited') return void res.redirect(303, `${context.base}?lang=${context.language}`);
    const challenge = await verifier.begin(subjectOf(context));
    await deps.audit.append({
      eventId: `${context.record.contractId}/code/${randomUUID()}`, processId: context.record.contractId, actor: `participant:${context.signer.participantId}`,
      action: challenge.kind === 'refused' ? 'contract.code_refused' : 'contract.code_sent', at: new Date(), ip: req.ip, userAgent: req.get('user-agent'),
      details: challenge.kind === 'refused' ? { method: verifier.method, reason: challenge.reason } : { method: verifier.method },
    });
    if (challenge.kind === 'refused') return renderVerifyPage(res, context, 429, { error: challenge.reason });
    renderVerifyPage(res, context, 200, { sentTo: challenge.kind === 'code' ? challenge.sentTo : undefined });
  }));

  routes.add({
    method: 'post', path: '/s/:token/verify', tag: 'signer', summary: 'Check the one-time code: form field code.',
    responses: { 303: 'Verified; to the signing form', 400: 'Wrong or expired code (HTML)' },
  }, form, withLink(async (req, res, context) => {
    if (showReceiptOrEnd(res, context)) return;
    const code = typeof req.body?.code === 'string' ? req.body.code : '';
    const result = await verifierOf(context).complete(subjectOf(context), { code });
    await deps.audit.append({
      eventId: `${context.record.contractId}/verify/${randomUUID()}`, processId: context.record.contractId, actor: `participant:${context.signer.participantId}`,
      action: result.ok ? 'contract.verified' : 'contract.verification_failed', at: new Date(), ip: req.ip, userAgent: req.get('user-agent'),
      details: result.ok ? { method: context.record.verification } : { method: context.record.verification, reason: result.reason },
    });
    if (!result.ok) return renderVerifyPage(res, context, 400, { error: result.reason });
    if (result.proof) {
      res.setHeader('Set-Cookie', serializeCookie(VERIFIED_COOKIE, result.proof, {
        httpOnly: true, sameSite: 'lax', secure: deps.config.publicUrl.startsWith('https:'), path: context.base, expires: result.proofExpiresAt,
      }));
    }
    res.redirect(303, `${context.base}?lang=${context.language}`);
  }));

  routes.add({
    method: 'get', path: '/s/:token/document.pdf', tag: 'signer', summary: 'The document as the signer sees it now; the sealed one once complete.',
    responses: { 200: 'PDF', 404: 'Unknown link (HTML)' },
  }, withLink(async (_req, res, { state }) => {
    const versionId = state.sealedVersionId ?? state.round.documentVersionId;
    if (!versionId) throw new SinettiError('not_open_yet', 'The document is being prepared.', 409);
    const version = await deps.store.getVersion(versionId);
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="document.pdf"', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-SHA256': version.sha256 });
    res.send(await deps.store.readVersion(versionId));
  }));

  routes.add({
    method: 'get', path: '/s/:token/pages/:page.png', tag: 'signer', summary: 'One page of the document as an image, for reading on a phone.',
    responses: { 200: 'PNG', 404: 'No such page' },
  }, withLink(async (req, res, { state }) => {
    const versionId = state.round.documentVersionId;
    const page = Number(req.params.page);
    if (!versionId || !Number.isInteger(page) || page < 1 || page > 500) throw new SinettiError('not_found', 'No such page.', 404);
    const png = await renderPage(await deps.store.readVersion(versionId), page);
    if (!png) throw new SinettiError('not_found', 'No such page.', 404);
    res.set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=300', 'Referrer-Policy': 'no-referrer' }).send(png);
  }));
}

/** Poppler's pdftoppm draws the page, within time, concurrency and cache bounds (inspection/pageImages.ts); undefined when the page does not exist. */
export async function renderPage(pdf: Buffer, page: number): Promise<Buffer | undefined> {
  return renderPageImage(pdf, page);
}
