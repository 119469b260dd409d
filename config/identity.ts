import { z } from 'zod';
import { DEVELOPMENT_CLIENT } from '../integrations/identityProvider/developmentUsers';
import { STAFF_ROLES, type StaffRole } from './config';

/**
 * How staff are identified: the organisation's OpenID Provider (Entra ID,
 * AD FS, Keycloak), which claim carries their groups or roles, and how those
 * map to Sinetti's roles. With SINETTI_OIDC_ISSUER unset, the embedded
 * development provider (integrations/identityProvider) is started and used.
 */
const environment = z.object({
  NODE_ENV: z.string().optional(),
  SINETTI_OIDC_ISSUER: z.string().url().optional(),
  SINETTI_OIDC_CLIENT_ID: z.string().optional(),
  SINETTI_OIDC_CLIENT_SECRET: z.string().optional(),
  /** The ID token claim holding the person's groups or app roles: `roles` (app roles) or `groups` in Entra ID. */
  SINETTI_OIDC_ROLE_CLAIM: z.string().default('roles'),
  /** `hr=<group or app role>,admin=<…>`, comma separated; a role may be listed more than once. Unset: the claim's values are the role names. */
  SINETTI_OIDC_ROLE_MAP: z.string().optional(),
  /** The scopes asked for; Entra ID wants `openid profile email` (roles and groups come without a scope). */
  SINETTI_OIDC_SCOPE: z.string().optional(),
  IDP_PORT: z.coerce.number().int().default(3900),
  SINETTI_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  SINETTI_SESSION_MAX_HOURS: z.coerce.number().positive().default(10),
});

export interface IdentityConfig {
  /** NODE_ENV=production: development tokens and the embedded provider are refused. */
  production: boolean;
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    roleClaim: string;
    scope: string;
    /** A claim value → the Sinetti roles it grants. */
    roleMap: Map<string, StaffGrant[]>;
    embedded: boolean;
    embeddedPort: number;
  };
  session: { idleMs: number; absoluteMs: number };
}

/**
 * One role a claim value grants, in one organisation unit (an HR unit, a body, an application round) or, without a unit,
 * in every unit. The scheme: a claim value `sinetti-<role>-<unit>` (e.g. the group `sinetti-hr-sivistys`) grants that
 * role in that unit and `sinetti-<role>` in every unit; SINETTI_OIDC_ROLE_MAP entries `role=value` or `role:unit=value`
 * map any other value (an Entra ID group's object id). Without a map, a value that is a role's name grants it everywhere.
 */
export interface StaffGrant {
  role: StaffRole;
  unit?: string;
}

export const UNIT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function parseRoleMap(spec: string | undefined): Map<string, StaffGrant[]> {
  const map = new Map<string, StaffGrant[]>();
  if (!spec) {
    for (const role of STAFF_ROLES) map.set(role, [{ role }]);
    return map;
  }
  spec
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .forEach((pair, index) => {
      const at = pair.indexOf('=');
      const [role, unit] = pair.slice(0, at).trim().split(':') as [StaffRole, string | undefined];
      const value = pair.slice(at + 1).trim();
      if (at < 1 || !STAFF_ROLES.includes(role) || !value || (unit !== undefined && !UNIT.test(unit))) {
        throw new Error(
          `SINETTI_OIDC_ROLE_MAP entry ${index + 1}: expected role=claim-value or role:unit=claim-value with a role of ${STAFF_ROLES.join('|')} and a unit of lower-case letters, digits, - and _`,
        );
      }
      map.set(value, [...(map.get(value) ?? []), unit ? { role, unit } : { role }]);
    });
  return map;
}

export function loadIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const e = environment.parse(env);
  const production = e.NODE_ENV === 'production';
  const embedded = !e.SINETTI_OIDC_ISSUER;
  if (production && embedded)
    throw new Error("SINETTI_OIDC_ISSUER is required in production: point it at the organisation's OpenID Provider.");
  if (!embedded && (!e.SINETTI_OIDC_CLIENT_ID || !e.SINETTI_OIDC_CLIENT_SECRET)) {
    throw new Error('SINETTI_OIDC_CLIENT_ID and SINETTI_OIDC_CLIENT_SECRET are required with SINETTI_OIDC_ISSUER.');
  }
  return {
    production,
    oidc: {
      issuer: e.SINETTI_OIDC_ISSUER ?? `http://127.0.0.1:${e.IDP_PORT}`,
      clientId: e.SINETTI_OIDC_CLIENT_ID ?? DEVELOPMENT_CLIENT.clientId,
      clientSecret: e.SINETTI_OIDC_CLIENT_SECRET ?? DEVELOPMENT_CLIENT.clientSecret,
      roleClaim: e.SINETTI_OIDC_ROLE_CLAIM,
      scope: e.SINETTI_OIDC_SCOPE ?? (embedded ? 'openid profile email roles' : 'openid profile email'),
      roleMap: parseRoleMap(e.SINETTI_OIDC_ROLE_MAP),
      embedded,
      embeddedPort: e.IDP_PORT,
    },
    session: { idleMs: e.SINETTI_SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.SINETTI_SESSION_MAX_HOURS * 3600_000 },
  };
}

/** The grants a person's claim values give: through the map, and by the `sinetti-<role>[-<unit>]` naming scheme. */
export function grantsFromClaim(value: unknown, roleMap: Map<string, StaffGrant[]>): StaffGrant[] {
  const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return values.flatMap((v) => {
    const text = String(v);
    const named = new RegExp(`^sinetti-(${STAFF_ROLES.join('|')})(?:-(.+))?$`).exec(text);
    const byName: StaffGrant[] = named && (!named[2] || UNIT.test(named[2])) ? [{ role: named[1] as StaffRole, unit: named[2] }] : [];
    return [...(roleMap.get(text) ?? []), ...byName];
  });
}

/** The Sinetti roles a person's claim values grant, each once. */
export function rolesFromClaim(value: unknown, roleMap: Map<string, StaffGrant[]>): StaffRole[] {
  return [...new Set(grantsFromClaim(value, roleMap).map((grant) => grant.role))];
}

/**
 * The units each role is limited to: a role granted in every unit (a grant without a unit) is not listed, a role granted
 * only in named units lists them.
 */
export type UnitLimits = Partial<Record<StaffRole, string[]>>;

export function unitLimits(grants: StaffGrant[]): UnitLimits {
  const limits: UnitLimits = {};
  const everywhere = new Set(grants.filter((g) => !g.unit).map((g) => g.role));
  for (const { role, unit } of grants) {
    if (unit && !everywhere.has(role) && !limits[role]?.includes(unit)) limits[role] = [...(limits[role] ?? []), unit];
  }
  return limits;
}
