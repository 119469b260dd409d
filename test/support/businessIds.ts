import { randomInt } from 'node:crypto';
import { businessIdCheckDigit } from '../../rules/identifiers';

/** A valid business id (Y-tunnus) not used before, as likely as not: seven random digits whose check digit exists. */
export function freshBusinessId(): string {
  for (;;) {
    const digits = String(randomInt(1_000_000, 9_999_999));
    const check = businessIdCheckDigit(digits);
    if (check !== null) return `${digits}-${check}`;
  }
}
