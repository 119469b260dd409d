import { grantsFromClaim, parseRoleMap, rolesFromClaim, unitLimits } from '../config/identity';

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

/** Units through the claim: `sinetti-<role>-<unit>` by name, `role:unit=value` through the map. */
describe('units', () => {
  it.each([
    ['a named group', ['sinetti-hr-sivistys'], parseRoleMap(undefined), [{ role: 'hr', unit: 'sivistys' }]],
    ['a named group for every unit', ['sinetti-handler'], parseRoleMap(undefined), [{ role: 'handler', unit: undefined }]],
    ['a mapped group with a unit', ['6f1c'], parseRoleMap('hr:tekninen=6f1c'), [{ role: 'hr', unit: 'tekninen' }]],
    ['an unknown role by name', ['sinetti-boss-x'], parseRoleMap(undefined), []],
  ])('%s', (_case, claim, map, grants) => {
    expect(grantsFromClaim(claim, map)).toEqual(grants);
  });

  it('limits a role to its units unless it is also granted everywhere', () => {
    expect(
      unitLimits([
        { role: 'hr', unit: 'sivistys' },
        { role: 'hr', unit: 'tekninen' },
        { role: 'handler', unit: 'avustukset-2027' },
        { role: 'handler' },
      ]),
    ).toEqual({ hr: ['sivistys', 'tekninen'] });
  });

  it('names a bad unit in the mapping', () => {
    expect(() => parseRoleMap('hr:Sivistys Toimi=a')).toThrow(/SINETTI_OIDC_ROLE_MAP entry 1/);
  });
});
