import { SinettiError } from '../common/errors';
import type { Request } from 'express';
import { z } from 'zod';
import { LANGUAGES } from '../mail/templates';

/** Field schemas shared by route declarations: ids in paths, personal-link tokens, the page language. */

/** A process, document or other record id as it appears in a path: letters, digits and - _ . : only. */
export const recordId = z.string().regex(/^[\w.:-]{1,200}$/, 'An id has letters, digits and - _ . : only (at most 200).');

/**
 * The token of a personal link. Any text up to the length no link has: a token a mail program mangled (a
 * trailing dot or bracket) still reaches the lookup, and its owner gets the "unknown link" page in their language.
 */
export const linkToken = z.string().min(1).max(200, 'No personal link is this long.');

/** ?lang=fi|sv|en; anything else falls back to the person's own language, as a mistyped link should still open. */
export const pageLanguage = z.object({ lang: z.enum(LANGUAGES).optional().catch(undefined) });

/** A form field that is text when present. */
export const formText = z.string().optional();

/** The raw upload express.raw left in the body; empty when there was none. */
export function uploadedBytes(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** A page number in a path (`/pages/3.png`); whether the page exists is the document's to say. */
export const pageNumber = z.coerce.number().int('A page number is a whole number.');

/**
 * The client's idempotency key (header `Idempotency-Key`, or the form field a page sends): the same key makes the
 * same record and process, so a person may retry. Printable ASCII, at most 200 characters.
 */
export function idempotencyKeyOf(req: Request, formField?: string): string | undefined {
  const key = req.get('idempotency-key') ?? formField;
  if (key === undefined || key === '') return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new SinettiError('invalid_request', 'Idempotency-Key: use up to 200 printable characters without spaces, such as a UUID.', 400, [
      { field: 'Idempotency-Key', message: 'Up to 200 printable characters.' },
    ]);
  return key;
}
