import { type StaffRole } from '../config/config';
import { type UnitLimits } from '../config/identity';

/**
 * Who sees what: each process belongs to an organisation unit (a contract to its HR unit, minutes to the body, an
 * application to its round, letters and seals to the registry) and is visible to the staff role of its kind in that unit
 * and to admins. A process without a unit (made before units existed, or by someone who holds the role in every unit)
 * is visible to those who hold the role in every unit.
 */
export type ProcessKind = 'contract' | 'minutes' | 'application' | 'letter' | 'seal';

export const ROLE_OF_KIND: Record<ProcessKind, StaffRole> = {
  contract: 'hr',
  minutes: 'secretary',
  application: 'handler',
  letter: 'registry',
  seal: 'registry',
};

/**
 * A decision's letters (`application-…-decision-letter`, `…-rectification-letter`) are letters the registry follows, and
 * part of the application its handlers read: the application's id, or undefined for any other process.
 */
export function applicationOfLetter(processId: string): string | undefined {
  return /^(application-.+)-(?:decision|rectification)-letter$/.exec(processId)?.[1];
}

/** The process kind from its id's prefix, as the services make them (`contract-…`, `minutes-…`, `letter-batch-…`). */
export function kindOfProcess(processId: string): ProcessKind | undefined {
  if (applicationOfLetter(processId)) return 'letter';
  const prefix = /^(contract|minutes|application|letter|seal)-/.exec(processId)?.[1];
  return prefix as ProcessKind | undefined;
}

export interface ProcessOwner {
  kind: ProcessKind;
  unit?: string;
}

export interface StaffScope {
  roles: StaffRole[];
  units?: UnitLimits;
}

export function mayRead(scope: StaffScope, owner: ProcessOwner): boolean {
  if (scope.roles.includes('admin')) return true;
  const role = ROLE_OF_KIND[owner.kind];
  if (!scope.roles.includes(role)) return false;
  const limitedTo = scope.units?.[role];
  if (!limitedTo) return true;
  return owner.unit !== undefined && limitedTo.includes(owner.unit);
}

/**
 * The unit a new process of this kind goes to: the one asked for (which the person must hold), else the person's only
 * unit for the role; undefined (organisation-wide) for someone who holds the role everywhere and names none.
 */
export function unitForNewProcess(scope: StaffScope, kind: ProcessKind, asked: string | undefined): string | undefined | Error {
  const limitedTo = scope.roles.includes('admin') ? undefined : scope.units?.[ROLE_OF_KIND[kind]];
  if (!limitedTo) return asked;
  if (asked) return limitedTo.includes(asked) ? asked : new Error(`You may start these only in your units: ${limitedTo.join(', ')}.`);
  if (limitedTo.length === 1) return limitedTo[0];
  return new Error(`Name the unit (one of ${limitedTo.join(', ')}).`);
}
