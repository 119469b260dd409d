import { z } from 'zod';
import { RECORDS_PLAN } from '../config/recordsPlan';
import { identityCodeField } from './contractRequests';
import { LANGUAGES } from '../mail/templates';
import { SECTION_PUBLICITY } from '../store/minutesReviews';

/** What the secretary sends to circulate minutes, and a corrected version's section list. */

export const MINUTES_TASK_CLASS = '00 01 02';
const text = (max: number) => z.string().trim().min(1).max(max);

const person = z.object({
  name: text(200),
  email: z.email({ message: 'Not a valid e-mail address.' }),
  language: z.enum(LANGUAGES).default('fi'),
});

/** The chair and the secretary: their identity code is registered when the body requires strong identification. */
const signer = person.extend({ identityCode: identityCodeField });

const section = z.object({
  number: z
    .string()
    .trim()
    .regex(/^[0-9]{1,4}[a-z]?$/, 'A section number like "45" or "45a".'),
  title: text(300),
  publicity: z.enum(SECTION_PUBLICITY).default('public'),
  firstPage: z.number().int().min(1),
  lastPage: z.number().int().min(1),
});

/** Sections in page order, each number once, each on pages that exist (checked against the PDF later). */
function checkSections(sections: z.infer<typeof section>[], ctx: z.RefinementCtx, path: (string | number)[] = ['sections']): void {
  const seen = new Set<string>();
  sections.forEach((s, index) => {
    if (seen.has(s.number)) ctx.addIssue({ code: 'custom', path: [...path, index, 'number'], message: `§ ${s.number} is listed twice.` });
    seen.add(s.number);
    if (s.lastPage < s.firstPage)
      ctx.addIssue({ code: 'custom', path: [...path, index, 'lastPage'], message: `§ ${s.number} ends before it starts.` });
    const previous = sections[index - 1];
    if (previous && s.firstPage < previous.lastPage)
      ctx.addIssue({
        code: 'custom',
        path: [...path, index, 'firstPage'],
        message: `§ ${s.number} starts before § ${previous.number} ends: list the sections in page order.`,
      });
  });
}

export const createMinutesRequest = z
  .object({
    body: z.object({
      id: z
        .string()
        .trim()
        .regex(/^[a-z0-9-]{2,60}$/, 'A short id like "kunnanhallitus".'),
      name: text(200),
      /** "strong": the body requires its chair and secretary to identify strongly (Suomi.fi e-Identification) before signing. */
      identification: z.enum(['link', 'strong']).default('link'),
    }),
    meeting: z.object({ date: z.iso.date({ message: 'Use a date like 2026-08-01.' }), number: text(40), place: text(200) }),
    title: text(200).optional(),
    language: z.enum(LANGUAGES).default('fi'),
    /** The draft minutes, uploaded with POST /api/documents. */
    documentVersionId: text(100),
    sections: z.array(section).min(1, 'List the sections (§) of the minutes.').max(500),
    chair: signer,
    secretary: signer,
    checkers: z.array(person).min(1, 'Name at least one minute-checker.').max(3, 'At most three minute-checkers.'),
    checkingDeadline: z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-08-03T16:00:00+03:00.' }),
    signingDays: z.number().positive().max(60).default(7),
    reminderIntervalHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    maxReminders: z.number().int().min(0).max(10).default(2),
    publish: z.boolean().default(true),
    /** A separate public version uploaded by the secretary, used on the public page instead of an extract. */
    publicVersionId: text(100).optional(),
    taskClass: z
      .string()
      .refine((c) => c in RECORDS_PLAN, 'Not a task class of the records management plan.')
      .default(MINUTES_TASK_CLASS),
  })
  .superRefine((r, ctx) => {
    checkSections(r.sections, ctx);
    if (r.body.identification === 'strong')
      for (const role of ['chair', 'secretary'] as const)
        if (!r[role].identityCode)
          ctx.addIssue({
            code: 'custom',
            path: [role, 'identityCode'],
            message: `The body requires strong identification: give the ${role}'s personal identity code.`,
          });
    const deadline = Date.parse(r.checkingDeadline);
    if (deadline <= Date.parse(`${r.meeting.date}T00:00:00Z`))
      ctx.addIssue({ code: 'custom', path: ['checkingDeadline'], message: 'The checking deadline is before the meeting.' });
    else if (deadline <= Date.now())
      ctx.addIssue({ code: 'custom', path: ['checkingDeadline'], message: 'The checking deadline is in the past.' });
    const seen = new Map<string, string>();
    const everyone: [string, z.infer<typeof person>][] = [
      ['chair', r.chair],
      ['secretary', r.secretary],
      ...r.checkers.map((c, i) => [`checkers.${i}`, c] as [string, z.infer<typeof person>]),
    ];
    for (const [where, p] of everyone) {
      const key = p.email.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: [...where.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)), 'email'],
          message: `The same person is already named as ${seen.get(key)}.`,
        });
      seen.set(key, where);
    }
  });
export type CreateMinutesRequest = z.input<typeof createMinutesRequest>;

export const newVersionRequest = z
  .object({
    documentVersionId: text(100),
    /** The sections' pages in the new version, when they moved; numbers, titles and publicity must stay as they were. */
    sections: z.array(section).min(1).max(500).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.sections) checkSections(r.sections, ctx);
  });
