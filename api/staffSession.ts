import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';
import { type Request, type Response } from 'express';
import { STAFF_ROLES, type StaffToken } from '../config/config';
import { RevokedSessions } from '../store/revokedSessions';
import { type StaffIdentity } from './auth';

/**
 * Browser sessions for staff pages and for the Temporal Web UI's calls to the
 * codec endpoint, where no bearer header can be set. The cookie holds the
 * identity and expiry, signed with a key derived from the configured staff
 * tokens: changing the tokens ends every session. Each session has an id;
 * signing out puts it on the shared revocation list (store/revokedSessions),
 * so the cookie stops working at once, not when it expires.
 */
export const SESSION_COOKIE = 'sinetti_staff';
const SESSION_HOURS = 8;

function signingKey(tokens: StaffToken[]): Buffer {
  return createHash('sha256')
    .update('sinetti-session\n' + tokens.map((t) => `${t.role}:${t.token}`).join('\n'))
    .digest();
}

function sign(body: string, tokens: StaffToken[]): string {
  return createHmac('sha256', signingKey(tokens)).update(body).digest('base64url');
}

export function startSession(res: Response, identity: StaffIdentity, tokens: StaffToken[], secure: boolean): void {
  const session = { ...identity, sid: randomUUID(), exp: Date.now() + SESSION_HOURS * 3600_000 };
  const body = Buffer.from(JSON.stringify(session)).toString('base64url');
  res.setHeader(
    'Set-Cookie',
    serialize(SESSION_COOKIE, `${body}.${sign(body, tokens)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    }),
  );
}

/** Ends the session for good: its id is revoked for every API process, and the browser is told to drop the cookie. */
export async function endSession(req: Request, res: Response, tokens: StaffToken[]): Promise<void> {
  const session = sessionOf(req, tokens);
  if (session) await new RevokedSessions().revoke(session.sid, new Date(session.exp));
  res.setHeader('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
}

interface Session extends StaffIdentity {
  sid: string;
  exp: number;
}

/** The cookie's session if its signature holds and it has not expired (revocation is checked by sessionIdentity). */
function sessionOf(req: Request, tokens: StaffToken[]): Session | undefined {
  const value = parse(req.headers.cookie ?? '')[SESSION_COOKIE];
  if (!value) return undefined;
  const [body, signature] = value.split('.');
  if (!body || !signature) return undefined;
  const expected = Buffer.from(sign(body, tokens));
  const presented = Buffer.from(signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return undefined;
  try {
    const { name, role, sid, exp } = JSON.parse(Buffer.from(body, 'base64url').toString()) as Session;
    if (typeof sid !== 'string' || !(exp >= Date.now()) || !STAFF_ROLES.includes(role)) return undefined;
    return { name, role, sid, exp };
  } catch {
    return undefined;
  }
}

/** Who the session cookie names, unless it is forged, expired or signed out. */
export async function sessionIdentity(req: Request, tokens: StaffToken[]): Promise<StaffIdentity | undefined> {
  const session = sessionOf(req, tokens);
  if (!session || (await new RevokedSessions().isRevoked(session.sid))) return undefined;
  return { name: session.name, role: session.role };
}
