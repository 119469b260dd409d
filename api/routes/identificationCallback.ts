import { serialize } from 'cookie';
import { type NextFunction, type Request, type Response } from 'express';
import type { Language } from '../../mail/templates';
import { isLanguage } from '../../texts/language';
import { SIGNER_CALLBACK_PATH } from '../../integrations/identityProvider/testPersons';
import type { IdentificationOutcome } from '../../verification/identityMatch';
import type { IdentificationResult } from '../../verification/strongIdentification';
import { type RouterContext } from '../apiDeps';
import { pageLanguage } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';
import { chooseLanguage, type Explanation, explanationPage } from '../signerPageViews';

/**
 * The identity provider's one callback for every link whose person
 * identifies strongly: a contract signer's (/s/…) and the minutes' chair's
 * or secretary's (/m/…). The pending identification remembers which link it
 * started from; that link's pages match the answer against the person.
 * One callback means one redirect URI to register with the provider.
 */

/** A link's pages taking the provider's answer for the person behind `token`. */
export type IdentificationAnswer = (
  result: IdentificationResult,
  token: string,
  lang: Language | undefined,
  req: Request,
  res: Response,
  next: NextFunction,
) => Promise<void>;

/** The page and status a refused identification is explained with, the same for every kind of link. */
function identificationRefusal(reason: Exclude<IdentificationOutcome, { ok: true }>['reason']): {
  status: number;
  kind: Explanation;
} {
  if (reason === 'identity_mismatch') return { status: 403, kind: 'identity_mismatch' };
  if (reason === 'link_locked') return { status: 423, kind: 'identification_locked' };
  if (reason === 'undecryptable') return { status: 502, kind: 'identification_unreadable' };
  return { status: 401, kind: 'identification_cancelled' };
}

/** The cookie, scoped to one link's pages, in which the browser that identified (or entered a code) keeps its proof. */
export const VERIFIED_COOKIE = 'sinetti_verified';

export function setVerifiedCookie(res: Response, publicUrl: string, base: string, proof: string, expires: Date): void {
  res.append(
    'Set-Cookie',
    serialize(VERIFIED_COOKIE, proof, { httpOnly: true, sameSite: 'lax', secure: publicUrl.startsWith('https:'), path: base, expires }),
  );
}

/** Ends an identification on the link's pages: a refusal explained, or the proof left in the browser and back to the page. */
export function finishIdentification(
  res: Response,
  outcome: IdentificationOutcome,
  link: { language: Language; base: string },
  site: { organization: string; publicUrl: string },
): void {
  if (!outcome.ok) {
    const refusal = identificationRefusal(outcome.reason);
    return void res
      .status(refusal.status)
      .type('html')
      .send(explanationPage(link.language, site.organization, refusal.kind));
  }
  setVerifiedCookie(res, site.publicUrl, link.base, outcome.proof, outcome.expiresAt);
  res.redirect(303, `${link.base}?lang=${link.language}`);
}

export function identificationCallbackRoute(
  routes: ApiRoutes,
  { services: { contractSigners }, config }: RouterContext,
  answers: Record<'s' | 'm', IdentificationAnswer>,
): void {
  routes.add(
    {
      method: 'get',
      path: SIGNER_CALLBACK_PATH,
      tag: 'signer',
      query: pageLanguage,
      summary: "The identity provider's answer: matched against the identity code registered for the link's person, or refused.",
      responses: {
        303: 'Identified; to the signing form',
        401: 'Cancelled or failed (HTML)',
        403: 'Another person identified (HTML)',
        423: 'The link is locked after too many refused identifications (HTML)',
        502: "The ID token was not encrypted to Sinetti's key (HTML)",
      },
    },
    async ({ query: { lang } }: { query: { lang?: Language } }, req: Request, res: Response, next: NextFunction) => {
      try {
        // Any instance completes it: the pending identification travels in its own cookie.
        const result = await contractSigners.strong.complete(req, res);
        const link = result.returnPath ? /^\/([sm])\/(.+)$/.exec(result.returnPath) : null;
        if (!link) {
          const language = chooseLanguage(lang, req.get('accept-language'), 'fi');
          return void res
            .status(401)
            .type('html')
            .send(explanationPage(language, config.organization, 'identification_cancelled'));
        }
        const language = lang ?? (isLanguage(result.language) ? result.language : undefined);
        await answers[link[1] as 's' | 'm'](result, decodeURIComponent(link[2]), language, req, res, next);
      } catch (error) {
        next(error);
      }
    },
  );
}
