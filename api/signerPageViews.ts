import escapeHtml from 'escape-html';
import { Language, LANGUAGES } from '../mail/templates';
import { helsinkiTime } from '../common/helsinkiTime';
import { htmlPage, languageNav, PARTICIPANT_PAGE_STYLE } from './views/htmlPage';

/**
 * The signer's pages, rendered on the server: no script, one column, large
 * targets, works on a small phone. Written to WCAG 2.1 AA: the page's
 * language is declared, every control has a visible label, errors are
 * text tied to their field, contrast is at least 4.5:1 and focus is
 * always visible. Every text exists in Finnish, Swedish and English.
 */

const TEXTS = {
  fi: {
    verifyHeading: 'Vahvista henkilöllisyytesi', verifyIntro: 'Lähettäjä on pyytänyt, että vahvistat henkilöllisyytesi kertakäyttöisellä koodilla ennen kuin allekirjoitat.',
    sendCode: { email: 'Lähetä koodi sähköpostiini', sms: 'Lähetä koodi puhelimeeni tekstiviestinä' },
    codeSent: (to: string) => `Lähetimme 6-numeroisen koodin osoitteeseen ${to}. Koodi on voimassa 10 minuuttia.`,
    codeLabel: 'Vahvistuskoodi', codeHint: '6 numeroa', confirmCode: 'Vahvista', sendAgain: 'Lähetä uusi koodi',
    codeErrors: { wrong_code: 'Koodi ei ole oikein. Tarkista koodi ja yritä uudelleen.', expired_code: 'Koodi on vanhentunut. Pyydä uusi koodi.', too_many_attempts: 'Liian monta väärää yritystä. Pyydä uusi koodi.', no_code: 'Pyydä ensin koodi.', link_locked: 'Linkki on lukittu liian monen väärän koodin vuoksi. Asiakirjan lähettäjälle on ilmoitettu, ja hän ottaa sinuun yhteyttä.', too_many_codes: 'Olet pyytänyt tunnin sisällä jo viisi koodia. Käytä viimeisintä koodia tai pyydä uusi tunnin kuluttua.' },
    languageName: 'Suomi', languages: 'Kieli', signHeading: 'Allekirjoita asiakirja', from: 'Lähettäjä', deadline: 'Määräaika',
    yourRole: 'Roolisi', signers: 'Allekirjoittajat ja järjestys', document: 'Asiakirja', openPdf: 'Avaa asiakirja PDF-tiedostona',
    page: (n: number, total: number) => `Sivu ${n} / ${total}`, consent: 'Olen lukenut asiakirjan ja hyväksyn sen sähköisellä allekirjoituksellani.',
    typedName: 'Kirjoita nimesi', typedNameHint: (name: string) => `Kirjoita nimesi niin kuin se on kutsussa: ${name}`,
    sign: 'Allekirjoita', declineHeading: 'Etkö halua allekirjoittaa?', reason: 'Kieltäytymisen syy', decline: 'Kieltäydy allekirjoittamasta',
    status: { waiting: 'odottaa vuoroaan', invited: 'odottaa allekirjoitusta', deciding: 'käsittelyssä', signed: 'allekirjoittanut', declined: 'kieltäytynyt' },
    you: 'sinä', errorsHeading: 'Korjaa nämä kohdat', consentMissing: 'Vahvista hyväksyntäsi rastittamalla ruutu.',
    nameMismatch: 'Nimi ei vastaa kutsussa olevaa nimeä.', reasonMissing: 'Kerro lyhyesti syy.',
    signedHeading: 'Kiitos, allekirjoitit asiakirjan', declinedHeading: 'Kieltäydyit allekirjoittamasta',
    receipt: (at: string) => `Kuitti: päätöksesi on tallennettu ${at}.`, documentHash: 'Asiakirjan tunniste (SHA-256)',
    completedInfo: 'Kaikki ovat allekirjoittaneet ja asiakirja on sinetöity.', download: 'Lataa allekirjoitettu asiakirja',
    pendingInfo: 'Saat valmiin asiakirjan sähköpostiisi, kun kaikki ovat allekirjoittaneet.',
    explain: {
      unknown: ['Linkki ei kelpaa', 'Tarkista, että avasit koko linkin sähköpostista. Jos ongelma jatkuu, ota yhteyttä lähettäjään.'],
      expired: ['Linkki on vanhentunut', 'Allekirjoituksen määräaika on päättynyt. Ota yhteyttä lähettäjään, jos asia on vielä kesken.'],
      cancelled: ['Allekirjoituspyyntö on peruttu', 'Lähettäjä on perunut tämän pyynnön. Sinun ei tarvitse tehdä mitään.'],
      declined: ['Allekirjoitus on päättynyt', 'Yksi allekirjoittajista kieltäytyi, joten asiakirjaa ei allekirjoiteta. Sinun ei tarvitse tehdä mitään.'],
      revoked: ['Linkki ei ole enää käytössä', 'Sinulle on lähetetty uudempi linkki tai pyyntö on päättynyt. Käytä uusinta sähköpostia.'],
      used: ['Olet jo tehnyt päätöksesi', 'Tällä linkillä on jo allekirjoitettu tai kieltäydytty.'],
      turn: ['Ei vielä sinun vuorosi', 'Aiempien allekirjoittajien pitää allekirjoittaa ensin. Saat sähköpostin, kun on sinun vuorosi.'],
      stale: ['Asiakirja on muuttunut', 'Asiakirja on muuttunut sen jälkeen, kun avasit sen. Avaa linkki uudelleen ja tarkista asiakirja.'],
      busy: ['Asiakirjaa valmistellaan', 'Yritä hetken kuluttua uudelleen.'],
    },
  },
  sv: {
    verifyHeading: 'Bekräfta din identitet', verifyIntro: 'Avsändaren har bett att du bekräftar din identitet med en engångskod innan du undertecknar.',
    sendCode: { email: 'Skicka koden till min e-post', sms: 'Skicka koden till min telefon som sms' },
    codeSent: (to: string) => `Vi skickade en sexsiffrig kod till ${to}. Koden gäller i 10 minuter.`,
    codeLabel: 'Verifieringskod', codeHint: '6 siffror', confirmCode: 'Bekräfta', sendAgain: 'Skicka en ny kod',
    codeErrors: { wrong_code: 'Koden är inte rätt. Kontrollera koden och försök igen.', expired_code: 'Koden har gått ut. Be om en ny kod.', too_many_attempts: 'För många felaktiga försök. Be om en ny kod.', no_code: 'Be först om en kod.', link_locked: 'Länken är låst efter för många felaktiga koder. Avsändaren av dokumentet har meddelats och kontaktar dig.', too_many_codes: 'Du har redan bett om fem koder inom en timme. Använd den senaste koden eller be om en ny om en timme.' },
    languageName: 'Svenska', languages: 'Språk', signHeading: 'Underteckna dokumentet', from: 'Avsändare', deadline: 'Tidsfrist',
    yourRole: 'Din roll', signers: 'Undertecknare och ordning', document: 'Dokument', openPdf: 'Öppna dokumentet som PDF',
    page: (n: number, total: number) => `Sida ${n} / ${total}`, consent: 'Jag har läst dokumentet och godkänner det med min elektroniska underskrift.',
    typedName: 'Skriv ditt namn', typedNameHint: (name: string) => `Skriv ditt namn så som det står i inbjudan: ${name}`,
    sign: 'Underteckna', declineHeading: 'Vill du inte underteckna?', reason: 'Orsak till att du avböjer', decline: 'Avböj att underteckna',
    status: { waiting: 'väntar på sin tur', invited: 'väntar på underskrift', deciding: 'behandlas', signed: 'har undertecknat', declined: 'har avböjt' },
    you: 'du', errorsHeading: 'Rätta följande', consentMissing: 'Bekräfta ditt godkännande genom att kryssa i rutan.',
    nameMismatch: 'Namnet motsvarar inte namnet i inbjudan.', reasonMissing: 'Ange kort en orsak.',
    signedHeading: 'Tack, du har undertecknat dokumentet', declinedHeading: 'Du avböjde att underteckna',
    receipt: (at: string) => `Kvitto: ditt beslut sparades ${at}.`, documentHash: 'Dokumentets identifierare (SHA-256)',
    completedInfo: 'Alla har undertecknat och dokumentet har förseglats.', download: 'Ladda ner det undertecknade dokumentet',
    pendingInfo: 'Du får det färdiga dokumentet per e-post när alla har undertecknat.',
    explain: {
      unknown: ['Länken är inte giltig', 'Kontrollera att du öppnade hela länken i e-postmeddelandet. Kontakta avsändaren om problemet kvarstår.'],
      expired: ['Länken har gått ut', 'Tidsfristen för underskrift har gått ut. Kontakta avsändaren om ärendet fortfarande pågår.'],
      cancelled: ['Begäran om underskrift har återkallats', 'Avsändaren har återkallat begäran. Du behöver inte göra något.'],
      declined: ['Underskriften har avslutats', 'En av undertecknarna avböjde, så dokumentet undertecknas inte. Du behöver inte göra något.'],
      revoked: ['Länken används inte längre', 'Du har fått en nyare länk eller så har begäran avslutats. Använd det senaste e-postmeddelandet.'],
      used: ['Du har redan fattat ditt beslut', 'Med den här länken har man redan undertecknat eller avböjt.'],
      turn: ['Det är inte din tur ännu', 'Tidigare undertecknare måste underteckna först. Du får e-post när det är din tur.'],
      stale: ['Dokumentet har ändrats', 'Dokumentet har ändrats sedan du öppnade det. Öppna länken på nytt och granska dokumentet.'],
      busy: ['Dokumentet förbereds', 'Försök igen om en stund.'],
    },
  },
  en: {
    verifyHeading: 'Confirm your identity', verifyIntro: 'The sender has asked you to confirm your identity with a one-time code before you sign.',
    sendCode: { email: 'Send the code to my e-mail', sms: 'Send the code to my phone by text message' },
    codeSent: (to: string) => `We sent a 6-digit code to ${to}. The code is valid for 10 minutes.`,
    codeLabel: 'Verification code', codeHint: '6 digits', confirmCode: 'Confirm', sendAgain: 'Send a new code',
    codeErrors: { wrong_code: 'The code is not correct. Check the code and try again.', expired_code: 'The code has expired. Ask for a new code.', too_many_attempts: 'Too many wrong attempts. Ask for a new code.', no_code: 'Ask for a code first.', link_locked: 'This link is locked after too many wrong codes. The sender of the document has been told and will contact you.', too_many_codes: 'You have already asked for five codes within an hour. Use the latest code, or ask for a new one in an hour.' },
    languageName: 'English', languages: 'Language', signHeading: 'Sign the document', from: 'From', deadline: 'Deadline',
    yourRole: 'Your role', signers: 'Signers and their order', document: 'Document', openPdf: 'Open the document as a PDF',
    page: (n: number, total: number) => `Page ${n} of ${total}`, consent: 'I have read the document and I approve it with my electronic signature.',
    typedName: 'Type your name', typedNameHint: (name: string) => `Type your name as it appears in the invitation: ${name}`,
    sign: 'Sign', declineHeading: 'Do not want to sign?', reason: 'Reason for declining', decline: 'Decline to sign',
    status: { waiting: 'waiting for their turn', invited: 'waiting to sign', deciding: 'being processed', signed: 'signed', declined: 'declined' },
    you: 'you', errorsHeading: 'Please fix the following', consentMissing: 'Confirm your approval by ticking the box.',
    nameMismatch: 'The name does not match the name in the invitation.', reasonMissing: 'Please give a short reason.',
    signedHeading: 'Thank you, you have signed the document', declinedHeading: 'You declined to sign',
    receipt: (at: string) => `Receipt: your decision was recorded on ${at}.`, documentHash: 'Document identifier (SHA-256)',
    completedInfo: 'Everyone has signed and the document has been sealed.', download: 'Download the signed document',
    pendingInfo: 'You will get the finished document by e-mail once everyone has signed.',
    explain: {
      unknown: ['This link is not valid', 'Check that you opened the whole link from your e-mail. If the problem continues, contact the sender.'],
      expired: ['This link has expired', 'The deadline for signing has passed. Contact the sender if the matter is still open.'],
      cancelled: ['The signing request was cancelled', 'The sender has cancelled this request. You do not need to do anything.'],
      declined: ['Signing has ended', 'One of the signers declined, so the document will not be signed. You do not need to do anything.'],
      revoked: ['This link is no longer in use', 'A newer link has been sent to you or the request has ended. Please use the latest e-mail.'],
      used: ['You have already made your decision', 'This link has already been used to sign or decline.'],
      turn: ['It is not your turn yet', 'Earlier signers must sign first. You will get an e-mail when it is your turn.'],
      stale: ['The document has changed', 'The document has changed since you opened it. Open the link again and review the document.'],
      busy: ['The document is being prepared', 'Please try again in a moment.'],
    },
  },
} as const;

export type Explanation = keyof (typeof TEXTS)['fi']['explain'];
export type SignerStatusName = keyof (typeof TEXTS)['fi']['status'];

export function chooseLanguage(query: unknown, acceptLanguage: string | undefined, fallback: Language): Language {
  if (typeof query === 'string' && (LANGUAGES as readonly string[]).includes(query)) return query as Language;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(code)) return code as Language;
  }
  return fallback;
}

function formatTime(at: Date, language: Language): string {
  return helsinkiTime(at, language, 'long', 'short');
}


function layout(language: Language, title: string, organization: string, body: string, languageLinks?: (l: Language) => string): string {
  const nav = languageLinks ? languageNav(TEXTS[language].languages, language, LANGUAGES, (l) => ({ href: languageLinks(l), name: TEXTS[l].languageName })) : '';
  return htmlPage({
    language, title: `${title} – ${organization}`, style: PARTICIPANT_PAGE_STYLE, noReferrer: true,
    header: `<p>${escapeHtml(organization)}</p>${nav}`, body,
  });
}

export interface SignerListEntry { roleLabel: string; name: string; order: number; status: SignerStatusName; isYou: boolean }

export interface SignPageModel {
  language: Language;
  organization: string;
  title: string;
  roleLabel: string;
  signerName: string;
  deadline: Date;
  signers: SignerListEntry[];
  pageCount: number;
  documentSha256: string;
  base: string;
  errors?: { consent?: boolean; name?: boolean; reason?: boolean };
  typedName?: string;
}

export function signPage(m: SignPageModel): string {
  const t = TEXTS[m.language];
  const q = `?lang=${m.language}`;
  const errorItems = [
    m.errors?.consent ? `<li><a href="#consent">${escapeHtml(t.consentMissing)}</a></li>` : '',
    m.errors?.name ? `<li><a href="#typedName">${escapeHtml(t.nameMismatch)}</a></li>` : '',
    m.errors?.reason ? `<li><a href="#reason">${escapeHtml(t.reasonMissing)}</a></li>` : '',
  ].join('');
  const pages = Array.from({ length: m.pageCount }, (_, i) =>
    `<img src="${escapeHtml(`${m.base}/pages/${i + 1}.png`)}" alt="${escapeHtml(`${m.title}: ${t.page(i + 1, m.pageCount)}`)}" loading="lazy">`).join('');
  const body = `
<h1>${escapeHtml(t.signHeading)}: ${escapeHtml(m.title)}</h1>
${errorItems ? `<section class="errors" role="alert"><h2>${escapeHtml(t.errorsHeading)}</h2><ul>${errorItems}</ul></section>` : ''}
<section aria-labelledby="details"><h2 id="details">${escapeHtml(m.title)}</h2><dl>
<dt>${escapeHtml(t.from)}</dt><dd>${escapeHtml(m.organization)}</dd>
<dt>${escapeHtml(t.yourRole)}</dt><dd>${escapeHtml(m.roleLabel)}</dd>
<dt>${escapeHtml(t.deadline)}</dt><dd><time datetime="${m.deadline.toISOString()}">${escapeHtml(formatTime(m.deadline, m.language))}</time></dd>
</dl></section>
<section aria-labelledby="signers"><h2 id="signers">${escapeHtml(t.signers)}</h2><ol>
${m.signers.map((s) => `<li>${escapeHtml(s.name)}${s.isYou ? ` (${escapeHtml(t.you)})` : ''}, ${escapeHtml(s.roleLabel)}: ${escapeHtml(t.status[s.status])}</li>`).join('')}
</ol></section>
<section aria-labelledby="document"><h2 id="document">${escapeHtml(t.document)}</h2>
<p><a href="${escapeHtml(`${m.base}/document.pdf${q}`)}">${escapeHtml(t.openPdf)}</a></p>${pages}</section>
<section aria-labelledby="sign"><h2 id="sign">${escapeHtml(t.sign)}</h2>
<form method="post" action="${escapeHtml(`${m.base}/sign${q}`)}">
<input type="hidden" name="documentSha256" value="${escapeHtml(m.documentSha256)}">
<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="yes" required${m.errors?.consent ? ' aria-invalid="true" aria-describedby="consent-error"' : ''}><span>${escapeHtml(t.consent)}</span></label>
${m.errors?.consent ? `<p id="consent-error" class="error">${escapeHtml(t.consentMissing)}</p>` : ''}
<label for="typedName">${escapeHtml(t.typedName)}</label>
<p id="typedName-hint" class="hint">${escapeHtml(t.typedNameHint(m.signerName))}</p>
<input type="text" id="typedName" name="typedName" autocomplete="name" required value="${escapeHtml(m.typedName ?? '')}" aria-describedby="typedName-hint${m.errors?.name ? ' typedName-error' : ''}"${m.errors?.name ? ' aria-invalid="true"' : ''}>
${m.errors?.name ? `<p id="typedName-error" class="error">${escapeHtml(t.nameMismatch)}</p>` : ''}
<button type="submit" class="primary">${escapeHtml(t.sign)}</button>
</form></section>
<section aria-labelledby="declineHeading"><h2 id="declineHeading">${escapeHtml(t.declineHeading)}</h2>
<form method="post" action="${escapeHtml(`${m.base}/decline${q}`)}">
<input type="hidden" name="documentSha256" value="${escapeHtml(m.documentSha256)}">
<label for="reason">${escapeHtml(t.reason)}</label>
<textarea id="reason" name="reason" rows="3" maxlength="1000" required${m.errors?.reason ? ' aria-invalid="true" aria-describedby="reason-error"' : ''}></textarea>
${m.errors?.reason ? `<p id="reason-error" class="error">${escapeHtml(t.reasonMissing)}</p>` : ''}
<button type="submit" class="secondary">${escapeHtml(t.decline)}</button>
</form></section>`;
  return layout(m.language, `${t.signHeading}: ${m.title}`, m.organization, body, (l) => `${m.base}?lang=${l}`);
}

export interface ReceiptPageModel {
  language: Language;
  organization: string;
  title: string;
  decision: 'sign' | 'decline';
  decidedAt: Date;
  documentSha256?: string;
  /** Set once the document is complete and sealed. */
  downloadHref?: string;
  base: string;
}

export function receiptPage(m: ReceiptPageModel): string {
  const t = TEXTS[m.language];
  const heading = m.decision === 'sign' ? t.signedHeading : t.declinedHeading;
  const body = `
<h1>${escapeHtml(heading)}</h1>
<section aria-labelledby="receipt"><h2 id="receipt">${escapeHtml(m.title)}</h2>
<p>${escapeHtml(t.receipt(formatTime(m.decidedAt, m.language)))}</p>
${m.documentSha256 ? `<p>${escapeHtml(t.documentHash)}:</p><p class="hash">${escapeHtml(m.documentSha256)}</p>` : ''}
${m.decision === 'sign' ? (m.downloadHref
    ? `<p>${escapeHtml(t.completedInfo)}</p><p><a href="${escapeHtml(m.downloadHref)}">${escapeHtml(t.download)}</a></p>`
    : `<p>${escapeHtml(t.pendingInfo)}</p>`) : ''}
</section>`;
  return layout(m.language, heading, m.organization, body, (l) => `${m.base}?lang=${l}`);
}

export function explanationPage(language: Language, organization: string, kind: Explanation): string {
  const [heading, text] = TEXTS[language].explain[kind];
  return layout(language, heading, organization, `<h1>${escapeHtml(heading)}</h1><section><p>${escapeHtml(text)}</p></section>`);
}

export interface VerifyPageModel {
  language: Language;
  organization: string;
  title: string;
  base: string;
  channel: 'email' | 'sms';
  /** Set once a code has gone out: where to (masked). */
  sentTo?: string;
  error?: 'wrong_code' | 'expired_code' | 'too_many_attempts' | 'no_code' | 'link_locked' | 'too_many_codes';
}

/** The one-time code step before the signing form, when the sender asked for it. */
export function verifyPage(m: VerifyPageModel): string {
  const t = TEXTS[m.language];
  const q = `?lang=${m.language}`;
  const askForCode = `<form method="post" action="${escapeHtml(`${m.base}/code${q}`)}"><button type="submit" class="${m.sentTo ? 'secondary' : 'primary'}">${escapeHtml(m.sentTo ? t.sendAgain : t.sendCode[m.channel])}</button></form>`;
  const enterCode = m.sentTo || m.error ? `
<form method="post" action="${escapeHtml(`${m.base}/verify${q}`)}">
<label for="code">${escapeHtml(t.codeLabel)}</label>
<p id="code-hint" class="hint">${escapeHtml(t.codeHint)}</p>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required aria-describedby="code-hint${m.error ? ' code-error' : ''}"${m.error ? ' aria-invalid="true"' : ''}>
${m.error ? `<p id="code-error" class="error">${escapeHtml(t.codeErrors[m.error])}</p>` : ''}
<button type="submit" class="primary">${escapeHtml(t.confirmCode)}</button>
</form>` : '';
  const body = `
<h1>${escapeHtml(t.verifyHeading)}</h1>
<section aria-labelledby="verify"><h2 id="verify">${escapeHtml(m.title)}</h2>
<p>${escapeHtml(t.verifyIntro)}</p>
${m.sentTo ? `<p role="status">${escapeHtml(t.codeSent(m.sentTo))}</p>` : ''}
${enterCode}
${askForCode}
</section>`;
  return layout(m.language, t.verifyHeading, m.organization, body, (l) => `${m.base}?lang=${l}`);
}
