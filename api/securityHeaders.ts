import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The security headers of every response, set once here rather than by
 * each route: a CSP that allows only the page's own stylesheet, script and
 * images from /assets and this origin (nothing inline), no framing, no
 * MIME sniffing, no Referer (personal links must not leak to other sites).
 */
/** `identityProvider`: the issuer's origin, where signing out hands over (a form's redirect is checked by form-action too). */
export function securityHeaders(identityProvider?: string): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...(identityProvider ? [identityProvider] : [])],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

/**
 * Pages and answers that carry a personal link or a staff view: never
 * stored by a browser or a proxy. A route may still choose its own caching
 * for what is safe to keep (a page image, for five minutes, privately).
 */
export const PRIVATE_PATHS = [
  '/s/',
  '/m/',
  '/hakemus/',
  '/api/applicant/',
  '/hr',
  '/admin',
  '/kasittely',
  '/registry',
  '/minutes/',
] as const;

export function noStoreForPrivatePages(): RequestHandler {
  return (req, res, next) => {
    if (PRIVATE_PATHS.some((prefix) => req.path === prefix.replace(/\/$/, '') || req.path.startsWith(prefix)))
      res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
