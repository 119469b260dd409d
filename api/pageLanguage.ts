import { parse, serialize } from 'cookie';
import { type Request, type Response } from 'express';
import { isLanguage, type Language } from '../texts/language';

/**
 * A staff page's language: Finnish unless the person has chosen otherwise.
 * The choice (a ?lang= link from the language menu) is remembered in a
 * cookie, so a Finnish clerk on an English-language browser keeps Finnish
 * and a Swedish-speaking one keeps Swedish from page to page.
 */
export const LANGUAGE_COOKIE = 'sinetti_language';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function staffPageLanguage(req: Request, res: Response, chosen?: string): Language {
  if (isLanguage(chosen)) {
    res.append('Set-Cookie', serialize(LANGUAGE_COOKIE, chosen, { path: '/', sameSite: 'lax', maxAge: ONE_YEAR_SECONDS }));
    return chosen;
  }
  const remembered = parse(req.headers.cookie ?? '')[LANGUAGE_COOKIE];
  return isLanguage(remembered) ? remembered : 'fi';
}
