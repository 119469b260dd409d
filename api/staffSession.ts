import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';
import { type Request, type Response } from 'express';
import { STAFF_ROLES, type StaffRole, type StaffToken } from '../config/config';
import { type StaffIdentity } from './auth';

/**
 * Browser sessions for staff pages and for the Temporal Web UI's calls to the
 * codec endpoint, where no bearer header can be set. The cookie holds the
 * identity and expiry, signed with a key derived from the configured staff
 * tokens: changing the tokens ends every session.
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
  const body = Buffer.from(JSON.stringify({ ...identity, exp: Date.now() + SESSION_HOURS * 3600_000 })).toString('base64url');
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

export function endSession(res: Response): void {
  res.setHeader('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
}

export function sessionIdentity(req: Request, tokens: StaffToken[]): StaffIdentity | undefined {
  const value = parse(req.headers.cookie ?? '')[SESSION_COOKIE];
  if (!value) return undefined;
  const [body, signature] = value.split('.');
  if (!body || !signature) return undefined;
  const expected = Buffer.from(sign(body, tokens));
  const presented = Buffer.from(signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return undefined;
  try {
    const { name, role, exp } = JSON.parse(Buffer.from(body, 'base64url').toString()) as { name: string; role: StaffRole; exp: number };
    if (exp < Date.now() || !STAFF_ROLES.includes(role)) return undefined;
    return { name, role };
  } catch {
    return undefined;
  }
}
