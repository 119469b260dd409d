import { timingSafeEqual } from 'node:crypto';
import { type Request, type RequestHandler } from 'express';
import type { Requester } from '../application/serviceDeps';
import { type SinettiConfig, type StaffRole, type StaffToken } from '../config/config';
import { type UnitLimits } from '../config/identity';
import { SinettiError } from '../common/errors';
import { type ApiKeys, unitLimitsOfKey } from '../store/apiKeys';
import { presentedSessionId, type StaffSessionCookies } from './staffSession';
import { sendErrorPage } from './errorPages';

/**
 * Staff are identified by a server-side session (signed in through the
 * organisation's identity provider), by an API key an admin created, or —
 * in development only — by a configured staff token. A person may hold
 * several roles.
 */
export interface StaffIdentity {
  name: string;
  roles: StaffRole[];
  /** The units a role is limited to (config/identity.ts); a role not listed holds in every unit. */
  units?: UnitLimits;
  via: 'session' | 'api-key' | 'token';
}

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffIdentity;
  }
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function staffForToken(tokens: StaffToken[], presented: string): StaffIdentity | undefined {
  const match = tokens.find((t) => sameToken(t.token, presented));
  return match && { name: match.name, roles: [match.role], via: 'token' };
}

export function hasRole(identity: StaffIdentity | undefined, ...roles: StaffRole[]): boolean {
  return Boolean(identity && identity.roles.some((role) => role === 'admin' || roles.includes(role)));
}

export function authenticateStaff(config: SinettiConfig, cookies: StaffSessionCookies, apiKeys: ApiKeys): RequestHandler {
  return async (req, _res, next) => {
    try {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const presented = header.slice('Bearer '.length).trim();
        const apiKey = presented.startsWith('snk_') ? await apiKeys.authenticate(presented) : undefined;
        req.staff = apiKey
          ? { name: `api-key:${apiKey.name}`, roles: apiKey.roles, units: unitLimitsOfKey(apiKey), via: 'api-key' }
          : staffForToken(config.staffTokens, presented);
        return next();
      }
      if (presentedSessionId(req)) {
        // Forged cross-site changes were refused before this (originCheck.ts).
        req.staff = await cookies.identity(req);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Where a person without a session is sent: sign-in, and back to the page they asked for. */
export function signInUrl(req: Request): string {
  return `/auth/login?returnTo=${encodeURIComponent(req.originalUrl)}`;
}

function wantsPage(req: Request): boolean {
  return req.method === 'GET' && Boolean(req.accepts(['json', 'html']) === 'html');
}

/** Admins may do anything staff may; everyone else needs one of the named roles. A person's browser is sent to sign in. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req, res, next) => {
    if (!req.staff) {
      if (wantsPage(req)) return res.redirect(303, signInUrl(req));
      next(new SinettiError('unauthenticated', 'Sign in, or send an API key as "Authorization: Bearer <key>".', 401));
    } else if (!hasRole(req.staff, ...roles)) {
      const message = `This needs the role ${roles.join(' or ')}; your roles are ${req.staff.roles.join(', ') || 'none'}.`;
      if (wantsPage(req))
        return sendErrorPage(req, res, 403, signInUrl(req), { roles: { needed: roles.join(' / '), held: req.staff.roles.join(', ') } });
      next(new SinettiError('forbidden', message, 403));
    } else {
      next();
    }
  };
}

/** The actor as audit trails record it, readable: `staff:hr:Hanna Henkilöstö`, `staff:hr+secretary:…` for several roles. */
export function staffActor(identity: StaffIdentity | undefined): string {
  return identity ? `staff:${identity.roles.join('+')}:${identity.name}` : 'anonymous';
}

/** The requester as the audit trail records it: the staff member, their address and browser. */
export function requesterOf(req: Request, actor = staffActor(req.staff)): Requester {
  return { actor, staffName: req.staff?.name, scope: req.staff, ip: req.ip, userAgent: req.get('user-agent') };
}

/**
 * For a staff page that is a thin client of the API: without a session the person is sent to sign in — unless
 * development token sign-in is on (the page's own token form then stays, for the development tokens).
 */
export function signInFirst(tokens: StaffToken[]): RequestHandler {
  return (req, res, next) => (!req.staff && tokens.length === 0 ? res.redirect(303, signInUrl(req)) : next());
}
