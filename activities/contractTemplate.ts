import { textsFor } from '../texts/catalog';
import type { Language } from '../texts/language';
import type { ContractTerms } from '../store/employmentContracts';
import { PdfTextFlow } from './pdfTextFlow';

/**
 * The built-in employment contract (työsopimus / arbetsavtal): the terms the
 * Employment Contracts Act 55/2001 2:4 requires in writing, in the signer's
 * language. The labels are in the language catalogs (texts/*.ts,
 * `contractPdf`), which must all have every label.
 */

/** Finnish dates read as d.m.yyyy in every language of the contract; ISO input. */
function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day}.${month}.${year}`;
}

export async function renderContractPdf(terms: ContractTerms, language: Language, title: string): Promise<Buffer> {
  const l = textsFor(language).contractPdf;
  const flow = await PdfTextFlow.create({ title, language: { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language], footer: l.footer });
  flow.heading(title, 20).space(6);

  flow.heading(l.parties, 13);
  flow.row(l.employer, terms.employer.name);
  if (terms.employer.businessId) flow.row(l.businessId, terms.employer.businessId);
  flow.row(l.address, terms.employer.address);
  flow.space(4);
  flow.row(l.employee, terms.employee.name);
  flow.row(l.address, terms.employee.address);
  flow.rule();

  flow.heading(l.term, 13);
  flow.row(l.duration, terms.endDate ? l.fixedTerm : l.indefinite);
  flow.row(l.startDate, formatDate(terms.startDate));
  if (terms.endDate) {
    flow.row(l.endDate, formatDate(terms.endDate));
    flow.row(l.fixedTermReason, terms.fixedTermReason ?? '');
  }
  flow.row(l.trialPeriod, terms.trialPeriod?.trim() || l.noTrialPeriod);
  flow.rule();

  flow.heading(l.work, 13);
  flow.row(l.placeOfWork, terms.placeOfWork);
  flow.row(l.duties, terms.duties);
  flow.rule();

  flow.heading(l.pay, 13);
  flow.row(l.payBasis, terms.payBasis);
  flow.row(l.payPeriod, terms.payPeriod);
  flow.rule();

  flow.heading(l.hours, 13);
  flow.row(l.workingHours, terms.workingHours);
  flow.row(l.annualLeave, terms.annualLeave);
  flow.row(l.noticePeriod, terms.noticePeriod);
  flow.row(l.collectiveAgreement, terms.collectiveAgreement);
  flow.rule();

  flow.paragraph(l.closing, 10);
  return flow.save();
}
