import { type RequestHandler } from 'express';
import { SinettiError } from '../common/errors';

/**
 * Cross-site request forgery: a browser sends the session cookie (SameSite
 * Lax) with a form posted from anywhere it allows, and it always names the
 * page's origin in `Origin` on a cross-origin request that changes state. So
 * a state-changing request naming another origin is refused before it is
 * read. Sinetti's own pages, the Temporal Web UI's codec calls (its origins
 * are configured) and clients that send no `Origin` (curl, other services,
 * which authenticate with a bearer token) pass.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginForChanges(publicUrl: string, otherOrigins: string[]): RequestHandler {
  const allowed = new Set([new URL(publicUrl).origin, ...otherOrigins.filter(Boolean).map((o) => o.replace(/\/$/, ''))]);
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (SAFE_METHODS.has(req.method) || origin === undefined) return next();
    // The server's own address as this request reached it, for a deployment reached by more than one name.
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (allowed.has(origin) || origin === own) return next();
    next(
      new SinettiError(
        'foreign_origin',
        'This request came from a page outside Sinetti and was not carried out. Open Sinetti itself and try again there.',
        403,
      ),
    );
  };
}
