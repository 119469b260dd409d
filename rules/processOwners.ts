import type { StaffRole } from '../config/config';

/**
 * Which staff role works on a process, read from its id: every process id
 * starts with its kind (`contract-…`, a contract's child workflows
 * `contract-…-…`), and every version a process writes is keyed by its id.
 * Until per-process access arrives with staff sign-in, a process's state,
 * audit trail and documents are for its role and admins only.
 */
const OWNERS: [prefix: string, role: StaffRole][] = [
  ['contract-', 'hr'],
  ['minutes-', 'secretary'],
  ['public/minutes-', 'secretary'],
  ['application-', 'handler'],
  ['letter-', 'registry'],
  ['seal-', 'registry'],
];

/** The role a process (or a version's write key) belongs to; undefined for what no process owns, such as a bare upload. */
export function owningRole(processIdOrKey: string): StaffRole | undefined {
  return OWNERS.find(([prefix]) => processIdOrKey.startsWith(prefix))?.[1];
}

/** Admins see everything; others what belongs to one of their roles or to no process. */
export function mayRead(viewer: readonly StaffRole[], owners: (StaffRole | undefined)[]): boolean {
  return viewer.includes('admin') || owners.every((owner) => owner === undefined || viewer.includes(owner));
}
