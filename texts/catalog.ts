import { en } from './en';
import { fi } from './fi';
import type { Language } from './language';
import { sv } from './sv';

/**
 * The shape every language's catalog has: the Finnish catalog's, with its
 * leaves widened to strings and text functions. `sv` and `en` are declared
 * `satisfies Catalog`, so a text missing (or misspelt) in either is a
 * compile error that names it.
 */
export type Catalog = typeof fi;

const CATALOGS: Record<Language, Catalog> = { fi, sv, en };

export function textsFor(language: Language): Catalog {
  return CATALOGS[language];
}
