import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { isLanguage, type Language } from '../texts/language';

/**
 * The language of the staff pages: Finnish unless the person has chosen
 * another from the language menu, and then that choice, remembered in a
 * cookie for a year, on every staff page. The browser's Accept-Language is
 * not asked: a Finnish clerk on an English-language browser still works in Finnish.
 */
export const LANGUAGE_COOKIE = 'sinetti_lang';
const YEAR_SECONDS = 365 * 24 * 3600;

export function rememberedLanguage(req: Request): Language | undefined {
  const value = parse(req.headers.cookie ?? '')[LANGUAGE_COOKIE];
  return isLanguage(value) ? value : undefined;
}

/** ?lang= when given (and remembered from then on), else the remembered choice, else Finnish. */
export function staffPageLanguage(req: Request, res: Response, asked: unknown): Language {
  if (isLanguage(asked)) {
    if (rememberedLanguage(req) !== asked)
      res.append('Set-Cookie', serialize(LANGUAGE_COOKIE, asked, { sameSite: 'lax', path: '/', maxAge: YEAR_SECONDS }));
    return asked;
  }
  return rememberedLanguage(req) ?? 'fi';
}
