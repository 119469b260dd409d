import { parseRoleMap, rolesFromClaim } from '../config/identity';

/** Roles from the identity provider's claim through the configured mapping. */
describe('role mapping', () => {
  const entra = parseRoleMap('hr=6f1c-hr-group,admin=9a2b-admin-group,secretary=6f1c-hr-group');

  it.each([
    ['a group granting two roles', ['6f1c-hr-group'], ['hr', 'secretary']],
    ['several groups, each role once', ['6f1c-hr-group', '9a2b-admin-group', 'unrelated'], ['hr', 'secretary', 'admin']],
    ['a single string claim', '9a2b-admin-group', ['admin']],
    ['no matching group', ['other'], []],
    ['no claim', undefined, []],
  ])('%s', (_case, claim, roles) => {
    expect(rolesFromClaim(claim, entra)).toEqual(roles);
  });

  it('takes role names as they are when no mapping is configured', () => {
    expect(rolesFromClaim(['hr', 'registry', 'superuser'], parseRoleMap(undefined))).toEqual(['hr', 'registry']);
  });

  it('names a bad mapping entry', () => {
    expect(() => parseRoleMap('hr=a,boss=b')).toThrow(/SINETTI_OIDC_ROLE_MAP entry 2/);
  });
});
