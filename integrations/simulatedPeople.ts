import { createHash } from 'node:crypto';

/**
 * The people and companies both local simulators know: whether they have a
 * Suomi.fi mailbox, what the population register holds for them, and how a
 * letter to them ends. Tests register their own; anyone else gets a
 * deterministic default, so a 10,000-row batch of made-up identity codes
 * still meets a realistic mix (about 60 % with a mailbox).
 */

export interface RegisterAddress {
  street: string;
  postalCode: string;
  city: string;
}

export type SimulatedOutcome = 'read' | 'receipt' | 'unread' | 'delivered' | 'returned' | 'unresolved';

export interface SimulatedPerson {
  id: string;
  name: string;
  mailbox: boolean;
  securityBan: boolean;
  /** What the register holds, by its own field names; any may be missing. */
  addresses: {
    KotimainenPostiosoite?: RegisterAddress;
    TilapainenKotimainenLahiosoite?: RegisterAddress;
    VakinainenKotimainenLahiosoite?: RegisterAddress;
  };
  electronicOutcome: Extract<SimulatedOutcome, 'read' | 'receipt' | 'unread'>;
  paperOutcome: Extract<SimulatedOutcome, 'delivered' | 'returned' | 'unresolved'>;
}

export class SimulatedPeople {
  private readonly registered = new Map<string, SimulatedPerson>();

  register(person: Partial<SimulatedPerson> & { id: string }): SimulatedPerson {
    const full: SimulatedPerson = { ...this.defaultFor(person.id), ...person };
    this.registered.set(full.id, full);
    return full;
  }

  get(id: string): SimulatedPerson {
    return this.registered.get(id) ?? this.defaultFor(id);
  }

  private defaultFor(id: string): SimulatedPerson {
    const hash = createHash('sha256').update(id).digest();
    const number = hash.readUInt16BE(0);
    return {
      id,
      name: `Testi Henkilö ${number % 1000}`,
      mailbox: hash[2] % 10 < 6,
      securityBan: false,
      addresses: { VakinainenKotimainenLahiosoite: { street: `Testikatu ${(number % 200) + 1}`, postalCode: '00100', city: 'HELSINKI' } },
      electronicOutcome: 'read',
      paperOutcome: 'delivered',
    };
  }
}
