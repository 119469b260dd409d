import type { Catalog } from '../../../texts/catalog';

/** A process's type, state and awaited roles in words, from the catalogs; a code no catalog knows yet is shown as it is. */

export function processTypeInWords(type: string | undefined, t: Catalog): string {
  return type ? (t.process.types[type] ?? type) : '';
}

export function statusInWords(status: string | undefined, t: Catalog): string {
  return status ? (t.process.statuses[status] ?? status) : '';
}

/** "employee,employer" → "työntekijä, työnantaja". */
export function rolesInWords(roles: string | undefined, t: Catalog): string {
  if (!roles) return t.process.nobody;
  return roles
    .split(',')
    .map((role) => t.process.roles[role] ?? role)
    .join(', ');
}
