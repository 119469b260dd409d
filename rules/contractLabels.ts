import type { Language } from '../mail/templates';
import type { SignerRole } from '../store/employmentContracts';

/** How a contract and its signers are named to people: on the contract PDF, in mail and on the signer's page. */

export const CONTRACT_TITLE: Record<Language, string> = { fi: 'Työsopimus', sv: 'Arbetsavtal', en: 'Employment contract' };

export const ROLE_LABELS: Record<SignerRole, Record<Language, string>> = {
  employee: { fi: 'Työntekijä', sv: 'Arbetstagare', en: 'Employee' },
  employer: { fi: 'Työnantajan edustaja', sv: 'Arbetsgivarens företrädare', en: "Employer's representative" },
};
