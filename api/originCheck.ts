import { type RequestHandler } from 'express';
import { SinettiError } from '../common/errors';

/**
 * Cross-site request forgery: a browser sends the session cookie (SameSite
 * Lax) with a form posted from anywhere it allows. So a state-changing
 * request is carried out only when it comes from an allowed origin (ours, the
 * Temporal Web UI's codec calls), from our own pages by the browser's
 * Sec-Fetch-Site (our Referrer-Policy makes a form's Origin "null"), or from
 * a client that is no browser at all (neither header: curl, other services,
 * which authenticate with a bearer token or an API key). Anything else —
 * another site's form or script — is refused before it is read.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginForChanges(publicUrl: string, otherOrigins: string[]): RequestHandler {
  const allowed = new Set([new URL(publicUrl).origin, ...otherOrigins.filter(Boolean).map((o) => o.replace(/\/$/, ''))]);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    // The server's own address as this request reached it, for a deployment reached by more than one name.
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (origin !== undefined && (allowed.has(origin) || origin === own)) return next();
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined ? site === 'same-origin' || site === 'none' : origin === undefined) return next();
    next(
      new SinettiError(
        'foreign_origin',
        'This request came from a page outside Sinetti and was not carried out. Open Sinetti itself and try again there.',
        403,
      ),
    );
  };
}
