import { type Request } from 'express';
import { type StaffRole } from '../config/config';
import { hasRole } from './auth';

/**
 * Whether the signed-in person may see a staff page, decided by the same
 * rule the API's routes use (requireRole's hasRole: admins, or one of the
 * named roles), so a page and the API it drives never disagree.
 */
export function staffMay(req: Request, ...roles: StaffRole[]): boolean {
  return hasRole(req.staff, ...roles);
}
