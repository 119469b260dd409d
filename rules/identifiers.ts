/**
 * Finnish identifiers as the population register and the trade register
 * define them: personal identity codes (henkilötunnus) and business IDs
 * (Y-tunnus). Pure functions; every process that takes a recipient, an
 * applicant or a company validates with these.
 */

const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** Century signs, the old and the 2023 additions; the sign is part of the identity. */
const CENTURY_BY_SIGN: Record<string, number> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};

export type IdentifierProblem = 'format' | 'century_sign' | 'date' | 'individual_number' | 'checksum';

export type IdentityCodeCheck =
  { valid: true; code: string; birthDate: string; temporary: boolean } | { valid: false; problem: IdentifierProblem; message: string };

const PROBLEM_TEXT: Record<IdentifierProblem, string> = {
  format: 'does not have the form DDMMYYCZZZQ',
  century_sign: 'has an unknown century sign',
  date: 'does not name a real date of birth',
  individual_number: 'has an individual number outside 002–999',
  checksum: 'has a wrong check character',
};

function invalid(problem: IdentifierProblem, what: string): { valid: false; problem: IdentifierProblem; message: string } {
  return { valid: false, problem, message: `The ${what} ${PROBLEM_TEXT[problem]}.` };
}

/** The check character of a personal identity code, from its date part and individual number. */
export function identityCodeCheckCharacter(datePart: string, individualNumber: string): string {
  return CHECK_CHARACTERS[Number(`${datePart}${individualNumber}`) % 31];
}

export function checkIdentityCode(input: string): IdentityCodeCheck {
  const code = input.trim().toUpperCase();
  const match = /^(\d{2})(\d{2})(\d{2})(.)(\d{3})([0-9A-Y])$/.exec(code);
  if (!match) return invalid('format', 'personal identity code');
  const [, dd, mm, yy, sign, individual, check] = match as unknown as [string, string, string, string, string, string, string];
  const century = CENTURY_BY_SIGN[sign];
  if (century === undefined) return invalid('century_sign', 'personal identity code');
  const year = century + Number(yy);
  const date = new Date(Date.UTC(year, Number(mm) - 1, Number(dd)));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== Number(mm) - 1 || date.getUTCDate() !== Number(dd)) {
    return invalid('date', 'personal identity code');
  }
  if (Number(individual) < 2) return invalid('individual_number', 'personal identity code');
  if (identityCodeCheckCharacter(`${dd}${mm}${yy}`, individual) !== check) return invalid('checksum', 'personal identity code');
  return { valid: true, code, birthDate: date.toISOString().slice(0, 10), temporary: Number(individual) >= 900 };
}

export type BusinessIdCheck = { valid: true; code: string } | { valid: false; problem: IdentifierProblem; message: string };

const BUSINESS_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2];

/** The check digit of a business ID's seven digits, or null when no digit can make them valid. */
export function businessIdCheckDigit(digits: string): number | null {
  const sum = [...digits].reduce((total, digit, index) => total + Number(digit) * BUSINESS_ID_WEIGHTS[index], 0);
  const remainder = sum % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return null;
  return 11 - remainder;
}

export function checkBusinessId(input: string): BusinessIdCheck {
  const code = input.trim();
  const match = /^(\d{7})-(\d)$/.exec(code);
  if (!match) return { valid: false, problem: 'format', message: 'The business ID does not have the form NNNNNNN-T.' };
  if (businessIdCheckDigit(match[1]) !== Number(match[2])) return invalid('checksum', 'business ID');
  return { valid: true, code };
}

export type PartyIdentifier = { kind: 'person'; code: string } | { kind: 'organisation'; code: string };

/**
 * A recipient or applicant given as either identifier. The business ID's
 * form (seven digits, dash, one digit) cannot be mistaken for an identity
 * code, so the form decides which check applies.
 */
export function parsePartyIdentifier(
  input: string,
): { valid: true; party: PartyIdentifier } | { valid: false; problem: IdentifierProblem; message: string } {
  const trimmed = input.trim();
  if (/^\d{7}-\d$/.test(trimmed)) {
    const business = checkBusinessId(trimmed);
    return business.valid ? { valid: true, party: { kind: 'organisation', code: business.code } } : business;
  }
  const person = checkIdentityCode(trimmed);
  if (person.valid) return { valid: true, party: { kind: 'person', code: person.code } };
  if (person.problem === 'format') {
    return { valid: false, problem: 'format', message: 'Give a personal identity code (DDMMYYCZZZQ) or a business ID (NNNNNNN-T).' };
  }
  return person;
}

/** "131052-308T" → "131052-***T": enough for staff to tell rows apart, not enough to identify. */
export function maskIdentifier(code: string): string {
  if (/^\d{7}-\d$/.test(code)) return code;
  return code.length === 11 ? `${code.slice(0, 7)}***${code.slice(10)}` : '***';
}

/** Makes a valid identity code, for test data and simulators. */
export function makeIdentityCode(birthDate: string, individualNumber: number, sign?: string): string {
  const [year, month, day] = birthDate.split('-');
  const dd = day.padStart(2, '0');
  const mm = month.padStart(2, '0');
  const yy = year.slice(2);
  const chosenSign = sign ?? (Number(year) >= 2000 ? 'A' : Number(year) >= 1900 ? '-' : '+');
  const individual = String(individualNumber).padStart(3, '0');
  return `${dd}${mm}${yy}${chosenSign}${individual}${identityCodeCheckCharacter(`${dd}${mm}${yy}`, individual)}`;
}
