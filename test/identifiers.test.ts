import {
  businessIdCheckDigit,
  checkBusinessId,
  checkIdentityCode,
  makeIdentityCode,
  maskIdentifier,
  parsePartyIdentifier,
} from '../rules/identifiers';

describe('personal identity codes (henkilötunnus)', () => {
  it.each([
    ['131052-308T', true, '1952-10-13'],
    ['010594Y9032', true, '1994-05-01'],
    ['010594Y9021', true, '1994-05-01'],
    ['020594X903P', true, '1994-05-02'],
    ['020594X902N', true, '1994-05-02'],
    ['030594W903B', true, '1994-05-03'],
    ['030694W9024', true, '1994-06-03'],
    ['040594V9030', true, '1994-05-04'],
    ['050594U903M', true, '1994-05-05'],
    ['050594U902L', true, '1994-05-05'],
    ['010516B903X', true, '2016-05-01'],
    ['010516B902W', true, '2016-05-01'],
    ['020516C903K', true, '2016-05-02'],
    ['020516C902J', true, '2016-05-02'],
    ['030516D9037', true, '2016-05-03'],
    ['030516D9026', true, '2016-05-03'],
    ['010501E9032', true, '2001-05-01'],
    ['020502E902X', true, '2002-05-02'],
    ['020503F9037', true, '2003-05-02'],
  ])('%s is valid: %s', (code, valid, dateOrProblem) => {
    const result = checkIdentityCode(code);
    expect(result.valid).toBe(valid);
    if (result.valid) expect(result.birthDate).toBe(dateOrProblem);
    else expect(result.problem).toBe(dateOrProblem);
  });

  it.each([
    ['131052-308U', 'checksum'],
    ['131052Z308T', 'century_sign'],
    ['310252-308T', 'date'], // 31 February
    ['290201-123M', 'date'], // 2001 is not a leap year
    ['131052-001T', 'individual_number'],
    ['131052-308', 'format'],
    ['13105-2308T', 'format'],
    ['', 'format'],
  ])('%s is refused for its %s', (code, problem) => {
    expect(checkIdentityCode(code)).toMatchObject({ valid: false, problem });
  });

  it('accepts lower case and surrounding spaces, and flags temporary codes', () => {
    expect(checkIdentityCode(' 131052-308t ')).toMatchObject({ valid: true, code: '131052-308T', temporary: false });
    expect(checkIdentityCode(makeIdentityCode('1980-02-29', 950))).toMatchObject({ valid: true, temporary: true });
  });

  it('makes valid codes for any date and century', () => {
    for (const [date, sign] of [
      ['1850-01-01', undefined],
      ['1999-12-31', 'Y'],
      ['2023-06-30', 'B'],
    ] as const) {
      expect(checkIdentityCode(makeIdentityCode(date, 123, sign))).toMatchObject({ valid: true, birthDate: date });
    }
  });
});

describe('business IDs (Y-tunnus)', () => {
  it.each([
    ['0116297-6', true],
    ['0201256-6', true],
    ['1572860-0', true], // remainder 0 → check digit 0
    ['0116297-5', false],
    ['116297-6', false],
    ['01162976', false],
  ])('%s is valid: %s', (code, valid) => {
    expect(checkBusinessId(code).valid).toBe(valid);
  });

  it('has no check digit where the remainder is 1', () => {
    // 0000010: 1×2 = 2 … choose digits whose weighted sum ≡ 1 (mod 11): 1×4 + 1×8 = 12 ≡ 1.
    expect(businessIdCheckDigit('0000110')).toBeNull();
  });
});

describe('a recipient given as either identifier', () => {
  it.each([
    ['131052-308T', { valid: true, party: { kind: 'person', code: '131052-308T' } }],
    ['0116297-6', { valid: true, party: { kind: 'organisation', code: '0116297-6' } }],
    ['0116297-1', { valid: false, problem: 'checksum' }],
    ['hello', { valid: false, problem: 'format' }],
  ])('%s', (input, expected) => {
    expect(parsePartyIdentifier(input)).toMatchObject(expected);
  });

  it('masks identity codes for reports, but not business IDs', () => {
    expect(maskIdentifier('131052-308T')).toBe('131052-***T');
    expect(maskIdentifier('0116297-6')).toBe('0116297-6');
  });
});
