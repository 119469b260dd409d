import { parse, serialize } from 'cookie';
import { type Request, type Response } from 'express';
import { type StaffRole } from '../config/config';
import { type UnitLimits } from '../config/identity';
import { type StaffSessionRecord, type StaffSessions } from '../store/staffSessions';
import type { StaffIdentity } from './auth';

/**
 * The staff session cookie: a random id whose session lives in the store
 * (store/staffSessions.ts), for staff pages and for the Temporal Web UI's
 * calls to the codec endpoint, where no bearer header can be set. Signing
 * in always issues a fresh id; signing out revokes it server-side.
 */
export const SESSION_COOKIE = 'sinetti_staff';

export function presentedSessionId(req: Request): string | undefined {
  return parse(req.headers.cookie ?? '')[SESSION_COOKIE] || undefined;
}

export class StaffSessionCookies {
  constructor(
    readonly sessions: StaffSessions,
    private readonly options: { secure: boolean; absoluteMs: number },
  ) {}

  async start(
    res: Response,
    person: { name: string; subject: string; roles: StaffRole[]; units?: UnitLimits; idToken?: string },
  ): Promise<void> {
    const sessionId = await this.sessions.start(person);
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.options.secure,
        path: '/',
        maxAge: Math.floor(this.options.absoluteMs / 1000),
      }),
    );
  }

  /** Revokes the presented session (if any) and clears the cookie; returns the ended session for the IdP's logout. */
  async end(req: Request, res: Response): Promise<StaffSessionRecord | undefined> {
    const sessionId = presentedSessionId(req);
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: this.options.secure, path: '/', maxAge: 0 }),
    );
    return sessionId ? this.sessions.revoke(sessionId) : undefined;
  }

  async identity(req: Request): Promise<StaffIdentity | undefined> {
    const sessionId = presentedSessionId(req);
    const session = sessionId ? await this.sessions.find(sessionId) : undefined;
    return session && { name: session.name, roles: session.roles, units: session.units, via: 'session' };
  }
}
