import type { Language } from '../mail/templates';

/**
 * Citizen e-forms as data: each field's type, whether it is required, and
 * its label and help text in Finnish, Swedish and English. The validator,
 * the public page, the JSON API and the round export all read these, so a
 * new form is a new entry here, not new code.
 */

export type Texts = Record<Language, string>;

export type FieldType =
  'text' | 'textarea' | 'email' | 'date' | 'amount' | 'integer' | 'identityCode' | 'businessId' | 'iban' | 'postalCode';

export interface FormField {
  name: string;
  type: FieldType;
  required: boolean;
  label: Texts;
  help?: Texts;
  maxLength?: number;
  /** For amounts (euros) and integers. */
  min?: number;
  max?: number;
}

export interface AttachmentRule {
  name: string;
  required: boolean;
  label: Texts;
  help?: Texts;
  /** Allowed media types. */
  types: string[];
  maxBytes: number;
}

export interface FormDefinition {
  formId: string;
  title: Texts;
  /** Records management plan task class: the case number and the records metadata follow from it. */
  taskClass: string;
  fields: FormField[];
  attachments: AttachmentRule[];
  /** Which fields the process needs: where to mail, who the decision goes to, the amount asked. */
  roles: {
    email: string;
    applicantName: string;
    recipientId: string;
    amount: string;
    address?: { street: string; postalCode: string; city: string };
  };
}

const MB = 1024 * 1024;
const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

const email: FormField = {
  name: 'email',
  type: 'email',
  required: true,
  maxLength: 200,
  label: { fi: 'Sähköposti', sv: 'E-post', en: 'E-mail' },
  help: {
    fi: 'Tähän osoitteeseen lähetetään kuittaus ja mahdolliset täydennyspyynnöt.',
    sv: 'Till denna adress skickas kvittot och eventuella begäranden om komplettering.',
    en: 'The acknowledgement and any requests for more information are sent here.',
  },
};
const iban: FormField = {
  name: 'iban',
  type: 'iban',
  required: true,
  maxLength: 42,
  label: { fi: 'Tilinumero (IBAN)', sv: 'Kontonummer (IBAN)', en: 'Bank account (IBAN)' },
  help: {
    fi: 'Esimerkiksi FI21 1234 5600 0007 85.',
    sv: 'Till exempel FI21 1234 5600 0007 85.',
    en: 'For example FI21 1234 5600 0007 85.',
  },
};
const street: FormField = {
  name: 'street',
  type: 'text',
  required: true,
  maxLength: 200,
  label: { fi: 'Postiosoite', sv: 'Postadress', en: 'Street address' },
};
const postalCode: FormField = {
  name: 'postalCode',
  type: 'postalCode',
  required: true,
  label: { fi: 'Postinumero', sv: 'Postnummer', en: 'Postal code' },
  help: { fi: 'Viisi numeroa.', sv: 'Fem siffror.', en: 'Five digits.' },
};
const city: FormField = {
  name: 'city',
  type: 'text',
  required: true,
  maxLength: 100,
  label: { fi: 'Postitoimipaikka', sv: 'Postanstalt', en: 'Town' },
};

export const GRANT_APPLICATION: FormDefinition = {
  formId: 'avustushakemus',
  title: { fi: 'Avustushakemus yhdistyksille', sv: 'Ansökan om understöd för föreningar', en: 'Grant application for associations' },
  taskClass: '02 05 01',
  fields: [
    {
      name: 'associationName',
      type: 'text',
      required: true,
      maxLength: 200,
      label: { fi: 'Yhdistyksen nimi', sv: 'Föreningens namn', en: 'Name of the association' },
    },
    {
      name: 'businessId',
      type: 'businessId',
      required: true,
      label: { fi: 'Y-tunnus', sv: 'FO-nummer', en: 'Business ID' },
      help: { fi: 'Muodossa 1234567-8.', sv: 'I formen 1234567-8.', en: 'In the form 1234567-8.' },
    },
    street,
    postalCode,
    city,
    {
      name: 'contactName',
      type: 'text',
      required: true,
      maxLength: 200,
      label: { fi: 'Yhteyshenkilö', sv: 'Kontaktperson', en: 'Contact person' },
    },
    email,
    {
      name: 'purpose',
      type: 'textarea',
      required: true,
      maxLength: 4000,
      label: { fi: 'Mihin avustusta haetaan', sv: 'Vad understödet söks för', en: 'What the grant is for' },
    },
    {
      name: 'amountApplied',
      type: 'amount',
      required: true,
      min: 1,
      max: 1_000_000,
      label: { fi: 'Haettava summa (€)', sv: 'Belopp som söks (€)', en: 'Amount applied for (€)' },
      help: {
        fi: 'Euroina, esimerkiksi 1500 tai 1500,50.',
        sv: 'I euro, till exempel 1500 eller 1500,50.',
        en: 'In euros, for example 1500 or 1500.50.',
      },
    },
    {
      name: 'budgetTotal',
      type: 'amount',
      required: true,
      min: 0,
      max: 100_000_000,
      label: { fi: 'Toiminnan kokonaisbudjetti (€)', sv: 'Verksamhetens totalbudget (€)', en: 'Total budget of the activity (€)' },
    },
    iban,
  ],
  attachments: [
    {
      name: 'budget',
      required: true,
      types: DOCUMENT_TYPES,
      maxBytes: 5 * MB,
      label: { fi: 'Talousarvio', sv: 'Budget', en: 'Budget' },
      help: { fi: 'PDF, JPEG tai PNG, enintään 5 Mt.', sv: 'PDF, JPEG eller PNG, högst 5 MB.', en: 'PDF, JPEG or PNG, at most 5 MB.' },
    },
    {
      name: 'annualReport',
      required: false,
      types: DOCUMENT_TYPES,
      maxBytes: 5 * MB,
      label: { fi: 'Toimintakertomus', sv: 'Verksamhetsberättelse', en: 'Annual report' },
      help: { fi: 'PDF, JPEG tai PNG, enintään 5 Mt.', sv: 'PDF, JPEG eller PNG, högst 5 MB.', en: 'PDF, JPEG or PNG, at most 5 MB.' },
    },
  ],
  roles: {
    email: 'email',
    applicantName: 'associationName',
    recipientId: 'businessId',
    amount: 'amountApplied',
    address: { street: 'street', postalCode: 'postalCode', city: 'city' },
  },
};

export const EXPENSE_CLAIM: FormDefinition = {
  formId: 'kulukorvaus',
  title: {
    fi: 'Vaalitoimielimen jäsenen kulukorvaushakemus',
    sv: 'Ansökan om kostnadsersättning för medlem i valorgan',
    en: "Election committee member's expense claim",
  },
  taskClass: '02 05 02',
  fields: [
    { name: 'fullName', type: 'text', required: true, maxLength: 200, label: { fi: 'Nimi', sv: 'Namn', en: 'Name' } },
    {
      name: 'identityCode',
      type: 'identityCode',
      required: true,
      label: { fi: 'Henkilötunnus', sv: 'Personbeteckning', en: 'Personal identity code' },
      help: { fi: 'Muodossa PPKKVV-NNNT.', sv: 'I formen DDMMÅÅ-NNNT.', en: 'In the form DDMMYY-NNNT.' },
    },
    email,
    {
      name: 'meetingDate',
      type: 'date',
      required: true,
      label: { fi: 'Kokouspäivä', sv: 'Mötesdag', en: 'Date of the meeting' },
      help: { fi: 'Esimerkiksi 2026-04-12.', sv: 'Till exempel 2026-04-12.', en: 'For example 2026-04-12.' },
    },
    {
      name: 'trips',
      type: 'textarea',
      required: true,
      maxLength: 2000,
      label: { fi: 'Matkat (mistä–mihin)', sv: 'Resor (varifrån–vart)', en: 'Trips (from–to)' },
    },
    {
      name: 'kilometres',
      type: 'integer',
      required: true,
      min: 0,
      max: 5000,
      label: { fi: 'Kilometrit yhteensä', sv: 'Kilometer sammanlagt', en: 'Kilometres in total' },
    },
    {
      name: 'meals',
      type: 'integer',
      required: false,
      min: 0,
      max: 10,
      label: { fi: 'Ateriakorvaukset (kpl)', sv: 'Måltidsersättningar (st.)', en: 'Meal allowances (number)' },
    },
    {
      name: 'amountClaimed',
      type: 'amount',
      required: true,
      min: 0.01,
      max: 10_000,
      label: { fi: 'Haettu korvaus yhteensä (€)', sv: 'Ersättning som söks sammanlagt (€)', en: 'Total amount claimed (€)' },
    },
    iban,
  ],
  attachments: [
    {
      name: 'receipts',
      required: false,
      types: DOCUMENT_TYPES,
      maxBytes: 5 * MB,
      label: { fi: 'Kuitit', sv: 'Kvitton', en: 'Receipts' },
      help: { fi: 'PDF, JPEG tai PNG, enintään 5 Mt.', sv: 'PDF, JPEG eller PNG, högst 5 MB.', en: 'PDF, JPEG or PNG, at most 5 MB.' },
    },
  ],
  roles: { email: 'email', applicantName: 'fullName', recipientId: 'identityCode', amount: 'amountClaimed' },
};

/**
 * By form id. No prototype: a form id comes from a URL, and `FORMS['__proto__']`
 * or `FORMS['constructor']` must be no form, not Object's own members.
 */
export const FORMS: Record<string, FormDefinition> = Object.assign(Object.create(null) as Record<string, FormDefinition>, {
  [GRANT_APPLICATION.formId]: GRANT_APPLICATION,
  [EXPENSE_CLAIM.formId]: EXPENSE_CLAIM,
});

/** The form with this id, looked up among the forms' own ids only. */
export function formById(formId: string): FormDefinition | undefined {
  return Object.hasOwn(FORMS, formId) ? FORMS[formId] : undefined;
}
