import type { Language } from '../mail/templates';
import type { ContractTerms } from '../store/employmentContracts';
import { CONTRACT_TITLE } from '../rules/contractLabels';
import { PdfTextFlow } from './pdfTextFlow';

/**
 * The built-in employment contract (työsopimus / arbetsavtal): the terms the
 * Employment Contracts Act 55/2001 2:4 requires in writing, in the signer's
 * language. Every label is written out in all three languages here, so the
 * three renderings cannot drift apart.
 */

type Labels = Record<
  'heading' | 'parties' | 'employer' | 'employee' | 'businessId' | 'address' | 'term' | 'startDate' | 'endDate' | 'fixedTermReason'
  | 'indefinite' | 'duration' | 'trialPeriod' | 'noTrialPeriod' | 'work' | 'placeOfWork' | 'duties' | 'pay' | 'payBasis' | 'payPeriod'
  | 'hours' | 'workingHours' | 'annualLeave' | 'noticePeriod' | 'collectiveAgreement' | 'closing' | 'footer',
  string
>;

const LABELS: Record<Language, Labels> = {
  fi: {
    heading: CONTRACT_TITLE.fi, parties: 'Sopijapuolet', employer: 'Työnantaja', employee: 'Työntekijä', businessId: 'Y-tunnus', address: 'Osoite',
    term: 'Sopimuksen kesto', startDate: 'Työnteon alkamispäivä', endDate: 'Päättymispäivä', fixedTermReason: 'Määräaikaisuuden peruste',
    indefinite: 'Toistaiseksi voimassa oleva', duration: 'Sopimustyyppi', trialPeriod: 'Koeaika', noTrialPeriod: 'Ei koeaikaa',
    work: 'Työ', placeOfWork: 'Työntekopaikka', duties: 'Pääasialliset työtehtävät', pay: 'Palkka', payBasis: 'Palkan peruste', payPeriod: 'Palkanmaksukausi',
    hours: 'Työaika ja vuosiloma', workingHours: 'Säännöllinen työaika', annualLeave: 'Vuosiloma', noticePeriod: 'Irtisanomisaika',
    collectiveAgreement: 'Sovellettava työehtosopimus',
    closing: 'Tätä sopimusta on laadittu yksi sähköinen kappale, jonka sopijapuolet allekirjoittavat sähköisesti. Kumpikin osapuoli saa allekirjoitetun ja sinetöidyn asiakirjan.',
    footer: 'Työsopimus · sivu',
  },
  sv: {
    heading: CONTRACT_TITLE.sv, parties: 'Avtalsparter', employer: 'Arbetsgivare', employee: 'Arbetstagare', businessId: 'FO-nummer', address: 'Adress',
    term: 'Avtalets giltighet', startDate: 'Arbetet inleds', endDate: 'Slutdatum', fixedTermReason: 'Grund för visstidsanställning',
    indefinite: 'Tills vidare', duration: 'Avtalstyp', trialPeriod: 'Prövotid', noTrialPeriod: 'Ingen prövotid',
    work: 'Arbetet', placeOfWork: 'Arbetsplats', duties: 'Huvudsakliga arbetsuppgifter', pay: 'Lön', payBasis: 'Lönegrund', payPeriod: 'Löneperiod',
    hours: 'Arbetstid och semester', workingHours: 'Ordinarie arbetstid', annualLeave: 'Semester', noticePeriod: 'Uppsägningstid',
    collectiveAgreement: 'Tillämpligt kollektivavtal',
    closing: 'Detta avtal har upprättats i ett elektroniskt exemplar som parterna undertecknar elektroniskt. Båda parterna får det undertecknade och förseglade dokumentet.',
    footer: 'Arbetsavtal · sida',
  },
  en: {
    heading: CONTRACT_TITLE.en, parties: 'Parties', employer: 'Employer', employee: 'Employee', businessId: 'Business ID', address: 'Address',
    term: 'Duration', startDate: 'Start of work', endDate: 'End date', fixedTermReason: 'Reason for the fixed term',
    indefinite: 'Until further notice (permanent)', duration: 'Type of contract', trialPeriod: 'Trial period', noTrialPeriod: 'No trial period',
    work: 'Work', placeOfWork: 'Place of work', duties: 'Main duties', pay: 'Pay', payBasis: 'Basis of pay', payPeriod: 'Pay period',
    hours: 'Working hours and annual leave', workingHours: 'Regular working hours', annualLeave: 'Annual leave', noticePeriod: 'Period of notice',
    collectiveAgreement: 'Applicable collective agreement',
    closing: 'This contract is made as one electronic original that the parties sign electronically. Each party receives the signed and sealed document.',
    footer: 'Employment contract · page',
  },
};

const FIXED_TERM: Record<Language, string> = { fi: 'Määräaikainen', sv: 'Visstidsanställning', en: 'Fixed term' };

/** Finnish dates read as d.m.yyyy in every language of the contract; ISO input. */
function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day}.${month}.${year}`;
}

export async function renderContractPdf(terms: ContractTerms, language: Language, title: string): Promise<Buffer> {
  const l = LABELS[language];
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
  flow.row(l.duration, terms.endDate ? FIXED_TERM[language] : l.indefinite);
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
