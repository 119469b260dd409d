import escapeHtml from 'escape-html';
import { Language, LANGUAGES } from '../../mail/templates';
import { helsinkiTime } from '../../common/helsinkiTime';
import { htmlPage, languageNav } from './htmlPage';

/**
 * HR's pages for employment contracts, rendered on the server: sign in,
 * the list, a new contract (template or PDF), one contract with its
 * actions and history. No script. Written to WCAG 2.1 AA like the signer's
 * pages: declared language, visible labels, errors as text tied to their
 * fields and summarised at the top, 4.5:1 contrast, visible focus.
 */

const TEXTS = {
  fi: {
    languageName: 'Suomi', languages: 'Kieli', app: 'Työsopimukset', signInHeading: 'Kirjaudu sisään', token: 'Henkilöstötunnus (token)',
    tokenHint: 'Saat tunnuksen pääkäyttäjältä.', signIn: 'Kirjaudu', signOut: 'Kirjaudu ulos', badToken: 'Tunnus ei kelpaa tai sillä ei ole HR-oikeuksia.',
    list: 'Sopimukset', newContract: 'Uusi sopimus', title: 'Otsikko', status: 'Tila', awaited: 'Odottaa', timeLeft: 'Aikaa jäljellä', created: 'Luotu',
    none: 'Ei sopimuksia vielä.', nobody: '–', days: (d: number, h: number) => `${d} pv ${h} h`,
    statuses: { starting: 'käynnistyy', preparing: 'valmistellaan', awaiting_signatures: 'odottaa allekirjoituksia', certifying: 'viimeistellään', sealing: 'sinetöidään', delivering: 'toimitetaan', archiving: 'arkistoidaan', completed: 'valmis', declined: 'kieltäydytty', expired: 'vanhentunut', cancelled: 'peruttu' } as Record<string, string>,
    roles: { employee: 'Työntekijä', employer: 'Työnantajan edustaja' } as Record<string, string>,
    signerStatus: { waiting: 'odottaa vuoroaan', invited: 'kutsuttu', deciding: 'käsittelyssä', signed: 'allekirjoittanut', declined: 'kieltäytynyt' } as Record<string, string>,
    source: 'Asiakirja', fromTemplate: 'Täytä sopimuspohja', fromPdf: 'Lataa valmis PDF', pdfFile: 'PDF-tiedosto', documentLanguage: 'Asiakirjan kieli',
    terms: 'Sopimuksen ehdot (sopimuspohjaa varten)', employer: 'Työnantaja', employee: 'Työntekijä', name: 'Nimi', address: 'Osoite', businessId: 'Y-tunnus',
    startDate: 'Alkamispäivä', endDate: 'Päättymispäivä (määräaikainen)', fixedTermReason: 'Määräaikaisuuden peruste', trialPeriod: 'Koeaika',
    placeOfWork: 'Työntekopaikka', duties: 'Työtehtävät', payBasis: 'Palkan peruste', payPeriod: 'Palkanmaksukausi', workingHours: 'Työaika',
    annualLeave: 'Vuosiloma', noticePeriod: 'Irtisanomisaika', collectiveAgreement: 'Työehtosopimus',
    signersHeading: 'Allekirjoittajat', employeeSigner: 'Työntekijä', employerSigner: 'Työnantajan edustaja', email: 'Sähköposti', phone: 'Puhelin (valinnainen)',
    signerLanguage: 'Viestien kieli', order: 'Järjestys', sequential: 'Ensin työntekijä, sitten työnantaja', parallel: 'Kaikki yhtä aikaa',
    deadlineDays: 'Määräaika (päivää)', verification: 'Tunnistautuminen ennen allekirjoitusta', verifications: { none: 'Ei erillistä', emailCode: 'Kertakäyttökoodi sähköpostiin', smsCode: 'Kertakäyttökoodi tekstiviestinä' } as Record<string, string>,
    hrEmail: 'Sähköpostisi (ilmoitukset)', send: 'Lähetä allekirjoitettavaksi', fixErrors: 'Korjaa nämä kohdat', required: 'pakollinen',
    deadline: 'Määräaika', signersOf: 'Allekirjoittajat', resend: 'Lähetä kutsu uudelleen', extendHeading: 'Pidennä määräaikaa', extendBy: 'Pidennä päivillä',
    extend: 'Pidennä', cancelHeading: 'Peru sopimus', reason: 'Peruutuksen syy (kerrotaan allekirjoittajille)', cancel: 'Peru', downloads: 'Lataukset',
    sealedPdf: 'Sinetöity sopimus (PDF)', certificate: 'Tarkastuslokin todistus (PDF)', history: 'Tapahtumat', back: 'Takaisin listaan',
    done: { created: 'Sopimus lähetettiin allekirjoitettavaksi.', resent: 'Kutsu lähetettiin uudelleen.', extended: 'Määräaikaa pidennettiin.', cancelled: 'Sopimus peruttiin.' } as Record<string, string>,
    actionFailed: 'Toiminto ei onnistunut', actions: 'Toiminnot',
  },
  sv: {
    languageName: 'Svenska', languages: 'Språk', app: 'Arbetsavtal', signInHeading: 'Logga in', token: 'Personalnyckel (token)',
    tokenHint: 'Du får nyckeln av huvudanvändaren.', signIn: 'Logga in', signOut: 'Logga ut', badToken: 'Nyckeln är ogiltig eller har inte HR-behörighet.',
    list: 'Avtal', newContract: 'Nytt avtal', title: 'Rubrik', status: 'Status', awaited: 'Väntar på', timeLeft: 'Tid kvar', created: 'Skapat',
    none: 'Inga avtal ännu.', nobody: '–', days: (d: number, h: number) => `${d} d ${h} h`,
    statuses: { starting: 'startar', preparing: 'förbereds', awaiting_signatures: 'väntar på underskrifter', certifying: 'slutförs', sealing: 'förseglas', delivering: 'levereras', archiving: 'arkiveras', completed: 'klart', declined: 'avböjt', expired: 'utgånget', cancelled: 'återkallat' } as Record<string, string>,
    roles: { employee: 'Arbetstagare', employer: 'Arbetsgivarens företrädare' } as Record<string, string>,
    signerStatus: { waiting: 'väntar på sin tur', invited: 'inbjuden', deciding: 'behandlas', signed: 'har undertecknat', declined: 'har avböjt' } as Record<string, string>,
    source: 'Dokument', fromTemplate: 'Fyll i avtalsmallen', fromPdf: 'Ladda upp en färdig PDF', pdfFile: 'PDF-fil', documentLanguage: 'Dokumentets språk',
    terms: 'Avtalsvillkor (för mallen)', employer: 'Arbetsgivare', employee: 'Arbetstagare', name: 'Namn', address: 'Adress', businessId: 'FO-nummer',
    startDate: 'Startdatum', endDate: 'Slutdatum (visstid)', fixedTermReason: 'Grund för visstid', trialPeriod: 'Prövotid',
    placeOfWork: 'Arbetsplats', duties: 'Arbetsuppgifter', payBasis: 'Lönegrund', payPeriod: 'Löneperiod', workingHours: 'Arbetstid',
    annualLeave: 'Semester', noticePeriod: 'Uppsägningstid', collectiveAgreement: 'Kollektivavtal',
    signersHeading: 'Undertecknare', employeeSigner: 'Arbetstagare', employerSigner: 'Arbetsgivarens företrädare', email: 'E-post', phone: 'Telefon (frivillig)',
    signerLanguage: 'Meddelandenas språk', order: 'Ordning', sequential: 'Först arbetstagaren, sedan arbetsgivaren', parallel: 'Alla samtidigt',
    deadlineDays: 'Tidsfrist (dagar)', verification: 'Identifiering före underskrift', verifications: { none: 'Ingen separat', emailCode: 'Engångskod per e-post', smsCode: 'Engångskod per sms' } as Record<string, string>,
    hrEmail: 'Din e-post (meddelanden)', send: 'Skicka för underskrift', fixErrors: 'Rätta följande', required: 'obligatorisk',
    deadline: 'Tidsfrist', signersOf: 'Undertecknare', resend: 'Skicka inbjudan på nytt', extendHeading: 'Förläng tidsfristen', extendBy: 'Förläng med dagar',
    extend: 'Förläng', cancelHeading: 'Återkalla avtalet', reason: 'Orsak (meddelas undertecknarna)', cancel: 'Återkalla', downloads: 'Nedladdningar',
    sealedPdf: 'Förseglat avtal (PDF)', certificate: 'Intyg över granskningsloggen (PDF)', history: 'Händelser', back: 'Tillbaka till listan',
    done: { created: 'Avtalet skickades för underskrift.', resent: 'Inbjudan skickades på nytt.', extended: 'Tidsfristen förlängdes.', cancelled: 'Avtalet återkallades.' } as Record<string, string>,
    actionFailed: 'Åtgärden lyckades inte', actions: 'Åtgärder',
  },
  en: {
    languageName: 'English', languages: 'Language', app: 'Employment contracts', signInHeading: 'Sign in', token: 'Staff token',
    tokenHint: 'Your administrator gives you the token.', signIn: 'Sign in', signOut: 'Sign out', badToken: 'The token is not valid or has no HR rights.',
    list: 'Contracts', newContract: 'New contract', title: 'Title', status: 'Status', awaited: 'Awaiting', timeLeft: 'Time left', created: 'Created',
    none: 'No contracts yet.', nobody: '–', days: (d: number, h: number) => `${d} d ${h} h`,
    statuses: { starting: 'starting', preparing: 'being prepared', awaiting_signatures: 'awaiting signatures', certifying: 'being finished', sealing: 'being sealed', delivering: 'being delivered', archiving: 'being archived', completed: 'completed', declined: 'declined', expired: 'expired', cancelled: 'cancelled' } as Record<string, string>,
    roles: { employee: 'Employee', employer: "Employer's representative" } as Record<string, string>,
    signerStatus: { waiting: 'waiting for their turn', invited: 'invited', deciding: 'being processed', signed: 'signed', declined: 'declined' } as Record<string, string>,
    source: 'Document', fromTemplate: 'Fill in the contract template', fromPdf: 'Upload a finished PDF', pdfFile: 'PDF file', documentLanguage: 'Document language',
    terms: 'Contract terms (for the template)', employer: 'Employer', employee: 'Employee', name: 'Name', address: 'Address', businessId: 'Business ID',
    startDate: 'Start date', endDate: 'End date (fixed term)', fixedTermReason: 'Reason for the fixed term', trialPeriod: 'Trial period',
    placeOfWork: 'Place of work', duties: 'Duties', payBasis: 'Pay basis', payPeriod: 'Pay period', workingHours: 'Working hours',
    annualLeave: 'Annual leave', noticePeriod: 'Notice period', collectiveAgreement: 'Collective agreement',
    signersHeading: 'Signers', employeeSigner: 'Employee', employerSigner: "Employer's representative", email: 'E-mail', phone: 'Phone (optional)',
    signerLanguage: 'Language of messages', order: 'Order', sequential: 'Employee first, then the employer', parallel: 'Everyone at once',
    deadlineDays: 'Deadline (days)', verification: 'Identification before signing', verifications: { none: 'None besides the link', emailCode: 'One-time code by e-mail', smsCode: 'One-time code by text message' } as Record<string, string>,
    hrEmail: 'Your e-mail (notifications)', send: 'Send for signature', fixErrors: 'Please fix the following', required: 'required',
    deadline: 'Deadline', signersOf: 'Signers', resend: 'Resend the invitation', extendHeading: 'Extend the deadline', extendBy: 'Extend by days',
    extend: 'Extend', cancelHeading: 'Cancel the contract', reason: 'Reason (the signers are told)', cancel: 'Cancel', downloads: 'Downloads',
    sealedPdf: 'Sealed contract (PDF)', certificate: 'Audit certificate (PDF)', history: 'Events', back: 'Back to the list',
    done: { created: 'The contract was sent for signature.', resent: 'The invitation was sent again.', extended: 'The deadline was extended.', cancelled: 'The contract was cancelled.' } as Record<string, string>,
    actionFailed: 'The action did not succeed', actions: 'Actions',
  },
} as const;

export type HrTexts = (typeof TEXTS)['fi'];
export const hrTexts = (language: Language) => TEXTS[language] as unknown as HrTexts;

function formatTime(at: Date | string, language: Language): string {
  return helsinkiTime(at, language, 'medium', 'short');
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1b1b1b;background:#f4f5f7}
header{background:#123c69;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}
header p{margin:0;font-weight:600}header a{color:#fff}header ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header form{margin:0}header button{width:auto;min-height:2.25rem;margin:0;padding:0 .75rem;background:#fff;color:#123c69}
main{max-width:64rem;margin:0 auto;padding:1rem}section,fieldset{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
legend{font-weight:700;padding:0 .25rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .75rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #c9ced6;vertical-align:top}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #c45500;outline-offset:2px}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.25rem 0}
input[type=text],input[type=email],input[type=password],input[type=date],input[type=number],input[type=tel],select,textarea{width:100%;max-width:32rem;font:inherit;padding:.5rem;border:2px solid #5a6270;border-radius:.25rem;background:#fff}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 1.5rem}
.hint{color:#4a4f57;font-size:.95rem;margin:.25rem 0}.error{color:#a4000f;font-weight:600}.errors{border:2px solid #a4000f}.ok{border:2px solid #0b5a1e}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:0 1.25rem;margin-top:1rem;border-radius:.4rem;border:2px solid #123c69;cursor:pointer;background:#123c69;color:#fff}
button.secondary{background:#fff;color:#123c69}td button{margin:0}
`;

function layout(language: Language, title: string, organization: string, body: string, options: { signedIn: boolean; selfHref: (l: Language) => string }): string {
  const t = hrTexts(language);
  const q = `?lang=${language}`;
  const staffNav = options.signedIn
    ? `<li><a href="/hr${q}">${escapeHtml(t.list)}</a></li><li><a href="/hr/new${q}">${escapeHtml(t.newContract)}</a></li>`
      + `<li><form method="post" action="/hr/sign-out${q}"><button type="submit">${escapeHtml(t.signOut)}</button></form></li>`
    : '';
  return htmlPage({
    language, title: `${title} – ${t.app} – ${organization}`, style: STYLE, body,
    header: `<p>${escapeHtml(organization)}: ${escapeHtml(t.app)}</p><nav aria-label="${escapeHtml(t.app)}"><ul>${staffNav}</ul></nav>`
      + languageNav(t.languages, language, LANGUAGES, (l) => ({ href: options.selfHref(l), name: hrTexts(l).languageName })),
  });
}

export function signInPage(language: Language, organization: string, failed: boolean): string {
  const t = hrTexts(language);
  const body = `<h1>${escapeHtml(t.signInHeading)}</h1>
${failed ? `<section class="errors" role="alert"><p id="token-error" class="error">${escapeHtml(t.badToken)}</p></section>` : ''}
<section><form method="post" action="/hr/session?lang=${language}">
<label for="token">${escapeHtml(t.token)}</label><p id="token-hint" class="hint">${escapeHtml(t.tokenHint)}</p>
<input type="password" id="token" name="token" autocomplete="current-password" required aria-describedby="token-hint${failed ? ' token-error' : ''}"${failed ? ' aria-invalid="true"' : ''}>
<button type="submit">${escapeHtml(t.signIn)}</button></form></section>`;
  return layout(language, t.signInHeading, organization, body, { signedIn: false, selfHref: (l) => `/hr?lang=${l}` });
}

export interface ContractRow { contractId: string; title: string; status: string; awaited: { role: string; name: string }[]; timeLeftSeconds: number | null; createdAt: Date }

function timeLeft(t: HrTexts, seconds: number | null): string {
  if (seconds === null) return t.nobody;
  return t.days(Math.floor(seconds / 86400), Math.floor((seconds % 86400) / 3600));
}

function notice(t: HrTexts, done?: string): string {
  return done && t.done[done] ? `<section class="ok" role="status"><p>${escapeHtml(t.done[done])}</p></section>` : '';
}

export function contractListPage(language: Language, organization: string, rows: ContractRow[], done?: string): string {
  const t = hrTexts(language);
  const q = `?lang=${language}`;
  const table = rows.length === 0 ? `<p>${escapeHtml(t.none)}</p>` : `<table><caption class="hint">${escapeHtml(t.list)}</caption><thead><tr>
<th scope="col">${escapeHtml(t.title)}</th><th scope="col">${escapeHtml(t.status)}</th><th scope="col">${escapeHtml(t.awaited)}</th><th scope="col">${escapeHtml(t.timeLeft)}</th><th scope="col">${escapeHtml(t.created)}</th></tr></thead><tbody>
${rows.map((r) => `<tr><td><a href="/hr/contracts/${encodeURIComponent(r.contractId)}${q}">${escapeHtml(r.title)}</a></td><td>${escapeHtml(t.statuses[r.status] ?? r.status)}</td>`
    + `<td>${r.awaited.length ? r.awaited.map((a) => `${escapeHtml(a.name)} (${escapeHtml(t.roles[a.role] ?? a.role)})`).join(', ') : t.nobody}</td>`
    + `<td>${escapeHtml(timeLeft(t, r.timeLeftSeconds))}</td><td>${escapeHtml(formatTime(r.createdAt, language))}</td></tr>`).join('\n')}
</tbody></table>`;
  const body = `<h1>${escapeHtml(t.list)}</h1>${notice(t, done)}<p><a href="/hr/new${q}">${escapeHtml(t.newContract)}</a></p>${table}`;
  return layout(language, t.list, organization, body, { signedIn: true, selfHref: (l) => `/hr?lang=${l}` });
}

export interface FieldError { field: string; message: string }

/** The new-contract form; `values` are what was posted (kept on an error), `errors` name their fields. */
export function newContractPage(language: Language, organization: string, values: Record<string, string>, errors: FieldError[] = []): string {
  const t = hrTexts(language);
  const errorOf = (field: string) => errors.find((e) => e.field === field);
  const described = (field: string, hint?: boolean) => {
    const ids = [hint ? `${field}-hint` : '', errorOf(field) ? `${field}-error` : ''].filter(Boolean).join(' ');
    return `${ids ? ` aria-describedby="${ids}"` : ''}${errorOf(field) ? ' aria-invalid="true"' : ''}`;
  };
  const errorText = (field: string) => (errorOf(field) ? `<p id="${field}-error" class="error">${escapeHtml(errorOf(field)!.message)}</p>` : '');
  const input = (field: string, label: string, type = 'text', required = false, extra = '') =>
    `<div><label for="${field}">${escapeHtml(label)}${required ? ` <span class="hint">(${escapeHtml(t.required)})</span>` : ''}</label>`
    + `<input type="${type}" id="${field}" name="${field}" value="${escapeHtml(values[field] ?? '')}"${required ? ' required' : ''}${extra}${described(field)}>${errorText(field)}</div>`;
  const select = (field: string, label: string, options: [string, string][]) =>
    `<div><label for="${field}">${escapeHtml(label)}</label><select id="${field}" name="${field}"${described(field)}>`
    + options.map(([value, text]) => `<option value="${value}"${(values[field] ?? options[0][0]) === value ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('')
    + `</select>${errorText(field)}</div>`;
  const languageOptions = LANGUAGES.map((l) => [l, hrTexts(l).languageName] as [string, string]);
  const source = values.source === 'pdf' ? 'pdf' : 'template';
  const body = `<h1>${escapeHtml(t.newContract)}</h1>
${errors.length ? `<section class="errors" role="alert" aria-labelledby="errors-heading"><h2 id="errors-heading">${escapeHtml(t.fixErrors)}</h2><ul>`
    + errors.map((e) => `<li><a href="#${escapeHtml(e.field)}">${escapeHtml(e.message)}</a></li>`).join('') + '</ul></section>' : ''}
<form method="post" action="/hr/contracts?lang=${language}" enctype="multipart/form-data">
<fieldset><legend>${escapeHtml(t.source)}</legend>
<label class="choice"><input type="radio" name="source" value="template"${source === 'template' ? ' checked' : ''}> ${escapeHtml(t.fromTemplate)}</label>
<label class="choice"><input type="radio" name="source" value="pdf"${source === 'pdf' ? ' checked' : ''}> ${escapeHtml(t.fromPdf)}</label>
<div class="grid">${input('title', t.title)}${select('language', t.documentLanguage, languageOptions)}
<div><label for="pdf">${escapeHtml(t.pdfFile)}</label><input type="file" id="pdf" name="pdf" accept="application/pdf"${described('pdf')}>${errorText('pdf')}</div></div>
</fieldset>
<fieldset><legend>${escapeHtml(t.terms)}</legend>
<div class="grid">${input('employerName', `${t.employer}: ${t.name}`)}${input('employerAddress', `${t.employer}: ${t.address}`)}${input('employerBusinessId', `${t.employer}: ${t.businessId}`)}
${input('employeeName', `${t.employee}: ${t.name}`)}${input('employeeAddress', `${t.employee}: ${t.address}`)}
${input('startDate', t.startDate, 'date')}${input('endDate', t.endDate, 'date')}${input('fixedTermReason', t.fixedTermReason)}${input('trialPeriod', t.trialPeriod)}
${input('placeOfWork', t.placeOfWork)}${input('duties', t.duties)}${input('payBasis', t.payBasis)}${input('payPeriod', t.payPeriod)}
${input('workingHours', t.workingHours)}${input('annualLeave', t.annualLeave)}${input('noticePeriod', t.noticePeriod)}${input('collectiveAgreement', t.collectiveAgreement)}</div>
</fieldset>
<fieldset><legend>${escapeHtml(t.signersHeading)}</legend>
<div class="grid">${input('employeeSignerName', `${t.employeeSigner}: ${t.name}`, 'text', true, ' autocomplete="off"')}${input('employeeSignerEmail', `${t.employeeSigner}: ${t.email}`, 'email', true, ' autocomplete="off"')}
${input('employeeSignerPhone', `${t.employeeSigner}: ${t.phone}`, 'tel', false, ' autocomplete="off"')}${select('employeeSignerLanguage', `${t.employeeSigner}: ${t.signerLanguage}`, languageOptions)}
${input('employerSignerName', `${t.employerSigner}: ${t.name}`, 'text', true, ' autocomplete="off"')}${input('employerSignerEmail', `${t.employerSigner}: ${t.email}`, 'email', true, ' autocomplete="off"')}
${input('employerSignerPhone', `${t.employerSigner}: ${t.phone}`, 'tel', false, ' autocomplete="off"')}${select('employerSignerLanguage', `${t.employerSigner}: ${t.signerLanguage}`, languageOptions)}
${select('signingOrder', t.order, [['sequential', t.sequential], ['parallel', t.parallel]])}
${input('deadlineDays', t.deadlineDays, 'number', true, ' min="1" max="60"')}
${select('verification', t.verification, (['none', 'emailCode', 'smsCode'] as const).map((v) => [v, t.verifications[v]] as [string, string]))}
${input('hrEmail', t.hrEmail, 'email', true, ' autocomplete="email"')}</div>
</fieldset>
<button type="submit">${escapeHtml(t.send)}</button>
</form>`;
  return layout(language, t.newContract, organization, body, { signedIn: true, selfHref: (l) => `/hr/new?lang=${l}` });
}

export interface ContractDetail {
  contractId: string;
  title: string;
  status: string;
  deadlineAt: string;
  timeLeftSeconds: number | null;
  open: boolean;
  signers: { participantId: string; name: string; email: string; role: string; order: number; status?: string }[];
  completed: boolean;
  history: { at: Date; action: string; actor: string }[];
}

export function contractDetailPage(language: Language, organization: string, c: ContractDetail, message?: { done?: string; error?: string }): string {
  const t = hrTexts(language);
  const q = `?lang=${language}`;
  const base = `/hr/contracts/${encodeURIComponent(c.contractId)}`;
  const signers = `<table><caption class="hint">${escapeHtml(t.signersOf)}</caption><thead><tr><th scope="col">${escapeHtml(t.order)}</th><th scope="col">${escapeHtml(t.name)}</th>`
    + `<th scope="col">${escapeHtml(t.email)}</th><th scope="col">${escapeHtml(t.status)}</th><th scope="col">${escapeHtml(t.actions)}</th></tr></thead><tbody>`
    + c.signers.map((s) => `<tr><td>${s.order}</td><td>${escapeHtml(s.name)} (${escapeHtml(t.roles[s.role] ?? s.role)})</td><td>${escapeHtml(s.email)}</td>`
      + `<td>${escapeHtml(t.signerStatus[s.status ?? 'waiting'] ?? s.status ?? '')}</td><td>`
      + (c.open && s.status === 'invited'
        ? `<form method="post" action="${base}/resend${q}"><input type="hidden" name="participantId" value="${escapeHtml(s.participantId)}"><button type="submit" class="secondary" aria-label="${escapeHtml(`${t.resend}: ${s.name}`)}">${escapeHtml(t.resend)}</button></form>`
        : t.nobody)
      + '</td></tr>').join('') + '</tbody></table>';
  const actions = c.open ? `
<section aria-labelledby="extend-heading"><h2 id="extend-heading">${escapeHtml(t.extendHeading)}</h2>
<form method="post" action="${base}/extend${q}"><label for="days">${escapeHtml(t.extendBy)}</label>
<input type="number" id="days" name="days" min="1" max="60" value="7" required><button type="submit">${escapeHtml(t.extend)}</button></form></section>
<section aria-labelledby="cancel-heading"><h2 id="cancel-heading">${escapeHtml(t.cancelHeading)}</h2>
<form method="post" action="${base}/cancel${q}"><label for="reason">${escapeHtml(t.reason)}</label>
<textarea id="reason" name="reason" rows="2" maxlength="500" required></textarea><button type="submit" class="secondary">${escapeHtml(t.cancel)}</button></form></section>` : '';
  const downloads = c.completed ? `<section aria-labelledby="downloads-heading"><h2 id="downloads-heading">${escapeHtml(t.downloads)}</h2><ul>
<li><a href="/api/contracts/${encodeURIComponent(c.contractId)}/sealed.pdf">${escapeHtml(t.sealedPdf)}</a></li>
<li><a href="/api/contracts/${encodeURIComponent(c.contractId)}/certificate.pdf">${escapeHtml(t.certificate)}</a></li></ul></section>` : '';
  const body = `<h1>${escapeHtml(c.title)}</h1>
${notice(t, message?.done)}${message?.error ? `<section class="errors" role="alert"><h2>${escapeHtml(t.actionFailed)}</h2><p>${escapeHtml(message.error)}</p></section>` : ''}
<section><dl><dt>${escapeHtml(t.status)}</dt><dd>${escapeHtml(t.statuses[c.status] ?? c.status)}</dd>
<dt>${escapeHtml(t.deadline)}</dt><dd><time datetime="${escapeHtml(c.deadlineAt)}">${escapeHtml(formatTime(c.deadlineAt, language))}</time></dd>
<dt>${escapeHtml(t.timeLeft)}</dt><dd>${escapeHtml(timeLeft(t, c.timeLeftSeconds))}</dd></dl></section>
<section aria-labelledby="signers-heading"><h2 id="signers-heading">${escapeHtml(t.signersOf)}</h2>${signers}</section>
${downloads}${actions}
<section aria-labelledby="history-heading"><h2 id="history-heading">${escapeHtml(t.history)}</h2><ol>
${c.history.map((e) => `<li><time datetime="${new Date(e.at).toISOString()}">${escapeHtml(formatTime(e.at, language))}</time>: ${escapeHtml(e.action)} (${escapeHtml(e.actor)})</li>`).join('')}
</ol></section>
<p><a href="/hr${q}">${escapeHtml(t.back)}</a></p>`;
  return layout(language, c.title, organization, body, { signedIn: true, selfHref: (l) => `${base}?lang=${l}` });
}
