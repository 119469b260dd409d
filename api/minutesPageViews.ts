import escapeHtml from 'escape-html';
import type { PageChange } from '../common/pageTextDiff';
import { Language, LANGUAGES } from '../mail/templates';
import { finnishDate } from '../rules/rectificationPeriod';
import type { MinutesFeedback, MinutesReviewRecord, MinutesSection, PublishedMinutes } from '../store/minutesReviews';
import type { MinutesReviewState } from '../workflows/minutesReview';
import { helsinkiTime } from '../common/helsinkiTime';
import { htmlPage, languageNav, PARTICIPANT_PAGE_STYLE } from './views/htmlPage';

/**
 * The minutes pages, rendered on the server: the checker's review page and
 * the chair's and secretary's signing page (phone first, no script, fi/sv/en,
 * written to WCAG 2.1 AA: declared language, visible labels, errors tied to
 * their fields, 4.5:1 contrast, visible focus), the secretary's staff page
 * and the public page of published minutes.
 */

const T = {
  fi: {
    languageName: 'Suomi', languages: 'Kieli', reviewHeading: 'Tarkasta pöytäkirja', signHeading: 'Allekirjoita pöytäkirja',
    body: 'Toimielin', meeting: 'Kokous', yourRole: 'Roolisi', deadline: 'Määräaika', version: (n: number) => `Versio ${n}`,
    checkers: 'Tarkastajat', changes: 'Muutokset edelliseen versioon', changesNone: 'Sivujen tekstissä ei ole muutoksia.',
    page: (n: number) => `Sivu ${n}`, pageAdded: 'uusi sivu', pageRemoved: 'poistettu sivu', removed: 'Poistettu', added: 'Lisätty',
    document: 'Pöytäkirja', openPdf: 'Avaa pöytäkirja PDF-tiedostona', pageImage: (n: number, total: number) => `Sivu ${n} / ${total}`,
    commentsHeading: 'Kommentit pykälittäin', commentsHint: 'Kirjoita korjausehdotus sen pykälän kohdalle, jota se koskee. Tyhjät kentät ohitetaan.',
    commentFor: (s: MinutesSection) => `§ ${s.number} ${s.title} (s. ${s.firstPage}${s.lastPage !== s.firstPage ? `–${s.lastPage}` : ''})`,
    generalComment: 'Muu kommentti', pageNumber: 'Sivu, jota muu kommentti koskee (valinnainen)',
    consent: 'Olen tarkastanut pöytäkirjan ja hyväksyn sen. Hyväksyntäni merkitään pöytäkirjaan tarkastajan allekirjoituksena.',
    approve: 'Hyväksy pöytäkirja', requestCorrections: 'Pyydä korjauksia', decideHeading: 'Päätös',
    errorsHeading: 'Korjaa nämä kohdat', consentMissing: 'Vahvista hyväksyntäsi rastittamalla ruutu.', commentMissing: 'Kirjoita vähintään yksi kommentti korjauspyyntöön.',
    status: { reviewing: 'tarkastaa', approved: 'hyväksyi', corrections: 'pyysi korjauksia' },
    you: 'sinä', approvedHeading: 'Kiitos, hyväksyit pöytäkirjan', correctionsHeading: 'Kiitos, korjauspyyntösi on lähetetty',
    approvedInfo: 'Kun kaikki tarkastajat ovat hyväksyneet saman version, puheenjohtaja ja pöytäkirjanpitäjä allekirjoittavat sen.',
    correctionsInfo: 'Pöytäkirjanpitäjä sai pyyntösi heti. Saat korjatun version sähköpostiisi tarkastettavaksi.',
    receipt: (at: string) => `Kuitti: päätöksesi tallennettiin ${at}.`, documentHash: 'Tarkastetun version tunniste (SHA-256)',
    typedName: 'Kirjoita nimesi', typedNameHint: (name: string) => `Kirjoita nimesi niin kuin se on kutsussa: ${name}`,
    signConsent: 'Olen lukenut pöytäkirjan ja allekirjoitan sen sähköisesti.', sign: 'Allekirjoita', nameMismatch: 'Nimi ei vastaa kutsussa olevaa nimeä.',
    signedHeading: 'Kiitos, allekirjoitit pöytäkirjan', signedInfo: 'Kun kaikki ovat allekirjoittaneet, pöytäkirja sinetöidään ja julkaistaan.',
    roles: { chair: 'Puheenjohtaja', secretary: 'Pöytäkirjanpitäjä', checker: 'Pöytäkirjantarkastaja' },
    explain: {
      unknown: ['Linkki ei kelpaa', 'Tarkista, että avasit koko linkin sähköpostista.'],
      expired: ['Linkki on vanhentunut', 'Ota yhteyttä pöytäkirjanpitäjään.'],
      revoked: ['Linkki ei ole enää käytössä', 'Sinulle on lähetetty uudempi linkki, tai tarkastus on päättynyt. Käytä uusinta sähköpostia.'],
      stale: ['Pöytäkirjasta on uudempi versio', 'Avaa uusin sähköpostilla saamasi linkki ja tarkasta uusin versio.'],
      used: ['Olet jo tehnyt päätöksesi tästä versiosta', 'Saat sähköpostia, jos pöytäkirjasta tulee uusi versio.'],
      notChecker: ['Et ole tämän pöytäkirjan tarkastaja', 'Vain pöytäkirjantarkastajat voivat hyväksyä pöytäkirjan tai pyytää korjauksia.'],
      closed: ['Tarkastus on päättynyt', 'Pöytäkirjan tarkastus on päättynyt. Sinun ei tarvitse tehdä mitään.'],
      busy: ['Pöytäkirjaa valmistellaan', 'Yritä hetken kuluttua uudelleen.'],
    },
    publicHeading: 'Julkaistut pöytäkirjat', publicIntro: 'Tarkastetut pöytäkirjat ovat nähtävänä yleisessä tietoverkossa oikaisuvaatimusajan. Kunnan jäsenen katsotaan saaneen tiedon päätöksistä seitsemän päivän kuluttua julkaisusta.',
    noneYet: 'Ei julkaistuja pöytäkirjoja.', published: 'Julkaistu', notified: 'Tiedoksisaanti', periodEnds: 'Oikaisuvaatimusaika päättyy',
    final: 'Oikaisuvaatimusaika on päättynyt; henkilötiedot on poistettu.', openPublicPdf: (title: string) => `Avaa pöytäkirja PDF-tiedostona: ${title}`,
    sections: 'Pykälät', shown: { full: '', note: 'käsitelty, ei julkaista', removed: 'henkilötiedot poistettu oikaisuvaatimusajan päätyttyä' },
    confidential: 'Salassa pidettävä asia',
  },
  sv: {
    languageName: 'Svenska', languages: 'Språk', reviewHeading: 'Justera protokollet', signHeading: 'Underteckna protokollet',
    body: 'Organ', meeting: 'Möte', yourRole: 'Din roll', deadline: 'Tidsfrist', version: (n: number) => `Version ${n}`,
    checkers: 'Justerare', changes: 'Ändringar jämfört med föregående version', changesNone: 'Sidornas text har inte ändrats.',
    page: (n: number) => `Sida ${n}`, pageAdded: 'ny sida', pageRemoved: 'borttagen sida', removed: 'Borttaget', added: 'Tillagt',
    document: 'Protokoll', openPdf: 'Öppna protokollet som PDF', pageImage: (n: number, total: number) => `Sida ${n} / ${total}`,
    commentsHeading: 'Kommentarer per paragraf', commentsHint: 'Skriv ditt förslag till rättelse vid den paragraf det gäller. Tomma fält hoppas över.',
    commentFor: (s: MinutesSection) => `§ ${s.number} ${s.title} (s. ${s.firstPage}${s.lastPage !== s.firstPage ? `–${s.lastPage}` : ''})`,
    generalComment: 'Annan kommentar', pageNumber: 'Sida som den andra kommentaren gäller (frivilligt)',
    consent: 'Jag har justerat protokollet och godkänner det. Mitt godkännande antecknas i protokollet som justerarens underskrift.',
    approve: 'Godkänn protokollet', requestCorrections: 'Begär rättelser', decideHeading: 'Beslut',
    errorsHeading: 'Rätta följande', consentMissing: 'Bekräfta ditt godkännande genom att kryssa i rutan.', commentMissing: 'Skriv minst en kommentar till begäran om rättelse.',
    status: { reviewing: 'justerar', approved: 'godkände', corrections: 'begärde rättelser' },
    you: 'du', approvedHeading: 'Tack, du godkände protokollet', correctionsHeading: 'Tack, din begäran om rättelse har skickats',
    approvedInfo: 'När alla justerare har godkänt samma version undertecknar ordföranden och protokollföraren den.',
    correctionsInfo: 'Protokollföraren fick din begäran genast. Du får den rättade versionen per e-post att justera.',
    receipt: (at: string) => `Kvitto: ditt beslut sparades ${at}.`, documentHash: 'Den justerade versionens identifierare (SHA-256)',
    typedName: 'Skriv ditt namn', typedNameHint: (name: string) => `Skriv ditt namn så som det står i inbjudan: ${name}`,
    signConsent: 'Jag har läst protokollet och undertecknar det elektroniskt.', sign: 'Underteckna', nameMismatch: 'Namnet motsvarar inte namnet i inbjudan.',
    signedHeading: 'Tack, du har undertecknat protokollet', signedInfo: 'När alla har undertecknat förseglas och publiceras protokollet.',
    roles: { chair: 'Ordförande', secretary: 'Protokollförare', checker: 'Protokolljusterare' },
    explain: {
      unknown: ['Länken är inte giltig', 'Kontrollera att du öppnade hela länken i e-postmeddelandet.'],
      expired: ['Länken har gått ut', 'Kontakta protokollföraren.'],
      revoked: ['Länken används inte längre', 'Du har fått en nyare länk, eller så har justeringen avslutats. Använd det senaste e-postmeddelandet.'],
      stale: ['Det finns en nyare version av protokollet', 'Öppna den senaste länken du fått per e-post och justera den senaste versionen.'],
      used: ['Du har redan fattat ditt beslut om denna version', 'Du får e-post om det kommer en ny version av protokollet.'],
      notChecker: ['Du är inte justerare av detta protokoll', 'Endast protokolljusterarna kan godkänna protokollet eller begära rättelser.'],
      closed: ['Justeringen har avslutats', 'Justeringen av protokollet har avslutats. Du behöver inte göra något.'],
      busy: ['Protokollet förbereds', 'Försök igen om en stund.'],
    },
    publicHeading: 'Publicerade protokoll', publicIntro: 'Justerade protokoll hålls tillgängliga i det allmänna datanätet under tiden för omprövning. En kommunmedlem anses ha fått del av besluten sju dagar efter publiceringen.',
    noneYet: 'Inga publicerade protokoll.', published: 'Publicerat', notified: 'Delfående', periodEnds: 'Tiden för omprövning går ut',
    final: 'Tiden för omprövning har gått ut; personuppgifterna har tagits bort.', openPublicPdf: (title: string) => `Öppna protokollet som PDF: ${title}`,
    sections: 'Paragrafer', shown: { full: '', note: 'behandlat, publiceras inte', removed: 'personuppgifterna borttagna efter tiden för omprövning' },
    confidential: 'Sekretessbelagt ärende',
  },
  en: {
    languageName: 'English', languages: 'Language', reviewHeading: 'Check the minutes', signHeading: 'Sign the minutes',
    body: 'Body', meeting: 'Meeting', yourRole: 'Your role', deadline: 'Deadline', version: (n: number) => `Version ${n}`,
    checkers: 'Minute-checkers', changes: 'Changes from the previous version', changesNone: 'The text of the pages has not changed.',
    page: (n: number) => `Page ${n}`, pageAdded: 'new page', pageRemoved: 'removed page', removed: 'Removed', added: 'Added',
    document: 'Minutes', openPdf: 'Open the minutes as a PDF', pageImage: (n: number, total: number) => `Page ${n} of ${total}`,
    commentsHeading: 'Comments by section', commentsHint: 'Write each correction next to the section it concerns. Empty boxes are skipped.',
    commentFor: (s: MinutesSection) => `§ ${s.number} ${s.title} (p. ${s.firstPage}${s.lastPage !== s.firstPage ? `–${s.lastPage}` : ''})`,
    generalComment: 'Other comment', pageNumber: 'Page the other comment is about (optional)',
    consent: 'I have checked the minutes and approve them. My approval is entered in the minutes as my signature as a checker.',
    approve: 'Approve the minutes', requestCorrections: 'Ask for corrections', decideHeading: 'Decision',
    errorsHeading: 'Please fix the following', consentMissing: 'Confirm your approval by ticking the box.', commentMissing: 'Write at least one comment to ask for corrections.',
    status: { reviewing: 'checking', approved: 'approved', corrections: 'asked for corrections' },
    you: 'you', approvedHeading: 'Thank you, you approved the minutes', correctionsHeading: 'Thank you, your request for corrections was sent',
    approvedInfo: 'Once every checker has approved the same version, the chair and the secretary sign it.',
    correctionsInfo: 'The secretary got your request at once. You will get the corrected version to check by e-mail.',
    receipt: (at: string) => `Receipt: your decision was recorded on ${at}.`, documentHash: 'Identifier of the version you checked (SHA-256)',
    typedName: 'Type your name', typedNameHint: (name: string) => `Type your name as it appears in the invitation: ${name}`,
    signConsent: 'I have read the minutes and I sign them electronically.', sign: 'Sign', nameMismatch: 'The name does not match the name in the invitation.',
    signedHeading: 'Thank you, you have signed the minutes', signedInfo: 'Once everyone has signed, the minutes are sealed and published.',
    roles: { chair: 'Chair', secretary: 'Secretary', checker: 'Minute-checker' },
    explain: {
      unknown: ['This link is not valid', 'Check that you opened the whole link from your e-mail.'],
      expired: ['This link has expired', 'Please contact the secretary.'],
      revoked: ['This link is no longer in use', 'A newer link has been sent to you, or the review has ended. Please use the latest e-mail.'],
      stale: ['There is a newer version of the minutes', 'Open the latest link you got by e-mail and check the newest version.'],
      used: ['You have already decided on this version', 'You will get an e-mail if there is a new version of the minutes.'],
      notChecker: ['You are not a checker of these minutes', 'Only the minute-checkers can approve the minutes or ask for corrections.'],
      closed: ['The review has ended', 'The review of these minutes has ended. You do not need to do anything.'],
      busy: ['The minutes are being prepared', 'Please try again in a moment.'],
    },
    publicHeading: 'Published minutes', publicIntro: 'Checked minutes are kept online for the rectification period. A member of the municipality is deemed to have been notified of the decisions seven days after publication.',
    noneYet: 'No published minutes.', published: 'Published', notified: 'Notified', periodEnds: 'Rectification period ends',
    final: 'The rectification period has ended; personal data has been removed.', openPublicPdf: (title: string) => `Open the minutes as a PDF: ${title}`,
    sections: 'Sections', shown: { full: '', note: 'handled, not published', removed: 'personal data removed after the rectification period' },
    confidential: 'Confidential matter',
  },
} as const;

export type MinutesExplanation = keyof (typeof T)['fi']['explain'];
type Texts = (typeof T)[Language];


function formatTime(at: Date, language: Language): string {
  return helsinkiTime(at, language, 'long', 'short');
}

export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}.${m}.${y}`;
}

const e = (value: unknown) => escapeHtml(String(value));

function layout(language: Language, title: string, organization: string, body: string, languageLink?: (l: Language) => string): string {
  const nav = languageLink ? languageNav(T[language].languages, language, LANGUAGES, (l) => ({ href: languageLink(l), name: T[l].languageName })) : '';
  return htmlPage({
    language, title: `${title} – ${organization}`, style: PARTICIPANT_PAGE_STYLE, noReferrer: true,
    header: `<p>${e(organization)}</p>${nav}`, body,
  });
}

function pageImages(t: Texts, base: string, title: string, pageCount: number): string {
  return Array.from({ length: pageCount }, (_, i) =>
    `<img src="${e(`${base}/pages/${i + 1}.png`)}" alt="${e(`${title}: ${t.pageImage(i + 1, pageCount)}`)}" loading="lazy">`).join('');
}

function diffSection(t: Texts, changes: PageChange[]): string {
  const pages = changes.map((c) => `<h3>${e(t.page(c.page))}${c.status === 'added' ? ` (${e(t.pageAdded)})` : c.status === 'removed' ? ` (${e(t.pageRemoved)})` : ''}</h3>`
    + `<ul class="diff">${c.lines.map((l) => (l.kind === 'removed'
      ? `<li><del><span class="hint">${e(t.removed)}:</span> ${e(l.text)}</del></li>`
      : `<li><ins><span class="hint">${e(t.added)}:</span> ${e(l.text)}</ins></li>`)).join('')}</ul>`).join('');
  return `<section aria-labelledby="changes"><h2 id="changes">${e(t.changes)}</h2>${pages || `<p>${e(t.changesNone)}</p>`}</section>`;
}

interface MinutesHeading { organization: string; title: string; bodyName: string; meeting: { date: string; number: string; place: string } }

function details(t: Texts, language: Language, m: MinutesHeading & { roleLabel: string; deadline: Date; versionNumber: number }): string {
  return `<section aria-labelledby="details"><h2 id="details">${e(m.title)}</h2><dl>
<dt>${e(t.body)}</dt><dd>${e(m.bodyName)}</dd>
<dt>${e(t.meeting)}</dt><dd>${e(`${m.meeting.number}, ${formatDay(m.meeting.date)}, ${m.meeting.place}`)}</dd>
<dt>${e(t.yourRole)}</dt><dd>${e(m.roleLabel)}</dd>
<dt>${e(t.deadline)}</dt><dd><time datetime="${m.deadline.toISOString()}">${e(formatTime(m.deadline, language))}</time></dd>
<dt>${e(t.document)}</dt><dd>${e(t.version(m.versionNumber))}</dd>
</dl></section>`;
}

export interface ReviewPageModel extends MinutesHeading {
  language: Language;
  checkerName: string;
  deadline: Date;
  versionNumber: number;
  documentSha256: string;
  pageCount: number;
  sections: MinutesSection[];
  checkers: { name: string; status: 'reviewing' | 'approved' | 'corrections'; isYou: boolean }[];
  /** Page-level changes from the previous version; absent in the first round. */
  changes?: PageChange[];
  base: string;
  errors?: { consent?: boolean; comment?: boolean };
  comments?: Record<string, string>;
}

export function reviewPage(m: ReviewPageModel): string {
  const t = T[m.language];
  const q = `?lang=${m.language}`;
  const errorItems = [
    m.errors?.consent ? `<li><a href="#consent">${e(t.consentMissing)}</a></li>` : '',
    m.errors?.comment ? `<li><a href="#comment-${e(m.sections[0]?.number ?? 'general')}">${e(t.commentMissing)}</a></li>` : '',
  ].join('');
  const value = (name: string) => e(m.comments?.[name] ?? '');
  const boxes = m.sections.map((s) => `<label for="comment-${e(s.number)}">${e(t.commentFor(s))}</label>`
    + `<textarea id="comment-${e(s.number)}" name="comment-${e(s.number)}" rows="2" maxlength="4000">${value(`comment-${s.number}`)}</textarea>`).join('');
  const body = `
<h1>${e(t.reviewHeading)}: ${e(m.title)}</h1>
${errorItems ? `<section class="errors" role="alert"><h2>${e(t.errorsHeading)}</h2><ul>${errorItems}</ul></section>` : ''}
${details(t, m.language, { ...m, roleLabel: t.roles.checker })}
<section aria-labelledby="checkers"><h2 id="checkers">${e(t.checkers)}</h2><ul>
${m.checkers.map((c) => `<li>${e(c.name)}${c.isYou ? ` (${e(t.you)})` : ''}: ${e(t.status[c.status])}</li>`).join('')}
</ul></section>
${m.changes ? diffSection(t, m.changes) : ''}
<section aria-labelledby="document"><h2 id="document">${e(t.document)}</h2>
<p><a href="${e(`${m.base}/document.pdf${q}`)}">${e(t.openPdf)}</a></p>${pageImages(t, m.base, m.title, m.pageCount)}</section>
<form method="post" action="${e(`${m.base}/review${q}`)}">
<input type="hidden" name="documentSha256" value="${e(m.documentSha256)}">
<section aria-labelledby="comments"><h2 id="comments">${e(t.commentsHeading)}</h2>
<p class="hint" id="comments-hint">${e(t.commentsHint)}</p>${m.errors?.comment ? `<p class="error">${e(t.commentMissing)}</p>` : ''}
${boxes}
<label for="comment-general">${e(t.generalComment)}</label>
<textarea id="comment-general" name="comment-general" rows="2" maxlength="4000">${value('comment-general')}</textarea>
<label for="page-general">${e(t.pageNumber)}</label>
<input type="number" id="page-general" name="page-general" min="1" max="${m.pageCount}" inputmode="numeric" value="${value('page-general')}">
<button type="submit" name="decision" value="corrections" class="secondary">${e(t.requestCorrections)}</button>
</section>
<section aria-labelledby="decide"><h2 id="decide">${e(t.decideHeading)}</h2>
<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="yes"${m.errors?.consent ? ' aria-invalid="true" aria-describedby="consent-error"' : ''}><span>${e(t.consent)}</span></label>
${m.errors?.consent ? `<p id="consent-error" class="error">${e(t.consentMissing)}</p>` : ''}
<button type="submit" name="decision" value="approve" class="primary">${e(t.approve)}</button>
</section>
</form>`;
  return layout(m.language, `${t.reviewHeading}: ${m.title}`, m.organization, body, (l) => `${m.base}?lang=${l}`);
}

export interface SignMinutesPageModel extends MinutesHeading {
  language: Language;
  role: 'chair' | 'secretary';
  signerName: string;
  deadline: Date;
  versionNumber: number;
  documentSha256: string;
  pageCount: number;
  base: string;
  errors?: { consent?: boolean; name?: boolean };
  typedName?: string;
}

export function signMinutesPage(m: SignMinutesPageModel): string {
  const t = T[m.language];
  const q = `?lang=${m.language}`;
  const errorItems = [
    m.errors?.consent ? `<li><a href="#consent">${e(t.consentMissing)}</a></li>` : '',
    m.errors?.name ? `<li><a href="#typedName">${e(t.nameMismatch)}</a></li>` : '',
  ].join('');
  const body = `
<h1>${e(t.signHeading)}: ${e(m.title)}</h1>
${errorItems ? `<section class="errors" role="alert"><h2>${e(t.errorsHeading)}</h2><ul>${errorItems}</ul></section>` : ''}
${details(t, m.language, { ...m, roleLabel: t.roles[m.role] })}
<section aria-labelledby="document"><h2 id="document">${e(t.document)}</h2>
<p><a href="${e(`${m.base}/document.pdf${q}`)}">${e(t.openPdf)}</a></p>${pageImages(t, m.base, m.title, m.pageCount)}</section>
<section aria-labelledby="sign"><h2 id="sign">${e(t.sign)}</h2>
<form method="post" action="${e(`${m.base}/sign${q}`)}">
<input type="hidden" name="documentSha256" value="${e(m.documentSha256)}">
<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="yes" required${m.errors?.consent ? ' aria-invalid="true" aria-describedby="consent-error"' : ''}><span>${e(t.signConsent)}</span></label>
${m.errors?.consent ? `<p id="consent-error" class="error">${e(t.consentMissing)}</p>` : ''}
<label for="typedName">${e(t.typedName)}</label>
<p id="typedName-hint" class="hint">${e(t.typedNameHint(m.signerName))}</p>
<input type="text" id="typedName" name="typedName" autocomplete="name" required value="${e(m.typedName ?? '')}" aria-describedby="typedName-hint${m.errors?.name ? ' typedName-error' : ''}"${m.errors?.name ? ' aria-invalid="true"' : ''}>
${m.errors?.name ? `<p id="typedName-error" class="error">${e(t.nameMismatch)}</p>` : ''}
<button type="submit" class="primary">${e(t.sign)}</button>
</form></section>`;
  return layout(m.language, `${t.signHeading}: ${m.title}`, m.organization, body, (l) => `${m.base}?lang=${l}`);
}

export function minutesReceiptPage(m: { language: Language; organization: string; title: string; kind: 'approved' | 'corrections' | 'signed'; decidedAt: Date; documentSha256?: string; base: string }): string {
  const t = T[m.language];
  const heading = { approved: t.approvedHeading, corrections: t.correctionsHeading, signed: t.signedHeading }[m.kind];
  const info = { approved: t.approvedInfo, corrections: t.correctionsInfo, signed: t.signedInfo }[m.kind];
  const body = `<h1>${e(heading)}</h1><section aria-labelledby="receipt"><h2 id="receipt">${e(m.title)}</h2>
<p>${e(t.receipt(formatTime(m.decidedAt, m.language)))}</p>
${m.documentSha256 ? `<p>${e(t.documentHash)}:</p><p class="hash">${e(m.documentSha256)}</p>` : ''}<p>${e(info)}</p></section>`;
  return layout(m.language, heading, m.organization, body, (l) => `${m.base}?lang=${l}`);
}

export function minutesExplanationPage(language: Language, organization: string, kind: MinutesExplanation, extra?: string): string {
  const [heading, text] = T[language].explain[kind];
  return layout(language, heading, organization, `<h1>${e(heading)}</h1><section><p>${e(text)}</p>${extra ? `<p>${e(extra)}</p>` : ''}</section>`);
}

export function versionHint(language: Language, versionNumber: number): string {
  return T[language].version(versionNumber);
}

export function publicMinutesPage(language: Language, organization: string, entries: PublishedMinutes[]): string {
  const t = T[language];
  const bodies = new Map<string, PublishedMinutes[]>();
  for (const entry of entries) bodies.set(entry.bodyName, [...(bodies.get(entry.bodyName) ?? []), entry]);
  const list = [...bodies.entries()].sort(([a], [b]) => a.localeCompare(b, 'fi')).map(([bodyName, items], bodyIndex) => `
<section aria-labelledby="body-${bodyIndex}"><h2 id="body-${bodyIndex}">${e(bodyName)}</h2>
${items.map((m) => `<article><h3>${e(m.title)} (${e(m.meeting.number)}, ${e(formatDay(m.meeting.date))})</h3><dl>
<dt>${e(t.published)}</dt><dd>${e(formatDay(finnishDate(new Date(m.publishedAt))))}</dd>
<dt>${e(t.notified)}</dt><dd>${e(formatDay(m.notifiedOn))}</dd>
<dt>${e(t.periodEnds)}</dt><dd>${e(formatDay(m.lastDay))}</dd>
</dl>${m.status === 'final' ? `<p>${e(t.final)}</p>` : ''}
${m.versionId ? `<p><a href="/public/minutes/${e(m.reviewId)}.pdf">${e(t.openPublicPdf(m.title))}</a></p>` : ''}
<p><strong>${e(t.sections)}</strong></p><ul>${m.sections.map((s) => `<li>§ ${e(s.number)} ${e(s.shown === 'note' && s.title.startsWith('Salassa') ? t.confidential : s.title)}${s.shown !== 'full' ? ` – ${e(t.shown[s.shown])}` : ''}</li>`).join('')}</ul>
</article>`).join('')}</section>`).join('');
  const body = `<h1>${e(t.publicHeading)}</h1><p>${e(t.publicIntro)}</p>${list || `<p>${e(t.noneYet)}</p>`}`;
  return layout(language, t.publicHeading, organization, body, (l) => `/public/minutes?lang=${l}`);
}


export interface SecretaryPageModel {
  organization: string;
  record: MinutesReviewRecord;
  state: MinutesReviewState;
  feedback: MinutesFeedback[];
  /** For the one script: the upload of a new version as the PDF itself. */
  nonce: string;
}

const STAFF_STATUS: Record<string, string> = {
  in_review: 'Tarkastajat tarkastavat', awaiting_correction: 'Odottaa korjattua versiota', preparing_signatures: 'Allekirjoituksia valmistellaan',
  awaiting_signatures: 'Odottaa allekirjoituksia', checker_signatures: 'Tarkastajien allekirjoitukset', sealing: 'Sinetöidään', publishing: 'Julkaistaan',
  rectification_period: 'Oikaisuvaatimusaika kulkee', archiving: 'Arkistoidaan', final: 'Lainvoimainen ja arkistoitu', cancelled: 'Peruttu', expired: 'Allekirjoitusaika päättyi', declined: 'Allekirjoituksesta kieltäydyttiin',
};

/** The secretary's page, in Finnish (staff work in the municipality's working language). */
export function secretaryPage(m: SecretaryPageModel): string {
  const { record, state } = m;
  const t = T.fi;
  const name = (id: string) => record.people.find((p) => p.participantId === id)?.name ?? id;
  const reviewing = state.status === 'in_review' || state.status === 'awaiting_correction';
  const rounds = [...state.rounds].reverse().map((round) => {
    const rows = round.checkers.map((c) => {
      const comments = m.feedback.find((f) => f.feedbackId === c.feedbackId)?.comments ?? [];
      const list = comments.length
        ? `<ul>${comments.map((x) => `<li>${x.section ? `§ ${e(x.section)}` : x.page ? `s. ${e(x.page)}` : 'Yleinen'}: ${e(x.text)}</li>`).join('')}</ul>`
        : '';
      return `<tr><td>${e(name(c.participantId))}</td><td>${e(t.status[c.status])}${c.decidedAt ? ` <time datetime="${e(c.decidedAt)}">${e(formatTime(new Date(c.decidedAt), 'fi'))}</time>` : ''}${list}</td></tr>`;
    }).join('');
    const outcome = round.outcome === 'approved' ? 'hyväksytty' : round.outcome === 'superseded' ? 'korvattu uudella versiolla' : round.outcome === 'cancelled' ? 'peruttu' : 'kesken';
    return `<section aria-labelledby="round-${round.number}"><h2 id="round-${round.number}">Kierros ${round.number}: versio ${round.version.number} (${e(outcome)})</h2>
<p class="hash">SHA-256 ${e(round.version.sha256)}</p><p><a href="/api/versions/${e(round.version.versionId)}/content">Lataa versio ${round.version.number}</a></p>
<table><caption class="hint">Tarkastajat ja kommentit</caption><thead><tr><th scope="col">Tarkastaja</th><th scope="col">Tila ja kommentit</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  }).join('');
  const signing = state.signing
    ? `<section aria-labelledby="signing"><h2 id="signing">Allekirjoitukset</h2><ul>${state.signing.signers.map((s) => `<li>${e(name(s.participantId))} (${e(t.roles[s.role as 'chair' | 'secretary'] ?? s.role)}): ${e({ waiting: 'odottaa', invited: 'odottaa allekirjoitusta', deciding: 'käsittelyssä', signed: 'allekirjoittanut', declined: 'kieltäytyi' }[s.status])}</li>`).join('')}</ul>
<p>Määräaika: ${e(formatTime(new Date(state.signing.deadlineAt), 'fi'))}</p>${state.sealedVersionId ? `<p><a href="/api/minutes/${e(record.reviewId)}/signed.pdf">Lataa allekirjoitettu ja sinetöity pöytäkirja</a></p>` : ''}</section>`
    : '';
  const publication = state.publication
    ? `<section aria-labelledby="publication"><h2 id="publication">Julkaisu</h2><dl><dt>${e(t.published)}</dt><dd>${e(formatDay(state.publication.publishedOn))}</dd>
<dt>${e(t.notified)}</dt><dd>${e(formatDay(state.publication.notifiedOn))}</dd><dt>${e(t.periodEnds)}</dt><dd>${e(formatDay(state.publication.lastDay))}</dd></dl>
<p><a href="/public/minutes">Julkinen sivu</a></p></section>`
    : '';
  const upload = reviewing
    ? `<section aria-labelledby="upload"><h2 id="upload">Lataa korjattu versio</h2>
<form id="upload-form" method="post" action="/api/minutes/${e(record.reviewId)}/versions"><label for="pdf">Korjattu pöytäkirja (PDF)</label>
<input type="file" id="pdf" name="pdf" accept="application/pdf" required aria-describedby="upload-status">
<button type="submit" class="primary">Lähetä tarkastettavaksi</button><p id="upload-status" role="status" aria-live="polite"></p></form>
<script nonce="${e(m.nonce)}">
document.getElementById('upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = document.getElementById('upload-status');
  const file = document.getElementById('pdf').files[0];
  if (!file) return;
  status.textContent = 'Lähetetään…';
  const response = await fetch(event.target.action, { method: 'POST', headers: { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent(file.name) }, body: file, credentials: 'same-origin' });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) { status.textContent = 'Uusi kierros avattu.'; window.location.reload(); } else { status.textContent = answer.message || 'Lähetys epäonnistui.'; }
});
</script></section>`
    : '';
  const body = `<h1>${e(record.body.name)}: ${e(record.title)}</h1>
<section aria-labelledby="summary"><h2 id="summary">Tilanne</h2><dl>
<dt>Tila</dt><dd>${e(STAFF_STATUS[state.status] ?? state.status)}</dd>
<dt>${e(t.meeting)}</dt><dd>${e(`${record.meeting.number}, ${formatDay(record.meeting.date)}, ${record.meeting.place}`)}</dd>
<dt>Tarkastuksen määräaika</dt><dd>${e(formatTime(new Date(state.checkingDeadlineAt), 'fi'))}${state.escalatedAt ? ' (ylittynyt)' : ''}</dd>
</dl></section>
${upload}${signing}${publication}${rounds}`;
  return layout('fi', `${record.body.name}: ${record.title}`, m.organization, body);
}
