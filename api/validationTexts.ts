import type { Request } from 'express';
import type { z } from 'zod';
import { type Catalog, textsFor } from '../texts/catalog';
import { type Language } from '../texts/language';

/**
 * A zod issue as a sentence a person can act on, in their language, naming
 * the field ("Sähköposti: anna sähköpostiosoite muodossa …") instead of zod's
 * "Too small: expected string to have >=1 characters". Checks of our own
 * (`superRefine`) name their text with `params: { rule }`, a key of the
 * catalog's `validation.rules`.
 */

export type ValidationRule = keyof Catalog['validation']['rules'];

/** The params a custom issue carries so its text comes from the catalog. */
export const rule = (name: ValidationRule) => ({ rule: name });

function isRule(texts: Catalog['validation'], name: unknown): name is ValidationRule {
  return typeof name === 'string' && Object.hasOwn(texts.rules, name);
}

export function issueText(issue: z.core.$ZodIssue, language: Language, field: string): string {
  const t = textsFor(language).validation;
  switch (issue.code) {
    case 'custom': {
      const name: unknown = issue.params?.rule;
      if (isRule(t, name)) return t.rules[name](field);
      // A check of our own without a catalog text still says what to do (in English), rather than only "check this value".
      return issue.message && issue.message !== 'Invalid input' ? `${field}: ${issue.message}` : t.invalid(field);
    }
    case 'invalid_type':
      return issue.input === undefined || issue.input === null || issue.input === '' ? t.required(field) : t.invalid(field);
    case 'too_small':
      if (issue.origin === 'string') return t.required(field);
      if (issue.origin === 'array') return t.rules.atLeastOneSigner(field);
      return t.atLeast(field, String(issue.minimum));
    case 'too_big':
      if (issue.origin === 'string') return t.tooLong(field, Number(issue.maximum));
      return t.atMost(field, String(issue.maximum));
    case 'invalid_format':
      if (issue.input === '') return t.required(field);
      if (issue.format === 'email') return t.email(field);
      if (issue.format === 'date') return t.date(field);
      if (issue.format === 'datetime') return t.dateTime(field);
      if (issue.format === 'regex' && /phone/i.test(field + issue.path.join('.'))) return t.phone(field);
      return t.invalid(field);
    case 'invalid_value':
      return t.choice(field);
    default:
      return t.invalid(field);
  }
}

/** The language a request's error texts are in: ?lang=, then the remembered choice (api/staffLanguage.ts), else English for API clients. */
export function errorLanguage(req: Request, remembered: (req: Request) => Language | undefined): Language {
  const asked = typeof req.query?.lang === 'string' ? req.query.lang : undefined;
  if (asked === 'fi' || asked === 'sv' || asked === 'en') return asked;
  return remembered(req) ?? 'en';
}
