import { timingSafeEqual } from 'node:crypto';
import { type Request, type RequestHandler } from 'express';
import type { Requester } from '../application/serviceDeps';
import { type StaffRole, type StaffToken } from '../config/config';
import { SinettiError } from '../common/errors';
import { sessionIdentity } from './staffSession';

/** Staff are identified by bearer tokens from configuration, each with one role, or by a session cookie started with one. */
export interface StaffIdentity {
  name: string;
  role: StaffRole;
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
  return match && { name: match.name, role: match.role };
}

export function authenticateStaff(tokens: StaffToken[]): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) req.staff = staffForToken(tokens, header.slice('Bearer '.length).trim());
    // Only a request that carries a cookie costs the revocation lookup.
    else if (req.headers.cookie) req.staff = await sessionIdentity(req, tokens);
    next();
  };
}

/** Admins may do anything staff may; everyone else needs one of the named roles. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.staff) {
      next(new SinettiError('unauthenticated', 'Sign in: send your staff token as "Authorization: Bearer <token>".', 401));
    } else if (req.staff.role !== 'admin' && !roles.includes(req.staff.role)) {
      next(new SinettiError('forbidden', `This needs the role ${roles.join(' or ')}; your role is ${req.staff.role}.`, 403));
    } else {
      next();
    }
  };
}

export function staffActor(identity: StaffIdentity | undefined): string {
  return identity ? `staff:${identity.role}:${identity.name}` : 'anonymous';
}

/** The requester as the audit trail records it: the staff member, their address and browser. */
export function requesterOf(req: Request, actor = staffActor(req.staff)): Requester {
  return { actor, staffName: req.staff?.name, ip: req.ip, userAgent: req.get('user-agent') };
}
