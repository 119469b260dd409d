import { kindOfProcess, mayRead, unitForNewProcess } from '../rules/processVisibility';

/** Who sees what: the role of the process's kind in its unit, or admin. */
describe('process visibility', () => {
  const sivistysHr = { roles: ['hr' as const], units: { hr: ['sivistys'] } };
  const everyHr = { roles: ['hr' as const] };
  const handler = { roles: ['handler' as const] };
  const admin = { roles: ['admin' as const] };

  it.each([
    ['HR of the unit, its contract', sivistysHr, { kind: 'contract', unit: 'sivistys' }, true],
    ['HR of another unit', sivistysHr, { kind: 'contract', unit: 'tekninen' }, false],
    ['HR of one unit, an organisation-wide contract', sivistysHr, { kind: 'contract' }, false],
    ['HR of every unit', everyHr, { kind: 'contract', unit: 'tekninen' }, true],
    ['a handler, an HR contract', handler, { kind: 'contract', unit: 'sivistys' }, false],
    ['a handler, an application of any round', handler, { kind: 'application', unit: 'avustukset-2027' }, true],
    ['HR, minutes', everyHr, { kind: 'minutes', unit: 'kunnanhallitus' }, false],
    ['an admin, anything', admin, { kind: 'letter' }, true],
  ] as const)('%s', (_case, scope, owner, expected) => {
    expect(mayRead(scope, owner)).toBe(expected);
  });

  it.each([
    ['contract-6b1d…', 'contract'],
    ['minutes-6b1d…', 'minutes'],
    ['letter-batch-6b1d…', 'letter'],
    ['seal-6b1d…', 'seal'],
    ['application-6b1d…-decision-letter', 'letter'],
    ['application-6b1d…-rectification-letter', 'letter'],
    ['application-6b1d…', 'application'],
    ['document/6b1d…', undefined],
  ])('%s is a %s process', (id, kind) => {
    expect(kindOfProcess(id)).toBe(kind);
  });

  it("puts a new contract in the sender's only unit, refuses another, and leaves it organisation-wide for HR of every unit", () => {
    expect(unitForNewProcess(sivistysHr, 'contract', undefined)).toBe('sivistys');
    expect(unitForNewProcess(sivistysHr, 'contract', 'tekninen')).toBeInstanceOf(Error);
    expect(unitForNewProcess(everyHr, 'contract', undefined)).toBeUndefined();
    expect(unitForNewProcess(everyHr, 'contract', 'tekninen')).toBe('tekninen');
  });
});
