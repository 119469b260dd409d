import { type RequestHandler } from 'express';
import { SinettiError } from '../common/errors';

/**
 * Cross-site request forgery: a browser sends the session cookie (SameSite
 * Lax) with a form posted from anywhere it allows. So a state-changing
 * request from another site is refused before it is read. A browser names
 * the page's origin in `Origin`, except that Sinetti's own
 * `Referrer-Policy: no-referrer` makes it send `Origin: null` even for its
 * own forms; it then still says where the request came from in
 * `Sec-Fetch-Site` (Fetch Metadata), which pages cannot set. Sinetti's own
 * pages, the Temporal Web UI's codec calls (its origins are configured) and
 * clients that send neither header (curl, other services, with a bearer
 * token) pass.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginForChanges(publicUrl: string, otherOrigins: string[]): RequestHandler {
  const allowed = new Set([new URL(publicUrl).origin, ...otherOrigins.filter(Boolean).map((o) => o.replace(/\/$/, ''))]);
  const refused = new SinettiError(
    'foreign_origin',
    'This request came from a page outside Sinetti and was not carried out. Open Sinetti itself and try again there.',
    403,
  );
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (origin !== undefined && origin !== 'null') {
      // The server's own address as this request reached it, for a deployment reached by more than one name.
      const own = `${req.protocol}://${req.headers.host ?? ''}`;
      return allowed.has(origin) || origin === own ? next() : next(refused);
    }
    if (site !== undefined) return site === 'same-origin' || site === 'none' ? next() : next(refused);
    return origin === 'null' ? next(refused) : next();
  };
}
