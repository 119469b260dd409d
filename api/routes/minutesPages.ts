import { parse as parseCookies } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { MinutesLink } from '../../application/minutesParticipants';
import { SinettiError } from '../../common/errors';
import { LinkRejectedError } from '../../links/signerLinks';
import type { Language } from '../../mail/templates';
import { renderPageImage } from '../../inspection/pageImages';
import { type SectionComment } from '../../store/minutesReviews';
import type { VerificationEvidence } from '../../verification/signerVerification';
import type { MinutesReviewState } from '../../workflows/minutesReview';
import { type RouterContext } from '../apiDeps';
import { requesterOf } from '../auth';
import {
  type MinutesExplanation,
  minutesExplanationPage,
  minutesReceiptPage,
  publicMinutesPage,
  reviewPage,
  signMinutesPage,
  versionHint,
} from '../minutesPageViews';
import { formText, linkToken, pageLanguage, pageNumber, recordId } from '../requestFields';
import { type ApiRoutes, type RouteHandler } from '../routeRegistry';
import { chooseLanguage, explanationPage, identifyPage } from '../signerPageViews';
import { finishIdentification, type IdentificationAnswer, VERIFIED_COOKIE } from './identificationCallback';

/**
 * The pages behind the checkers', the chair's and the secretary's personal
 * links (/m/…), and the public page of published minutes. The token is
 * checked here and only the participant id goes on to the workflow; what a
 * person wrote and did (comments, consent, typed name, IP, browser) is
 * stored first and the workflow is given its id.
 */

interface LinkContext extends MinutesLink {
  state: MinutesReviewState;
  language: Language;
  base: string;
}

const linkParams = z.object({ token: linkToken });
interface LinkInput {
  params: { token: string };
  query: { lang?: Language };
}
/** The review form: decision, consent, documentSha256, page-general and one comment-<section> per section. */
const reviewForm = z.record(z.string(), z.string());
const signForm = z.object({ documentSha256: formText, consent: formText, typedName: formText });
const REJECTION_PAGES: Record<string, MinutesExplanation> = {
  stale_version: 'stale',
  already_reviewed: 'used',
  not_a_checker: 'notChecker',
  not_in_review: 'closed',
  review_ended: 'closed',
  already_decided: 'used',
  round_closed: 'closed',
  stale_document: 'stale',
  not_open_yet: 'busy',
  not_your_turn: 'busy',
};

function normalisedName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fi');
}

const reviewingNow = (state: MinutesReviewState) => state.status === 'in_review' || state.status === 'awaiting_correction';

export function minutesPageRoutes(
  routes: ApiRoutes,
  { services: { minutesParticipants: participants }, config }: RouterContext,
): IdentificationAnswer {
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const organization = config.organization;

  function send(res: Response, status: number, html: string): void {
    res.status(status).type('html').send(html); // security headers and no-store: api/securityHeaders.ts
  }

  /** People get a page in their language; a client asking for JSON gets the error body with the current version. */
  function explain(
    req: Request,
    res: Response,
    lang: Language | undefined,
    status: number,
    kind: MinutesExplanation,
    fallback: Language = 'fi',
    error?: SinettiError,
  ): void {
    if (error && req.get('accept')?.includes('application/json')) {
      res.status(status).json({ error: error.code, message: error.message, details: error.details });
      return;
    }
    const language = chooseLanguage(lang, req.get('accept-language'), fallback);
    const current = (error?.details as { currentVersion?: { versionNumber?: number } } | undefined)?.currentVersion?.versionNumber;
    send(res, status, minutesExplanationPage(language, organization, kind, current ? versionHint(language, current) : undefined));
  }

  function withLink<In extends LinkInput>(
    handler: (input: In, req: Request, res: Response, context: LinkContext) => Promise<void>,
  ): RouteHandler<In> {
    return async (input, req: Request, res: Response, next: NextFunction) => {
      const {
        params: { token },
        query: { lang },
      } = input;
      let fallback: Language = 'fi';
      try {
        let opened: MinutesLink | undefined;
        try {
          opened = await participants.open(token);
        } catch (error) {
          if (!(error instanceof LinkRejectedError)) throw error;
          if (error.reason !== 'revoked') return explain(req, res, lang, error.status, error.reason);
          return explain(
            req,
            res,
            lang,
            410,
            ['cancelled', 'expired', 'declined'].includes(error.revokedReason ?? '') ? 'closed' : 'revoked',
          );
        }
        if (!opened) return explain(req, res, lang, 404, 'unknown');
        fallback = opened.person.language;
        if (opened.person.replacedBy) return explain(req, res, lang, 410, 'revoked', fallback);
        const state = await participants.state(opened.record.reviewId);
        const language = chooseLanguage(lang, req.get('accept-language'), opened.person.language);
        await handler(input, req, res, { ...opened, state, language, base: `/m/${encodeURIComponent(token)}` });
      } catch (error) {
        if (error instanceof SinettiError && error.status < 500)
          return explain(req, res, lang, error.status, REJECTION_PAGES[error.code] ?? 'unknown', fallback, error);
        next(error);
      }
    };
  }

  const currentRound = (state: MinutesReviewState) => state.rounds[state.rounds.length - 1];

  /** The version a link shows now: the checker's current round, or the document being signed. */
  function shownVersion(context: LinkContext): { versionId: string; sha256: string } | undefined {
    if (context.link.purpose === 'sign') {
      const signing = context.state.signing;
      return signing?.documentVersionId && signing.documentSha256
        ? { versionId: signing.documentVersionId, sha256: signing.documentSha256 }
        : undefined;
    }
    const round = context.state.rounds.length ? currentRound(context.state) : undefined;
    return round && { versionId: round.version.versionId, sha256: round.version.sha256 };
  }

  function requireChecker(context: LinkContext): void {
    if (context.person.role !== 'checker' || context.link.purpose !== 'review') {
      throw new SinettiError('not_a_checker', 'Only the minute-checkers review the minutes.', 403);
    }
  }

  async function renderReview(
    req: Request,
    res: Response,
    context: LinkContext,
    status = 200,
    errors?: { consent?: boolean; comment?: boolean },
    comments?: Record<string, string>,
  ): Promise<void> {
    const { record, state, person, language } = context;
    const round = currentRound(state);
    const own = round.checkers.find((c) => c.participantId === person.participantId);
    if (!reviewingNow(state) || !own) {
      const approvedOwn = state.rounds
        .find((r) => r.outcome === 'approved')
        ?.checkers.find((c) => c.participantId === person.participantId);
      if (approvedOwn?.decidedAt) {
        return send(
          res,
          200,
          minutesReceiptPage({
            language,
            organization,
            title: record.title,
            kind: 'approved',
            decidedAt: new Date(approvedOwn.decidedAt),
            documentSha256: state.sealedSha256,
            base: context.base,
          }),
        );
      }
      return send(res, 410, minutesExplanationPage(language, organization, 'closed'));
    }
    if (own.status !== 'reviewing' && own.decidedAt && !errors) {
      return send(
        res,
        200,
        minutesReceiptPage({
          language,
          organization,
          title: record.title,
          kind: own.status === 'approved' ? 'approved' : 'corrections',
          decidedAt: new Date(own.decidedAt),
          documentSha256: round.version.sha256,
          base: context.base,
        }),
      );
    }
    const previous = state.rounds.length > 1 ? state.rounds[state.rounds.length - 2].version : undefined;
    const { pageCount, changes } = await participants.reviewDocument(round.version, previous);
    if (!errors) await participants.recordView(context, round, requesterOf(req, `participant:${person.participantId}`));
    send(
      res,
      status,
      reviewPage({
        language,
        organization,
        title: record.title,
        bodyName: record.body.name,
        meeting: record.meeting,
        checkerName: person.name,
        deadline: new Date(state.checkingDeadlineAt),
        versionNumber: round.version.number,
        documentSha256: round.version.sha256,
        pageCount,
        sections: record.sections,
        changes,
        base: context.base,
        errors,
        comments,
        checkers: round.checkers.map((c) => ({
          name: record.people.find((p) => p.participantId === c.participantId)?.name ?? '',
          status: c.status,
          isYou: c.participantId === person.participantId,
        })),
      }),
    );
  }

  async function renderSign(
    req: Request,
    res: Response,
    context: LinkContext,
    status = 200,
    errors?: { consent?: boolean; name?: boolean },
    typedName?: string,
  ): Promise<void> {
    const { record, state, person, language } = context;
    const own = state.signing?.signers.find((s) => s.participantId === person.participantId);
    if (own?.status === 'signed') {
      return send(
        res,
        200,
        minutesReceiptPage({
          language,
          organization,
          title: record.title,
          kind: 'signed',
          decidedAt: new Date(own.decidedAt ?? Date.now()),
          documentSha256: state.sealedSha256,
          base: context.base,
          signing: {
            allSigned: state.signing?.signers.every((s) => s.status === 'signed') ?? false,
            publishedAt: state.publication?.publishedAt,
          },
        }),
      );
    }
    const shown = shownVersion(context);
    if (!shown || state.signing?.status !== 'open') {
      return send(res, shown ? 410 : 503, minutesExplanationPage(language, organization, shown ? 'closed' : 'busy'));
    }
    if (!(await verified(req, context))) return renderIdentify(res, context, status === 200 ? 200 : 403);
    const pageCount = await participants.pageCount(shown.versionId);
    const approved = state.rounds.find((r) => r.outcome === 'approved');
    send(
      res,
      status,
      signMinutesPage({
        language,
        organization,
        title: record.title,
        bodyName: record.body.name,
        meeting: record.meeting,
        role: person.role as 'chair' | 'secretary',
        signerName: person.name,
        deadline: new Date(state.signing.deadlineAt),
        versionNumber: approved?.version.number ?? 1,
        documentSha256: shown.sha256,
        pageCount,
        base: context.base,
        errors,
        typedName,
      }),
    );
  }

  /** The body's required identification: the browser that completed it carries the proof in a cookie scoped to this link. */
  function verified(req: Request, context: LinkContext): Promise<VerificationEvidence | undefined> {
    return participants.verified(context, parseCookies(req.headers.cookie ?? '')[VERIFIED_COOKIE]);
  }

  /** The step before the signing form when the body requires strong identification; a locked link says whom to contact. */
  async function renderIdentify(res: Response, context: MinutesLink & { language: Language; base: string }, status: number): Promise<void> {
    if (await participants.identificationLocked(context))
      return send(res, 423, explanationPage(context.language, organization, 'identification_locked'));
    send(res, status, identifyPage({ language: context.language, organization, title: context.record.title, base: context.base }));
  }

  routes.add(
    {
      method: 'get',
      path: '/m/:token',
      tag: 'minutes-participant',
      params: linkParams,
      query: pageLanguage,
      summary:
        "A checker's review page (the minutes, what changed, a comment box per section, approve) or the chair's and secretary's signing page.",
      responses: { 200: 'HTML page', 404: 'Unknown link (HTML)', 410: 'Replaced, expired or ended (HTML)' },
    },
    withLink(async (_input, req, res, context) => {
      if (context.link.purpose === 'sign') return renderSign(req, res, context);
      requireChecker(context);
      await renderReview(req, res, context);
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/m/:token/review',
      tag: 'minutes-participant',
      params: linkParams,
      query: pageLanguage,
      body: reviewForm,
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary:
        'Approve (decision=approve, consent=yes) or ask for corrections (decision=corrections, comment-<section>, comment-general, page-general), for the version documentSha256.',
      responses: {
        303: 'Recorded; to the receipt',
        400: 'Form to fix (HTML)',
        403: 'Not a checker',
        409: 'Already reviewed, or there is a newer version (with the current version)',
      },
    },
    withLink<LinkInput & { body: Record<string, string> }>(async ({ body }, req, res, context) => {
      requireChecker(context);
      const field = (name: string) => (body[name] ?? '').trim().slice(0, 4000);
      const decision = field('decision') === 'approve' ? 'approve' : field('decision') === 'corrections' ? 'corrections' : undefined;
      const documentSha256 = field('documentSha256');
      const comments: SectionComment[] = context.record.sections
        .map((s) => ({ section: s.number, text: field(`comment-${s.number}`) }))
        .filter((c) => c.text);
      const page = Number.parseInt(field('page-general'), 10);
      if (field('comment-general'))
        comments.push({ text: field('comment-general'), ...(Number.isInteger(page) && page > 0 ? { page } : {}) });
      const echo = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('comment-') || k === 'page-general'));
      if (!decision || (decision === 'approve' && body.consent !== 'yes'))
        return renderReview(req, res, context, 400, { consent: true }, echo);
      if (decision === 'corrections' && comments.length === 0) return renderReview(req, res, context, 400, { comment: true }, echo);

      // Refused before anything is stored when the state already says no; the workflow checks again under its own lock.
      const round = currentRound(context.state);
      const current = { versionNumber: round.version.number, sha256: round.version.sha256 };
      if (reviewingNow(context.state) && documentSha256 !== round.version.sha256) {
        throw new SinettiError('stale_version', 'There is a newer version of the minutes; review that one.', 409, {
          currentVersion: current,
        });
      }
      if (
        round.checkers.find((c) => c.participantId === context.person.participantId)?.status !== 'reviewing' &&
        reviewingNow(context.state)
      ) {
        throw new SinettiError('already_reviewed', 'This checker has already reviewed this version.', 409, { currentVersion: current });
      }
      await participants.review(
        context,
        { decision, versionNumber: round.version.number, documentSha256, comments },
        requesterOf(req, `participant:${context.person.participantId}`),
      );
      res.redirect(303, `${context.base}?lang=${context.language}`);
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/m/:token/sign',
      tag: 'minutes-participant',
      params: linkParams,
      query: pageLanguage,
      body: signForm,
      bodyContentType: 'application/x-www-form-urlencoded',
      before: [form],
      summary: 'The chair or the secretary signs: documentSha256, consent=yes and typedName.',
      responses: { 303: 'Signed; to the receipt', 400: 'Form to fix (HTML)', 409: 'Already signed or the document changed' },
    },
    withLink<LinkInput & { body: z.infer<typeof signForm> }>(async ({ body }, req, res, context) => {
      if (context.link.purpose !== 'sign') throw new SinettiError('not_a_checker', 'This link is for checking, not signing.', 403);
      const typedName = (body.typedName ?? '').slice(0, 200);
      const documentSha256 = body.documentSha256 ?? '';
      const errors = { consent: body.consent !== 'yes', name: normalisedName(typedName) !== normalisedName(context.person.name) };
      if (errors.consent || errors.name) return renderSign(req, res, context, 400, errors, typedName);
      const verification = await verified(req, context);
      if (!verification) return renderIdentify(res, context, 403);
      await participants.sign(
        context,
        documentSha256,
        typedName,
        verification,
        requesterOf(req, `participant:${context.person.participantId}`),
      );
      res.redirect(303, `${context.base}?lang=${context.language}`);
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/m/:token/identify',
      tag: 'minutes-participant',
      params: linkParams,
      query: pageLanguage,
      summary: "The chair's or secretary's strong identification, when the body requires it: to the identity provider and back.",
      responses: { 303: 'To the identity provider; or back to the page when no identification is needed', 423: 'Locked link (HTML)' },
    },
    withLink(async (_input, _req, res, context) => {
      const own = context.state.signing?.signers.find((s) => s.participantId === context.person.participantId);
      if (!participants.needsIdentification(context) || context.state.signing?.status !== 'open' || own?.status === 'signed')
        return void res.redirect(303, `${context.base}?lang=${context.language}`);
      if (await participants.identificationLocked(context)) return renderIdentify(res, context, 423);
      await participants.strong.begin(res, context.base, context.language);
    }),
  );

  /** The provider's answer for the chair or secretary behind this link, handed over by the one callback (identificationCallback.ts). */
  const identificationAnswer: IdentificationAnswer = async (result, token, lang, req, res, next) => {
    await withLink<LinkInput>(async (_input, request, response, context) => {
      const outcome = await participants.identified(context, result, requesterOf(request, `participant:${context.person.participantId}`));
      finishIdentification(response, outcome, context, config);
    })({ params: { token }, query: { lang } }, req, res, next);
  };

  routes.add(
    {
      method: 'get',
      path: '/m/:token/document.pdf',
      tag: 'minutes-participant',
      params: linkParams,
      query: pageLanguage,
      summary: 'The version the link shows now, as a PDF.',
      responses: { 200: 'PDF', 404: 'Unknown link (HTML)' },
    },
    withLink(async (_input, _req, res, context) => {
      const shown = shownVersion(context);
      if (!shown) throw new SinettiError('not_open_yet', 'The minutes are being prepared.', 409);
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'inline; filename="poytakirja.pdf"',
        'Cache-Control': 'no-store',
        'X-Content-SHA256': shown.sha256,
      });
      res.send(await participants.readVersion(shown.versionId));
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/m/:token/pages/:page.png',
      tag: 'minutes-participant',
      params: linkParams.extend({ page: pageNumber }),
      query: pageLanguage,
      summary: 'One page of the shown version as an image, for reading on a phone.',
      responses: { 200: 'PNG', 404: 'No such page' },
    },
    withLink<LinkInput & { params: { page: number } }>(async ({ params: { page } }, _req, res, context) => {
      const shown = shownVersion(context);
      if (!shown || page < 1 || page > 500) throw new SinettiError('not_found', 'No such page.', 404);
      const png = await renderPageImage(await participants.readVersion(shown.versionId), page);
      if (!png) throw new SinettiError('not_found', 'No such page.', 404);
      res.set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=300' }).send(png);
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/public/minutes',
      tag: 'public',
      query: pageLanguage,
      summary: 'The public page: every body and its published minutes, with the rectification period of each (fi/sv/en by ?lang=).',
      responses: { 200: 'HTML page' },
    },
    async ({ query }, req, res) => {
      send(
        res,
        200,
        publicMinutesPage(chooseLanguage(query.lang, req.get('accept-language'), 'fi'), organization, await participants.allPublished()),
      );
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/public/minutes/:reviewId.pdf',
      tag: 'public',
      params: z.object({ reviewId: recordId }),
      summary: 'The public version of published minutes.',
      responses: { 200: 'PDF', 404: 'Not published, or taken offline' },
    },
    async ({ params }, _req, res) => {
      const pdf = await participants.publishedPdf(params.reviewId);
      if (!pdf) throw new SinettiError('not_found', 'These minutes are not on the public page.', 404);
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'inline; filename="poytakirja.pdf"',
        'Cache-Control': 'public, max-age=300',
      });
      res.send(pdf);
    },
  );
  return identificationAnswer;
}
