import { type Request, type Response } from 'express';
import { type StaffRole } from '../config/config';
import { requireRole } from './auth';

/**
 * Whether the signed-in person may see a staff page, decided by the same
 * check the API's routes use (requireRole), so a page and the API it drives
 * never disagree, whatever carries the identity (a token session today).
 */
export function staffMay(req: Request, ...roles: StaffRole[]): boolean {
  let allowed = false;
  void requireRole(...roles)(req, {} as Response, (error?: unknown) => {
    allowed = error === undefined;
  });
  return allowed;
}
