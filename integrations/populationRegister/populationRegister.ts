import { inspect } from 'node:util';

/**
 * The population register (VTJ) as the registry office needs it: a
 * person's name and postal address for a letter, with the register's
 * address preference, and the security ban (turvakielto) that forbids us
 * from showing, logging or printing the address.
 */

export interface PostalAddressLines {
  street: string;
  postalCode: string;
  city: string;
}

/** The register's address fields in the order a letter prefers them (REFERENCE.md). */
export const ADDRESS_PREFERENCE = ['KotimainenPostiosoite', 'TilapainenKotimainenLahiosoite', 'VakinainenKotimainenLahiosoite'] as const;
export type AddressSource = (typeof ADDRESS_PREFERENCE)[number];

/**
 * An address under a security ban. It can be handed to the print service
 * (reveal) but prints, logs and serialises as "[protected]", so no log line,
 * JSON response or workflow payload can carry it by accident.
 */
export class ProtectedAddress {
  readonly #lines: PostalAddressLines;
  readonly #name: string;
  constructor(name: string, lines: PostalAddressLines) {
    this.#name = name;
    this.#lines = lines;
  }
  reveal(): { name: string } & PostalAddressLines {
    return { name: this.#name, ...this.#lines };
  }
  toJSON(): string {
    return '[protected]';
  }
  toString(): string {
    return '[protected]';
  }
  [inspect.custom](): string {
    return '[protected]';
  }
}

export type AddressLookup =
  | { kind: 'found'; name: string; address: PostalAddressLines; source: AddressSource }
  | { kind: 'security_ban'; protectedAddress?: ProtectedAddress }
  | { kind: 'not_found' }
  | { kind: 'no_address'; name: string };

export interface PopulationRegister {
  lookupAddress(identityCode: string): Promise<AddressLookup>;
}

export class PopulationRegisterError extends Error {
  override readonly name = 'PopulationRegisterError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Picks the preferred address among those the register returned. */
export function preferredAddress(
  addresses: Partial<Record<AddressSource, PostalAddressLines>>,
): { source: AddressSource; address: PostalAddressLines } | undefined {
  for (const source of ADDRESS_PREFERENCE) {
    const address = addresses[source];
    if (address && address.street.trim() && address.postalCode.trim()) return { source, address };
  }
  return undefined;
}
