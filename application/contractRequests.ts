import { z } from 'zod';
import { EMPLOYMENT_CONTRACT_TASK_CLASS, RECORDS_PLAN } from '../config/recordsPlan';
import { LANGUAGES } from '../mail/templates';
import { SIGNER_ROLES } from '../store/employmentContracts';
import { checkIdentityCode } from '../rules/identifiers';
import { VERIFICATION_METHODS } from '../verification/signerVerification';

/**
 * What HR sends to start an employment contract: by the API as JSON, by HR's page as the same object built from its form.
 * Checks of our own carry `params.rule`, the catalog text (texts/*.ts `validation.rules`) a page shows for them.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.date({ message: 'Use a date like 2026-08-01.' });
const party = z.object({ name: text(200), address: text(500), businessId: z.string().trim().max(20).optional() });

const terms = z
  .object({
    employer: party,
    employee: party,
    startDate: isoDate,
    endDate: isoDate.optional(),
    fixedTermReason: z.string().trim().max(500).optional(),
    trialPeriod: z.string().trim().max(200).optional(),
    placeOfWork: text(300),
    duties: text(2000),
    payBasis: text(500),
    payPeriod: text(200),
    workingHours: text(500),
    annualLeave: text(500),
    noticePeriod: text(500),
    collectiveAgreement: text(300),
  })
  .superRefine((t, ctx) => {
    if (t.endDate && t.endDate < t.startDate)
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'The end date is before the start date.',
        params: { rule: 'endBeforeStart' },
      });
    if (t.endDate && !t.fixedTermReason)
      ctx.addIssue({
        code: 'custom',
        path: ['fixedTermReason'],
        message: 'A fixed-term contract needs the reason for the fixed term (Employment Contracts Act 1:3).',
        params: { rule: 'fixedTermReason' },
      });
  });

/** A personal identity code to match strong identification against: valid check character, optional. */
export const identityCodeField = z
  .string()
  .trim()
  .max(20)
  .optional()
  .superRefine((code, ctx) => {
    if (!code) return;
    const checked = checkIdentityCode(code);
    if (!checked.valid)
      ctx.addIssue({
        code: 'custom',
        message: `Not a valid personal identity code: it ${checked.message}.`,
        params: { rule: 'identityCodeInvalid' },
      });
  });

export const contractSigner = z.object({
  role: z.enum(SIGNER_ROLES),
  name: text(200),
  email: z.email({ message: 'Not a valid e-mail address.' }),
  phone: z
    .string()
    .regex(/^\+?[0-9][0-9 ]{5,19}$/, 'Use a phone number like +358 40 123 4567.')
    .optional(),
  language: z.enum(LANGUAGES).default('fi'),
  /** Equal orders sign in parallel; without orders, signingOrder decides. */
  order: z.number().int().min(1).max(20).optional(),
  /** The signer's personal identity code, matched against strong identification; kept encrypted and as a keyed hash only. */
  identityCode: identityCodeField,
});

export const createContractRequest = z
  .object({
    title: text(200).optional(),
    /** The HR unit the contract belongs to; by default the sender's only HR unit. */
    unit: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'A unit is lower-case letters, digits, - and _ (e.g. sivistys).')
      .optional(),
    language: z.enum(LANGUAGES).default('fi'),
    terms: terms.optional(),
    /** A PDF uploaded with POST /api/documents, used instead of the template. */
    documentVersionId: z.string().trim().min(1).max(100).optional(),
    signers: z.array(contractSigner).min(1, 'Name at least one signer.').max(10),
    signingOrder: z.enum(['sequential', 'parallel']).default('sequential'),
    deadline: z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-08-01T16:00:00+03:00.' }).optional(),
    reminderIntervalHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(48),
    maxReminders: z.number().int().min(0).max(10).default(3),
    hr: z.object({
      name: text(200).optional(),
      email: z.email({ message: 'Not a valid e-mail address.' }),
      language: z.enum(LANGUAGES).default('fi'),
    }),
    /** A one-time code by e-mail or SMS before signing; SMS needs every signer's phone. */
    verification: z.enum(VERIFICATION_METHODS).default('none'),
    /** "strong": every signer identifies at Suomi.fi e-Identification (substantial or high) before signing. */
    identification: z.enum(['link', 'strong']).default('link'),
    taskClass: z
      .string()
      .refine((c) => c in RECORDS_PLAN, 'Not a task class of the records management plan.')
      .default(EMPLOYMENT_CONTRACT_TASK_CLASS),
  })
  .superRefine((r, ctx) => {
    if (!r.terms === !r.documentVersionId) {
      ctx.addIssue({
        code: 'custom',
        path: ['terms'],
        message: 'Give either the contract terms (for the template) or documentVersionId (an uploaded PDF), not both.',
        params: { rule: 'termsOrPdf' },
      });
    }
    const seen = new Set<string>();
    r.signers.forEach((s, index) => {
      const key = s.email.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['signers', index, 'email'],
          message: 'The same signer is named twice.',
          params: { rule: 'sameSignerTwice' },
        });
      seen.add(key);
    });
    if (r.verification === 'smsCode') {
      r.signers.forEach((s, index) => {
        if (!s.phone)
          ctx.addIssue({
            code: 'custom',
            path: ['signers', index, 'phone'],
            message: "An SMS code needs the signer's phone number.",
            params: { rule: 'smsNeedsPhone' },
          });
      });
    }
    if (r.identification === 'strong') {
      if (r.verification !== 'none')
        ctx.addIssue({
          code: 'custom',
          path: ['verification'],
          message: 'Strong identification replaces the one-time code: leave verification as "none".',
          params: { rule: 'strongWithoutCode' },
        });
      r.signers.forEach((s, index) => {
        if (!s.identityCode)
          ctx.addIssue({
            code: 'custom',
            path: ['signers', index, 'identityCode'],
            message: "Strong identification needs the signer's personal identity code.",
            params: { rule: 'identityCodeNeeded' },
          });
      });
    }
    if (r.deadline && Date.parse(r.deadline) <= Date.now())
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'The deadline is in the past.', params: { rule: 'deadlinePast' } });
  });
export type CreateContractRequest = z.input<typeof createContractRequest>;
