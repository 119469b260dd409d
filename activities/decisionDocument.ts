import type { FormDefinition } from '../forms/formDefinitions';
import type { Language } from '../mail/templates';
import type { ApplicationRecord, DecisionOutcome } from '../store/applications';
import { PdfTextFlow } from './pdfTextFlow';

/**
 * The decision (päätös) on an application as a PDF: the case, what was
 * applied for, the decision and its reasoning, the decision date, and the
 * rectification instructions (oikaisuvaatimusohje) of the Local Government
 * Act § 134 and § 138, in the applicant's language.
 */

const OUTCOME: Record<DecisionOutcome, Record<Language, string>> = {
  approve: { fi: 'Hakemus hyväksytään.', sv: 'Ansökan godkänns.', en: 'The application is approved.' },
  partly: { fi: 'Hakemus hyväksytään osittain.', sv: 'Ansökan godkänns delvis.', en: 'The application is approved in part.' },
  deny: { fi: 'Hakemus hylätään.', sv: 'Ansökan avslås.', en: 'The application is denied.' },
};

const LABELS = {
  fi: { decision: 'PÄÄTÖS', case: 'Asianumero', applicant: 'Hakija', date: 'Päätöspäivä', applied: 'Haettu summa', granted: 'Myönnetty summa', reasoning: 'Perustelut', decisionMaker: 'Päätöksentekijä', instructionsTitle: 'OIKAISUVAATIMUSOHJE' },
  sv: { decision: 'BESLUT', case: 'Ärendenummer', applicant: 'Sökande', date: 'Beslutsdatum', applied: 'Sökt belopp', granted: 'Beviljat belopp', reasoning: 'Motivering', decisionMaker: 'Beslutsfattare', instructionsTitle: 'ANVISNING OM BEGÄRAN OM OMPRÖVNING' },
  en: { decision: 'DECISION', case: 'Case number', applicant: 'Applicant', date: 'Date of decision', applied: 'Amount applied for', granted: 'Amount granted', reasoning: 'Reasoning', decisionMaker: 'Decision-maker', instructionsTitle: 'RECTIFICATION INSTRUCTIONS' },
} satisfies Record<Language, Record<string, string>>;

export const RECTIFICATION_INSTRUCTIONS: Record<Language, string[]> = {
  fi: [
    'Tähän päätökseen tyytymätön voi tehdä kirjallisen oikaisuvaatimuksen. Päätökseen ei saa hakea muutosta valittamalla tuomioistuimeen (kuntalaki 410/2015, 134 §).',
    'Oikaisuvaatimuksen saa tehdä asianosainen eli se, johon päätös on kohdistettu tai jonka oikeuteen, velvollisuuteen tai etuun päätös välittömästi vaikuttaa.',
    'Oikaisuvaatimus on tehtävä 14 päivän kuluessa päätöksen tiedoksisaannista. Asianosaisen katsotaan saaneen päätöksestä tiedon, jollei muuta näytetä, seitsemän päivän kuluttua kirjeen lähettämisestä tai kolmantena päivänä sähköisen viestin lähettämisestä. Jos määräajan viimeinen päivä on pyhäpäivä, itsenäisyyspäivä, vapunpäivä, joulu- tai juhannusaatto tai arkilauantai, saa oikaisuvaatimuksen tehdä ensimmäisenä arkipäivänä sen jälkeen.',
    'Oikaisuvaatimuksesta on käytävä ilmi vaatimus perusteluineen sekä tekijän nimi ja yhteystiedot. Oikaisuvaatimuksen voi tehdä päätöksen tiedoksiannon yhteydessä lähetetyn henkilökohtaisen linkin kautta tai kirjaamoon.',
  ],
  sv: [
    'Den som är missnöjd med detta beslut kan begära omprövning skriftligen. Ändring i beslutet får inte sökas genom besvär hos domstol (kommunallagen 410/2015, 134 §).',
    'Omprövning får begäras av en part, det vill säga den som beslutet avser eller vars rätt, skyldighet eller fördel direkt påverkas av beslutet.',
    'Begäran om omprövning ska framställas inom 14 dagar från delfåendet av beslutet. En part anses ha fått del av beslutet, om inte något annat visas, sju dagar efter att brevet sändes eller den tredje dagen efter att ett elektroniskt meddelande sändes. Om den sista dagen är en helgdag, självständighetsdagen, första maj, julafton, midsommarafton eller en helgfri lördag, får begäran framställas den första vardagen därefter.',
    'Av begäran ska framgå yrkandet och grunderna för det samt framställarens namn och kontaktuppgifter. Begäran kan göras via den personliga länk som sändes med beslutet eller till registratorskontoret.',
  ],
  en: [
    'If you are not satisfied with this decision, you may request rectification in writing. No appeal to a court may be made against this decision (Local Government Act 410/2015, section 134).',
    'A rectification request may be made by a party: the person the decision concerns, or whose right, obligation or interest it directly affects.',
    'The request must be made within 14 days of being notified of the decision. Unless shown otherwise, a party is deemed notified seven days after a letter was sent, or on the third day after an electronic message was sent. If the last day is a public holiday, Independence Day, May Day, Christmas Eve, Midsummer Eve or a Saturday, the request may be made on the next working day.',
    'The request must state what is requested and why, and the name and contact details of the person making it. It can be made through the personal link sent with the decision or to the registry office.',
  ],
};

function euros(amount: string, language: Language): string {
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language];
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(Number(amount));
}

export async function renderDecisionPdf(input: {
  form: FormDefinition;
  application: ApplicationRecord;
  organization: string;
  decision: { outcome: DecisionOutcome; amount: string; reasoning: string; decidedOn: string };
}): Promise<Buffer> {
  const { form, application, decision } = input;
  const language = application.language;
  const l = LABELS[language];
  const title = `${form.title[language]} – ${application.caseNumber}`;
  const flow = await PdfTextFlow.create({ title, language, footer: `${input.organization} · ${application.caseNumber}` });
  flow.paragraph(input.organization).heading(l.decision).paragraph(form.title[language]).space()
    .row(l.case, application.caseNumber ?? '')
    .row(l.applicant, application.values[form.roles.applicantName] ?? '')
    .row(l.date, decision.decidedOn)
    .row(l.applied, euros(application.values[form.roles.amount] ?? '0', language));
  if (decision.outcome !== 'deny') flow.row(l.granted, euros(decision.amount, language));
  flow.space().paragraph(OUTCOME[decision.outcome][language], 12).space()
    .heading(l.reasoning, 12).paragraph(decision.reasoning).space()
    .rule().heading(l.instructionsTitle, 12);
  for (const paragraph of RECTIFICATION_INSTRUCTIONS[language]) flow.paragraph(paragraph, 9).space(4);
  return flow.save();
}

const RECTIFICATION_LABELS = {
  fi: { title: 'PÄÄTÖS OIKAISUVAATIMUKSEEN', upheld: 'Oikaisuvaatimus hylätään. Alkuperäinen päätös pysyy voimassa.', corrected: 'Oikaisuvaatimus hyväksytään ja päätöstä oikaistaan.', now: 'Päätös oikaisun jälkeen', appealTitle: 'VALITUSOSOITUS' },
  sv: { title: 'BESLUT OM BEGÄRAN OM OMPRÖVNING', upheld: 'Begäran om omprövning avslås. Det ursprungliga beslutet står fast.', corrected: 'Begäran om omprövning godkänns och beslutet rättas.', now: 'Beslutet efter omprövningen', appealTitle: 'BESVÄRSANVISNING' },
  en: { title: 'DECISION ON THE REQUEST FOR RECTIFICATION', upheld: 'The request for rectification is rejected. The original decision stands.', corrected: 'The request for rectification is accepted and the decision is corrected.', now: 'The decision after rectification', appealTitle: 'APPEAL INSTRUCTIONS' },
} satisfies Record<Language, Record<string, string>>;

/** Municipal appeal (kunnallisvalitus, Local Government Act §§ 135–137) against a decision on a rectification request. */
export const APPEAL_INSTRUCTIONS: Record<Language, string[]> = {
  fi: [
    'Tähän päätökseen tyytymätön voi hakea siihen muutosta kunnallisvalituksella hallinto-oikeudelta. Valituksen saa tehdä asianosainen ja kunnan jäsen.',
    'Valitus on tehtävä 30 päivän kuluessa päätöksen tiedoksisaannista. Asianosaisen katsotaan saaneen päätöksestä tiedon, jollei muuta näytetä, seitsemän päivän kuluttua kirjeen lähettämisestä tai kolmantena päivänä sähköisen viestin lähettämisestä.',
    'Valituksessa on ilmoitettava päätös, johon haetaan muutosta, miltä osin muutosta haetaan, vaatimukset perusteluineen sekä valittajan nimi ja yhteystiedot. Valituksen voi tehdä myös hallinto- ja erityistuomioistuinten sähköisessä asiointipalvelussa. Muutoksenhaussa voidaan periä oikeudenkäyntimaksu.',
  ],
  sv: [
    'Den som är missnöjd med detta beslut kan söka ändring i det genom kommunalbesvär hos förvaltningsdomstolen. Besvär får anföras av en part och av kommunmedlemmar.',
    'Besvär ska anföras inom 30 dagar från delfåendet av beslutet. En part anses ha fått del av beslutet, om inte något annat visas, sju dagar efter att brevet sändes eller den tredje dagen efter att ett elektroniskt meddelande sändes.',
    'I besvären ska anges det beslut som överklagas, till vilka delar ändring söks, yrkandena och grunderna för dem samt klagandens namn och kontaktuppgifter. Besvär kan också anföras i förvaltnings- och specialdomstolarnas e-tjänst. För ändringssökandet kan en rättegångsavgift tas ut.',
  ],
  en: [
    'If you are not satisfied with this decision, you may appeal against it to the administrative court (municipal appeal). An appeal may be made by a party and by members of the municipality.',
    'The appeal must be made within 30 days of being notified of the decision. Unless shown otherwise, a party is deemed notified seven days after a letter was sent, or on the third day after an electronic message was sent.',
    'The appeal must name the decision appealed against, the parts to be changed, the claims and their grounds, and the name and contact details of the appellant. It can also be made through the e-service of the administrative and special courts. A court fee may be charged.',
  ],
};

export async function renderRectificationDecisionPdf(input: {
  form: FormDefinition;
  application: ApplicationRecord;
  organization: string;
  decision: { resolution: 'upheld' | 'corrected'; outcome: DecisionOutcome; amount: string; reasoning: string; decidedOn: string };
}): Promise<Buffer> {
  const { form, application, decision } = input;
  const language = application.language;
  const l = LABELS[language];
  const r = RECTIFICATION_LABELS[language];
  const flow = await PdfTextFlow.create({ title: `${r.title} – ${application.caseNumber}`, language, footer: `${input.organization} · ${application.caseNumber}` });
  flow.paragraph(input.organization).heading(r.title).paragraph(form.title[language]).space()
    .row(l.case, application.caseNumber ?? '')
    .row(l.applicant, application.values[form.roles.applicantName] ?? '')
    .row(l.date, decision.decidedOn)
    .space().paragraph(r[decision.resolution], 12).space()
    .heading(r.now, 12).paragraph(OUTCOME[decision.outcome][language]);
  if (decision.outcome !== 'deny') flow.row(l.granted, euros(decision.amount, language));
  flow.space().heading(l.reasoning, 12).paragraph(decision.reasoning).space().rule().heading(r.appealTitle, 12);
  for (const paragraph of APPEAL_INSTRUCTIONS[language]) flow.paragraph(paragraph, 9).space(4);
  return flow.save();
}
