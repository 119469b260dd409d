import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { Language } from '../mail/templates';
import { checkBusinessId, checkIdentityCode } from '../rules/identifiers';
import type { FieldType, FormDefinition, FormField, Texts } from './formDefinitions';

/**
 * Checks a submission against its form and says, field by field, what to
 * fix, in the applicant's language. Values come back normalised (IBAN in
 * electronic form, amounts with a dot and two decimals), so what is stored
 * is what was checked.
 */

export interface SubmittedAttachment {
  field: string;
  fileName: string;
  contentType: string;
  contentBase64: string;
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface CheckedAttachment {
  field: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

export type FormCheck =
  { valid: true; values: Record<string, string>; attachments: CheckedAttachment[] } | { valid: false; problems: FieldProblem[] };

const MESSAGES: Record<string, Texts> = {
  required: { fi: 'Täytä tämä kenttä.', sv: 'Fyll i detta fält.', en: 'Fill in this field.' },
  too_long: {
    fi: 'Teksti on liian pitkä (enintään {max} merkkiä).',
    sv: 'Texten är för lång (högst {max} tecken).',
    en: 'The text is too long (at most {max} characters).',
  },
  email: {
    fi: 'Anna sähköpostiosoite muodossa nimi@esimerkki.fi.',
    sv: 'Ange e-postadressen i formen namn@exempel.fi.',
    en: 'Give an e-mail address like name@example.fi.',
  },
  date: {
    fi: 'Anna päivämäärä muodossa VVVV-KK-PP, esimerkiksi 2026-04-12.',
    sv: 'Ange datumet i formen ÅÅÅÅ-MM-DD, till exempel 2026-04-12.',
    en: 'Give a date like 2026-04-12.',
  },
  amount: {
    fi: 'Anna summa euroina, enintään kaksi desimaalia (esim. 1500,50).',
    sv: 'Ange beloppet i euro, högst två decimaler (t.ex. 1500,50).',
    en: 'Give the amount in euros with at most two decimals (e.g. 1500.50).',
  },
  integer: { fi: 'Anna kokonaisluku.', sv: 'Ange ett heltal.', en: 'Give a whole number.' },
  out_of_range: {
    fi: 'Arvon pitää olla välillä {min}–{max}.',
    sv: 'Värdet ska vara mellan {min} och {max}.',
    en: 'The value must be between {min} and {max}.',
  },
  postal_code: { fi: 'Postinumerossa on viisi numeroa.', sv: 'Postnumret har fem siffror.', en: 'A postal code has five digits.' },
  iban: {
    fi: 'Tilinumero ei ole kelvollinen IBAN. Tarkista numerot (esim. FI21 1234 5600 0007 85).',
    sv: 'Kontonumret är inte ett giltigt IBAN. Kontrollera siffrorna (t.ex. FI21 1234 5600 0007 85).',
    en: 'The account number is not a valid IBAN. Check the digits (e.g. FI21 1234 5600 0007 85).',
  },
  identity_code_format: {
    fi: 'Henkilötunnus on muotoa PPKKVV-NNNT.',
    sv: 'Personbeteckningen har formen DDMMÅÅ-NNNT.',
    en: 'A personal identity code has the form DDMMYY-NNNT.',
  },
  identity_code_date: {
    fi: 'Henkilötunnuksen syntymäaika ei ole mahdollinen päivä.',
    sv: 'Födelsedatumet i personbeteckningen är inte ett möjligt datum.',
    en: 'The date of birth in the identity code is not a real date.',
  },
  identity_code_checksum: {
    fi: 'Henkilötunnuksen tarkistusmerkki ei täsmää. Tarkista tunnus.',
    sv: 'Personbeteckningens kontrolltecken stämmer inte. Kontrollera beteckningen.',
    en: 'The check character of the identity code does not match. Check the code.',
  },
  business_id_format: {
    fi: 'Y-tunnus on muotoa 1234567-8.',
    sv: 'FO-numret har formen 1234567-8.',
    en: 'A business ID has the form 1234567-8.',
  },
  business_id_checksum: {
    fi: 'Y-tunnuksen tarkistusnumero ei täsmää. Tarkista tunnus.',
    sv: 'FO-numrets kontrollsiffra stämmer inte. Kontrollera numret.',
    en: 'The check digit of the business ID does not match. Check the ID.',
  },
  unknown_field: { fi: 'Lomakkeella ei ole tätä kenttää.', sv: 'Blanketten har inte detta fält.', en: 'The form has no such field.' },
  attachment_missing: { fi: 'Lisää tämä liite.', sv: 'Lägg till denna bilaga.', en: 'Add this attachment.' },
  attachment_type: {
    fi: 'Liitteen tiedostotyyppi ei käy. Sallitut: {types}.',
    sv: 'Bilagans filtyp passar inte. Tillåtna: {types}.',
    en: 'This file type is not accepted. Allowed: {types}.',
  },
  attachment_size: {
    fi: 'Liite on liian suuri (enintään {max} Mt).',
    sv: 'Bilagan är för stor (högst {max} MB).',
    en: 'The file is too large (at most {max} MB).',
  },
  attachment_empty: { fi: 'Liite on tyhjä tai vioittunut.', sv: 'Bilagan är tom eller skadad.', en: 'The file is empty or damaged.' },
};

function say(code: string, language: Language, params: Record<string, string | number> = {}): string {
  return MESSAGES[code][language].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** A value of one field, normalised, or the code of what is wrong with it. */
function checkValue(
  type: FieldType,
  raw: string,
  field: FormField,
): { value: string } | { code: string; params?: Record<string, string | number> } {
  switch (type) {
    case 'text':
    case 'textarea':
      return field.maxLength && raw.length > field.maxLength ? { code: 'too_long', params: { max: field.maxLength } } : { value: raw };
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(raw) && raw.length <= 200 ? { value: raw } : { code: 'email' };
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
      if (!match) return { code: 'date' };
      const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
      return date.toISOString().slice(0, 10) === raw ? { value: raw } : { code: 'date' };
    }
    case 'amount': {
      const compact = raw
        .replace(/[\s\u00a0]/g, '')
        .replace(/€$/, '')
        .replace(',', '.');
      if (!/^\d+(\.\d{1,2})?$/.test(compact)) return { code: 'amount' };
      return inRange(Number(compact), field) ?? { value: Number(compact).toFixed(2) };
    }
    case 'integer':
      if (!/^\d+$/.test(raw)) return { code: 'integer' };
      return inRange(Number(raw), field) ?? { value: String(Number(raw)) };
    case 'postalCode':
      return /^\d{5}$/.test(raw) ? { value: raw } : { code: 'postal_code' };
    case 'iban': {
      const electronic = electronicFormatIBAN(raw);
      return electronic && isValidIBAN(electronic) ? { value: electronic } : { code: 'iban' };
    }
    case 'identityCode': {
      const check = checkIdentityCode(raw);
      if (check.valid) return { value: check.code };
      return {
        code:
          check.problem === 'checksum'
            ? 'identity_code_checksum'
            : check.problem === 'date'
              ? 'identity_code_date'
              : 'identity_code_format',
      };
    }
    case 'businessId': {
      const check = checkBusinessId(raw);
      if (check.valid) return { value: check.code };
      return { code: check.problem === 'checksum' ? 'business_id_checksum' : 'business_id_format' };
    }
  }
}

function inRange(value: number, field: FormField): { code: string; params: Record<string, number> } | null {
  const min = field.min ?? -Infinity;
  const max = field.max ?? Infinity;
  return value < min || value > max ? { code: 'out_of_range', params: { min: field.min ?? 0, max: field.max ?? 0 } } : null;
}

/** The file's first bytes must match its declared type: a renamed executable is not a PDF. */
const MAGIC: Record<string, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};
function looksLike(contentType: string, bytes: Buffer): boolean {
  const magic = MAGIC[contentType];
  return !magic || magic.every((byte, index) => bytes[index] === byte);
}

/**
 * Checks a whole submission. With `only`, checks just those fields and
 * attachments (a supplementation answers only what was asked for).
 */
export function validateSubmission(
  form: FormDefinition,
  submission: { values: Record<string, unknown>; attachments?: SubmittedAttachment[] },
  language: Language,
  only?: string[],
): FormCheck {
  const problems: FieldProblem[] = [];
  const values: Record<string, string> = {};
  const asked = (name: string) => !only || only.includes(name);
  const known = new Set(form.fields.map((f) => f.name));

  for (const name of Object.keys(submission.values ?? {})) {
    if (!known.has(name)) problems.push({ field: name, code: 'unknown_field', message: say('unknown_field', language) });
  }
  for (const field of form.fields.filter((f) => asked(f.name))) {
    const given = submission.values?.[field.name];
    const raw = typeof given === 'number' ? String(given) : typeof given === 'string' ? given.trim() : '';
    if (!raw) {
      if (field.required) problems.push({ field: field.name, code: 'required', message: say('required', language) });
      continue;
    }
    const checked = checkValue(field.type, raw, field);
    if ('value' in checked) values[field.name] = checked.value;
    else problems.push({ field: field.name, code: checked.code, message: say(checked.code, language, checked.params) });
  }

  const attachments: CheckedAttachment[] = [];
  const rules = new Map(form.attachments.map((a) => [a.name, a]));
  for (const [index, attachment] of (submission.attachments ?? []).entries()) {
    const rule = rules.get(attachment?.field);
    const where = `attachments[${index}]`;
    if (!rule) {
      problems.push({ field: `${where}.field`, code: 'unknown_field', message: say('unknown_field', language) });
      continue;
    }
    if (!rule.types.includes(String(attachment.contentType))) {
      problems.push({
        field: rule.name,
        code: 'attachment_type',
        message: say('attachment_type', language, { types: rule.types.map((t) => t.split('/')[1].toUpperCase()).join(', ') }),
      });
      continue;
    }
    const bytes = Buffer.from(String(attachment.contentBase64 ?? ''), 'base64');
    if (bytes.length === 0) {
      problems.push({ field: rule.name, code: 'attachment_empty', message: say('attachment_empty', language) });
      continue;
    }
    if (!looksLike(attachment.contentType, bytes)) {
      problems.push({
        field: rule.name,
        code: 'attachment_type',
        message: say('attachment_type', language, { types: rule.types.map((t) => t.split('/')[1].toUpperCase()).join(', ') }),
      });
      continue;
    }
    if (bytes.length > rule.maxBytes) {
      problems.push({
        field: rule.name,
        code: 'attachment_size',
        message: say('attachment_size', language, { max: Math.round(rule.maxBytes / 1024 / 1024) }),
      });
      continue;
    }
    const fileName =
      String(attachment.fileName ?? rule.name)
        .replace(/[^\p{L}\p{N}._ -]/gu, '_')
        .slice(0, 120) || rule.name;
    attachments.push({ field: rule.name, fileName, contentType: attachment.contentType, bytes });
  }
  for (const rule of form.attachments.filter((a) => a.required && asked(a.name))) {
    if (!attachments.some((a) => a.field === rule.name) && !problems.some((p) => p.field === rule.name)) {
      problems.push({ field: rule.name, code: 'attachment_missing', message: say('attachment_missing', language) });
    }
  }
  return problems.length ? { valid: false, problems } : { valid: true, values, attachments };
}
