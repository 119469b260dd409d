import { textsFor } from '../texts/catalog';
import type { Language } from '../texts/language';
import type { SignerRole } from '../store/employmentContracts';

/** How a contract and its signers are named to people: on the contract PDF, in mail and on the signer's page. */

/** The contract's default title: the heading of the contract template in its language. */
export function contractTitle(language: Language): string {
  return textsFor(language).contractPdf.heading;
}

export const ROLE_LABELS: Record<SignerRole, Record<Language, string>> = {
  employee: { fi: 'Työntekijä', sv: 'Arbetstagare', en: 'Employee' },
  employer: { fi: 'Työnantajan edustaja', sv: 'Arbetsgivarens företrädare', en: "Employer's representative" },
};
