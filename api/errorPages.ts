import { type Request, type Response } from 'express';
import { isLanguage, type Language } from '../texts/language';
import { isApiRequest, requestLanguage } from './rateLimits';
import { rememberedLanguage } from './staffLanguage';
import { errorPage, type ErrorPageKind, type ErrorPageProps } from './views/errorPage';

/**
 * Errors as people see them: a browser asking for a page (Accept: text/html, not /api/ or /codec/) gets a small page
 * in the person's language with the way on, never the API's JSON; API clients keep their JSON (api/httpErrors.ts).
 */

/** The pages of people outside the organisation: signers, checkers of minutes, applicants, anyone validating a PDF. */
const PUBLIC_PAGES = ['/s/', '/m/', '/hakemus/', '/forms/', '/validate'];

export function wantsErrorPage(req: Request): boolean {
  return !isApiRequest(req) && req.accepts(['json', 'html']) === 'html';
}

function audienceOf(req: Request): 'staff' | 'public' {
  return PUBLIC_PAGES.some((prefix) => req.originalUrl.startsWith(prefix)) ? 'public' : 'staff';
}

/** ?lang=, then the language chosen on Sinetti's pages (the sinetti_lang cookie); the public pages then follow the browser, staff get Finnish. */
function errorPageLanguage(req: Request): Language {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(asked)) return asked;
  return rememberedLanguage(req) ?? (audienceOf(req) === 'public' ? requestLanguage(req) : 'fi');
}

/** The page the person came from, when it is on this site: only its path, never another site's address. */
function sameSiteReferer(req: Request): string | undefined {
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    const path = `${from.pathname}${from.search}`;
    return from.host === req.host && path !== req.originalUrl ? path : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(status: number): ErrorPageKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  return status >= 500 ? 'failed' : 'other';
}

export function sendErrorPage(
  req: Request,
  res: Response,
  status: number,
  signInHref: string,
  more: Pick<ErrorPageProps, 'roles' | 'detail'> = {},
): void {
  const organization = (req.app.locals as { organization?: string }).organization ?? '';
  res
    .status(status)
    .type('html')
    .send(
      errorPage({
        language: errorPageLanguage(req),
        organization,
        status,
        kind: kindOf(status),
        audience: audienceOf(req),
        backHref: sameSiteReferer(req),
        signInHref,
        ...more,
      }),
    );
}
