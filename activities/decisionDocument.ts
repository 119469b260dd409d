import type { FormDefinition } from '../forms/formDefinitions';
import { textsFor } from '../texts/catalog';
import type { Language } from '../texts/language';
import type { ApplicationRecord, DecisionOutcome } from '../store/applications';
import { PdfTextFlow } from './pdfTextFlow';

/**
 * The decision (päätös) on an application as a PDF: the case, what was
 * applied for, the decision and its reasoning, the decision date, and the
 * rectification instructions (oikaisuvaatimusohje) of the Local Government
 * Act § 134 and § 138, in the applicant's language. The texts are in the
 * language catalogs (texts/*.ts, `decisionPdf`); the decision on a
 * rectification request carries the municipal appeal instructions
 * (kunnallisvalitus, Local Government Act §§ 135–137).
 */

function euros(amount: string, language: Language): string {
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language];
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(Number(amount));
}

/** A calendar date (YYYY-MM-DD) as Finland writes it in every language of the decision: 30.11.2026. */
export function finnishDate(calendarDate: string): string {
  const [year, month, day] = calendarDate.split('-').map(Number);
  return `${day}.${month}.${year}`;
}

export async function renderDecisionPdf(input: {
  form: FormDefinition;
  application: ApplicationRecord;
  organization: string;
  decision: { outcome: DecisionOutcome; amount: string; reasoning: string; decidedOn: string };
}): Promise<Buffer> {
  const { form, application, decision } = input;
  const language = application.language;
  const texts = textsFor(language).decisionPdf;
  const l = texts.labels;
  const title = `${form.title[language]} – ${application.caseNumber}`;
  const flow = await PdfTextFlow.create({ title, language, footer: `${input.organization} · ${application.caseNumber}` });
  flow
    .paragraph(input.organization)
    .heading(l.decision)
    .paragraph(form.title[language])
    .space()
    .row(l.case, application.caseNumber ?? '')
    .row(l.applicant, application.values[form.roles.applicantName] ?? '')
    .row(l.date, finnishDate(decision.decidedOn))
    .row(l.applied, euros(application.values[form.roles.amount] ?? '0', language));
  if (decision.outcome !== 'deny') flow.row(l.granted, euros(decision.amount, language));
  flow
    .space()
    .paragraph(texts.outcome[decision.outcome], 12)
    .space()
    .heading(l.reasoning, 12)
    .paragraph(decision.reasoning)
    .space()
    .rule()
    .heading(l.instructionsTitle, 12);
  for (const paragraph of texts.rectificationInstructions) flow.paragraph(paragraph, 9).space(4);
  return flow.save();
}

export async function renderRectificationDecisionPdf(input: {
  form: FormDefinition;
  application: ApplicationRecord;
  organization: string;
  decision: { resolution: 'upheld' | 'corrected'; outcome: DecisionOutcome; amount: string; reasoning: string; decidedOn: string };
}): Promise<Buffer> {
  const { form, application, decision } = input;
  const language = application.language;
  const texts = textsFor(language).decisionPdf;
  const l = texts.labels;
  const r = texts.rectificationDecision;
  const flow = await PdfTextFlow.create({
    title: `${r.title} – ${application.caseNumber}`,
    language,
    footer: `${input.organization} · ${application.caseNumber}`,
  });
  flow
    .paragraph(input.organization)
    .heading(r.title)
    .paragraph(form.title[language])
    .space()
    .row(l.case, application.caseNumber ?? '')
    .row(l.applicant, application.values[form.roles.applicantName] ?? '')
    .row(l.date, finnishDate(decision.decidedOn))
    .space()
    .paragraph(r[decision.resolution], 12)
    .space()
    .heading(r.now, 12)
    .paragraph(texts.outcome[decision.outcome]);
  if (decision.outcome !== 'deny') flow.row(l.granted, euros(decision.amount, language));
  flow.space().heading(l.reasoning, 12).paragraph(decision.reasoning).space().rule().heading(r.appealTitle, 12);
  for (const paragraph of texts.appealInstructions) flow.paragraph(paragraph, 9).space(4);
  return flow.save();
}
