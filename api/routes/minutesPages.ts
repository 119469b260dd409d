import { randomUUID } from 'node:crypto';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { SinettiError } from '../../common/errors';
import { pageDiff, pdfPageTexts } from '../../common/pageTextDiff';
import { LinkRejectedError, ParticipantLinks, ResolvedLink } from '../../links/signerLinks';
import type { Language } from '../../mail/templates';
import { inspectPdf } from '../../signing/errors';
import { MinutesPerson, MinutesReviewRecord, MinutesReviews, SectionComment } from '../../store/minutesReviews';
import { reviewUpdate } from '../../workflows/checkingRound';
import { MinutesReviewState } from '../../workflows/minutesReview';
import { decideUpdate } from '../../workflows/signingRound';
import { ApiDeps } from '../apiDeps';
import {
  MinutesExplanation, minutesExplanationPage, minutesReceiptPage, publicMinutesPage, reviewPage, signMinutesPage, versionHint,
} from '../minutesPageViews';
import { queryProcess, updateProcess } from '../processUpdates';
import { ApiRoutes } from '../routeRegistry';
import { chooseLanguage } from '../signerPageViews';
import { updateMinutes } from './minutes';
import { renderPage } from './signerPages';

/**
 * The pages behind the checkers', the chair's and the secretary's personal
 * links (/m/…), and the public page of published minutes. The token is
 * checked here and only the participant id goes on to the workflow; what a
 * person wrote and did (comments, consent, typed name, IP, browser) is
 * stored first and the workflow is given its id.
 */

interface LinkContext {
  link: ResolvedLink;
  record: MinutesReviewRecord;
  person: MinutesPerson;
  state: MinutesReviewState;
  language: Language;
  base: string;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const REJECTION_PAGES: Record<string, MinutesExplanation> = {
  stale_version: 'stale', already_reviewed: 'used', not_a_checker: 'notChecker', not_in_review: 'closed', review_ended: 'closed',
  already_decided: 'used', round_closed: 'closed', stale_document: 'stale', not_open_yet: 'busy', not_your_turn: 'busy',
};

function normalisedName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fi');
}

const reviewingNow = (state: MinutesReviewState) => state.status === 'in_review' || state.status === 'awaiting_correction';

export function minutesPageRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const reviews = new MinutesReviews();
  const links = new ParticipantLinks();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const organization = deps.config.organization;

  function send(res: Response, status: number, html: string): void {
    res.status(status).set(PAGE_HEADERS).send(html);
  }

  /** People get a page in their language; a client asking for JSON gets the error body with the current version. */
  function explain(req: Request, res: Response, status: number, kind: MinutesExplanation, fallback: Language = 'fi', error?: SinettiError): void {
    if (error && req.get('accept')?.includes('application/json')) {
      res.status(status).json({ error: error.code, message: error.message, details: error.details });
      return;
    }
    const language = chooseLanguage(req.query.lang, req.get('accept-language'), fallback);
    const current = (error?.details as { currentVersion?: { versionNumber?: number } } | undefined)?.currentVersion?.versionNumber;
    send(res, status, minutesExplanationPage(language, organization, kind, current ? versionHint(language, current) : undefined));
  }

  function withLink(handler: (req: Request, res: Response, context: LinkContext) => Promise<void>): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      let fallback: Language = 'fi';
      try {
        let link: ResolvedLink;
        try {
          link = await links.resolve(String(req.params.token));
        } catch (error) {
          if (!(error instanceof LinkRejectedError)) throw error;
          if (error.reason !== 'revoked') return explain(req, res, error.status, error.reason);
          return explain(req, res, 410, ['cancelled', 'expired', 'declined'].includes(error.revokedReason ?? '') ? 'closed' : 'revoked');
        }
        const record = await reviews.find(link.processId);
        const person = record?.people.find((p) => p.participantId === link.participantId);
        if (!record || !person) return explain(req, res, 404, 'unknown');
        fallback = person.language;
        if (person.replacedBy) return explain(req, res, 410, 'revoked', fallback);
        const state = await queryProcess<MinutesReviewState>(deps.temporal, record.reviewId);
        const language = chooseLanguage(req.query.lang, req.get('accept-language'), person.language);
        await handler(req, res, { link, record, person, state, language, base: `/m/${encodeURIComponent(String(req.params.token))}` });
      } catch (error) {
        if (error instanceof SinettiError && error.status < 500) return explain(req, res, error.status, REJECTION_PAGES[error.code] ?? 'unknown', fallback, error);
        next(error);
      }
    };
  }

  const currentRound = (state: MinutesReviewState) => state.rounds[state.rounds.length - 1]!;

  /** The version a link shows now: the checker's current round, or the document being signed. */
  function shownVersion(context: LinkContext): { versionId: string; sha256: string } | undefined {
    if (context.link.purpose === 'sign') {
      const signing = context.state.signing;
      return signing?.documentVersionId && signing.documentSha256 ? { versionId: signing.documentVersionId, sha256: signing.documentSha256 } : undefined;
    }
    const round = context.state.rounds.length ? currentRound(context.state) : undefined;
    return round && { versionId: round.version.versionId, sha256: round.version.sha256 };
  }

  function requireChecker(context: LinkContext): void {
    if (context.person.role !== 'checker' || context.link.purpose !== 'review') {
      throw new SinettiError('not_a_checker', 'Only the minute-checkers review the minutes.', 403);
    }
  }

  async function renderReview(res: Response, context: LinkContext, status = 200, errors?: { consent?: boolean; comment?: boolean }, comments?: Record<string, string>): Promise<void> {
    const { record, state, person, language } = context;
    const round = currentRound(state);
    const own = round.checkers.find((c) => c.participantId === person.participantId);
    if (!reviewingNow(state) || !own) {
      const approvedOwn = state.rounds.find((r) => r.outcome === 'approved')?.checkers.find((c) => c.participantId === person.participantId);
      if (approvedOwn?.decidedAt) {
        return send(res, 200, minutesReceiptPage({ language, organization, title: record.title, kind: 'approved', decidedAt: new Date(approvedOwn.decidedAt), documentSha256: state.sealedSha256, base: context.base }));
      }
      return send(res, 410, minutesExplanationPage(language, organization, 'closed'));
    }
    if (own.status !== 'reviewing' && own.decidedAt && !errors) {
      return send(res, 200, minutesReceiptPage({
        language, organization, title: record.title, kind: own.status === 'approved' ? 'approved' : 'corrections', decidedAt: new Date(own.decidedAt), documentSha256: round.version.sha256, base: context.base,
      }));
    }
    const pdf = await deps.store.readVersion(round.version.versionId);
    const { pageCount } = await inspectPdf(pdf);
    const previous = state.rounds.length > 1 ? state.rounds[state.rounds.length - 2]!.version : undefined;
    const changes = previous ? pageDiff(await pdfPageTexts(await deps.store.readVersion(previous.versionId)), await pdfPageTexts(pdf)) : undefined;
    if (!errors) {
      await deps.audit.append({
        eventId: `${record.reviewId}/viewed/${person.participantId}/${round.number}`, processId: record.reviewId, actor: `participant:${person.participantId}`,
        action: 'minutes.viewed', at: new Date(), ip: res.req.ip, userAgent: res.req.get('user-agent'), documentSha256: round.version.sha256,
      });
    }
    send(res, status, reviewPage({
      language, organization, title: record.title, bodyName: record.body.name, meeting: record.meeting, checkerName: person.name,
      deadline: new Date(state.checkingDeadlineAt), versionNumber: round.version.number, documentSha256: round.version.sha256, pageCount,
      sections: record.sections, changes, base: context.base, errors, comments,
      checkers: round.checkers.map((c) => ({ name: record.people.find((p) => p.participantId === c.participantId)?.name ?? '', status: c.status, isYou: c.participantId === person.participantId })),
    }));
  }

  async function renderSign(res: Response, context: LinkContext, status = 200, errors?: { consent?: boolean; name?: boolean }, typedName?: string): Promise<void> {
    const { record, state, person, language } = context;
    const own = state.signing?.signers.find((s) => s.participantId === person.participantId);
    if (own?.status === 'signed') {
      return send(res, 200, minutesReceiptPage({ language, organization, title: record.title, kind: 'signed', decidedAt: new Date(own.decidedAt ?? Date.now()), documentSha256: state.sealedSha256, base: context.base }));
    }
    const shown = shownVersion(context);
    if (!shown || state.signing?.status !== 'open') {
      return send(res, shown ? 410 : 503, minutesExplanationPage(language, organization, shown ? 'closed' : 'busy'));
    }
    const { pageCount } = await inspectPdf(await deps.store.readVersion(shown.versionId));
    const approved = state.rounds.find((r) => r.outcome === 'approved');
    send(res, status, signMinutesPage({
      language, organization, title: record.title, bodyName: record.body.name, meeting: record.meeting, role: person.role as 'chair' | 'secretary',
      signerName: person.name, deadline: new Date(state.signing.deadlineAt), versionNumber: approved?.version.number ?? 1, documentSha256: shown.sha256,
      pageCount, base: context.base, errors, typedName,
    }));
  }

  routes.add({
    method: 'get', path: '/m/:token', tag: 'minutes-participant',
    summary: "A checker's review page (the minutes, what changed, a comment box per section, approve) or the chair's and secretary's signing page.",
    responses: { 200: 'HTML page', 404: 'Unknown link (HTML)', 410: 'Replaced, expired or ended (HTML)' },
  }, withLink(async (_req, res, context) => {
    if (context.link.purpose === 'sign') return renderSign(res, context);
    requireChecker(context);
    await renderReview(res, context);
  }));

  routes.add({
    method: 'post', path: '/m/:token/review', tag: 'minutes-participant',
    summary: 'Approve (decision=approve, consent=yes) or ask for corrections (decision=corrections, comment-<section>, comment-general, page-general), for the version documentSha256.',
    responses: { 303: 'Recorded; to the receipt', 400: 'Form to fix (HTML)', 403: 'Not a checker', 409: 'Already reviewed, or there is a newer version (with the current version)' },
  }, form, withLink(async (req, res, context) => {
    requireChecker(context);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim().slice(0, 4000) : '');
    const decision = field('decision') === 'approve' ? 'approve' : field('decision') === 'corrections' ? 'corrections' : undefined;
    const documentSha256 = field('documentSha256');
    const comments: SectionComment[] = context.record.sections
      .map((s) => ({ section: s.number, text: field(`comment-${s.number}`) }))
      .filter((c) => c.text);
    const page = Number.parseInt(field('page-general'), 10);
    if (field('comment-general')) comments.push({ text: field('comment-general'), ...(Number.isInteger(page) && page > 0 ? { page } : {}) });
    const echo = Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith('comment-') || k === 'page-general').map(([k, v]) => [k, String(v)]));
    if (!decision || (decision === 'approve' && body.consent !== 'yes')) return renderReview(res, context, 400, { consent: true }, echo);
    if (decision === 'corrections' && comments.length === 0) return renderReview(res, context, 400, { comment: true }, echo);

    // Refused before anything is stored when the state already says no; the workflow checks again under its own lock.
    const round = currentRound(context.state);
    const current = { versionNumber: round.version.number, sha256: round.version.sha256 };
    if (reviewingNow(context.state) && documentSha256 !== round.version.sha256) {
      throw new SinettiError('stale_version', 'There is a newer version of the minutes; review that one.', 409, { currentVersion: current });
    }
    if (round.checkers.find((c) => c.participantId === context.person.participantId)?.status !== 'reviewing' && reviewingNow(context.state)) {
      throw new SinettiError('already_reviewed', 'This checker has already reviewed this version.', 409, { currentVersion: current });
    }
    const feedbackId = randomUUID();
    await reviews.recordFeedback({
      feedbackId, reviewId: context.record.reviewId, participantId: context.person.participantId, action: decision, versionNumber: round.version.number,
      documentSha256, comments, ip: req.ip, userAgent: req.get('user-agent'), at: new Date(),
    });
    await updateMinutes(deps, context.record.reviewId, reviewUpdate, { participantId: context.person.participantId, decision, documentSha256, feedbackId });
    res.redirect(303, `${context.base}?lang=${context.language}`);
  }));

  routes.add({
    method: 'post', path: '/m/:token/sign', tag: 'minutes-participant', summary: 'The chair or the secretary signs: documentSha256, consent=yes and typedName.',
    responses: { 303: 'Signed; to the receipt', 400: 'Form to fix (HTML)', 409: 'Already signed or the document changed' },
  }, form, withLink(async (req, res, context) => {
    if (context.link.purpose !== 'sign') throw new SinettiError('not_a_checker', 'This link is for checking, not signing.', 403);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typedName = typeof body.typedName === 'string' ? body.typedName.slice(0, 200) : '';
    const documentSha256 = typeof body.documentSha256 === 'string' ? body.documentSha256 : '';
    const errors = { consent: body.consent !== 'yes', name: normalisedName(typedName) !== normalisedName(context.person.name) };
    if (errors.consent || errors.name) return renderSign(res, context, 400, errors, typedName);
    const feedbackId = randomUUID();
    await reviews.recordFeedback({
      feedbackId, reviewId: context.record.reviewId, participantId: context.person.participantId, action: 'sign', versionNumber: 0,
      documentSha256, comments: [], typedName: typedName.trim(), ip: req.ip, userAgent: req.get('user-agent'), at: new Date(),
    });
    await updateProcess(deps.temporal, context.record.reviewId, decideUpdate, { participantId: context.person.participantId, decision: 'sign', documentSha256, evidenceId: feedbackId });
    res.redirect(303, `${context.base}?lang=${context.language}`);
  }));

  routes.add({
    method: 'get', path: '/m/:token/document.pdf', tag: 'minutes-participant', summary: 'The version the link shows now, as a PDF.',
    responses: { 200: 'PDF', 404: 'Unknown link (HTML)' },
  }, withLink(async (_req, res, context) => {
    const shown = shownVersion(context);
    if (!shown) throw new SinettiError('not_open_yet', 'The minutes are being prepared.', 409);
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="poytakirja.pdf"', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-SHA256': shown.sha256 });
    res.send(await deps.store.readVersion(shown.versionId));
  }));

  routes.add({
    method: 'get', path: '/m/:token/pages/:page.png', tag: 'minutes-participant', summary: 'One page of the shown version as an image, for reading on a phone.',
    responses: { 200: 'PNG', 404: 'No such page' },
  }, withLink(async (req, res, context) => {
    const shown = shownVersion(context);
    const page = Number(req.params.page);
    if (!shown || !Number.isInteger(page) || page < 1 || page > 500) throw new SinettiError('not_found', 'No such page.', 404);
    const png = await renderPage(await deps.store.readVersion(shown.versionId), page);
    if (!png) throw new SinettiError('not_found', 'No such page.', 404);
    res.set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=300', 'Referrer-Policy': 'no-referrer' }).send(png);
  }));

  routes.add({
    method: 'get', path: '/public/minutes', tag: 'public',
    summary: 'The public page: every body and its published minutes, with the rectification period of each (fi/sv/en by ?lang=).',
    responses: { 200: 'HTML page' },
  }, async (req, res) => {
    send(res, 200, publicMinutesPage(chooseLanguage(req.query.lang, req.get('accept-language'), 'fi'), organization, await reviews.allPublished()));
  });

  routes.add({
    method: 'get', path: '/public/minutes/:reviewId.pdf', tag: 'public', summary: 'The public version of published minutes.',
    responses: { 200: 'PDF', 404: 'Not published, or taken offline' },
  }, async (req, res) => {
    const published = await reviews.published(String(req.params.reviewId));
    if (!published?.versionId) throw new SinettiError('not_found', 'These minutes are not on the public page.', 404);
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="poytakirja.pdf"', 'Cache-Control': 'public, max-age=300' });
    res.send(await deps.store.readVersion(published.versionId));
  });
}
