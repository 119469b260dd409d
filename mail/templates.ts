import escapeHtml from 'escape-html';
import { helsinkiTime } from '../common/helsinkiTime';

/**
 * Mail texts for external people and staff, in Finnish, Swedish and English.
 * Each template is data plus one rendering, so every language says the same.
 */

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface TemplateData {
  organization: string;
  recipientName: string;
  documentTitle: string;
  link?: string;
  deadline?: Date;
  reason?: string;
  actorName?: string;
}

type Text = Record<Language, (d: TemplateData) => string>;
interface Template { subject: Text; lines: Text[]; action?: Record<Language, string> }

function when(date: Date | undefined, language: Language): string {
  if (!date) return '';
  return helsinkiTime(date, language, 'long', 'short');
}

export const TEMPLATES = {
  signatureInvitation: {
    subject: {
      fi: (d) => `Allekirjoituspyyntö: ${d.documentTitle}`,
      sv: (d) => `Begäran om underskrift: ${d.documentTitle}`,
      en: (d) => `Please sign: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `${d.organization} pyytää sinua allekirjoittamaan asiakirjan "${d.documentTitle}" viimeistään ${when(d.deadline, 'fi')}.`,
        sv: (d) => `${d.organization} ber dig underteckna dokumentet "${d.documentTitle}" senast ${when(d.deadline, 'sv')}.`,
        en: (d) => `${d.organization} asks you to sign "${d.documentTitle}" by ${when(d.deadline, 'en')}.`,
      },
      {
        fi: () => 'Linkki on henkilökohtainen: älä välitä tätä viestiä eteenpäin.',
        sv: () => 'Länken är personlig: vidarebefordra inte detta meddelande.',
        en: () => 'The link is personal: please do not forward this message.',
      },
    ],
    action: { fi: 'Avaa ja allekirjoita', sv: 'Öppna och underteckna', en: 'Open and sign' },
  },
  signatureReminder: {
    subject: {
      fi: (d) => `Muistutus: ${d.documentTitle} odottaa allekirjoitustasi`,
      sv: (d) => `Påminnelse: ${d.documentTitle} väntar på din underskrift`,
      en: (d) => `Reminder: ${d.documentTitle} is waiting for your signature`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Asiakirja "${d.documentTitle}" odottaa vielä allekirjoitustasi. Määräaika päättyy ${when(d.deadline, 'fi')}.`,
        sv: (d) => `Dokumentet "${d.documentTitle}" väntar ännu på din underskrift. Tidsfristen går ut ${when(d.deadline, 'sv')}.`,
        en: (d) => `"${d.documentTitle}" is still waiting for your signature. The deadline is ${when(d.deadline, 'en')}.`,
      },
    ],
    action: { fi: 'Avaa ja allekirjoita', sv: 'Öppna och underteckna', en: 'Open and sign' },
  },
  processCompleted: {
    subject: {
      fi: (d) => `Allekirjoitettu: ${d.documentTitle}`,
      sv: (d) => `Undertecknat: ${d.documentTitle}`,
      en: (d) => `Signed: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Kaikki osapuolet ovat allekirjoittaneet asiakirjan "${d.documentTitle}". ${d.organization} on sinetöinyt sen. Asiakirja on liitteenä tai linkin takana.`,
        sv: (d) => `Alla parter har undertecknat "${d.documentTitle}". ${d.organization} har förseglat det. Dokumentet finns som bilaga eller bakom länken.`,
        en: (d) => `Everyone has signed "${d.documentTitle}" and ${d.organization} has sealed it. The document is attached or behind the link.`,
      },
    ],
    action: { fi: 'Lataa asiakirja', sv: 'Ladda ner dokumentet', en: 'Download the document' },
  },
  processEnded: {
    subject: {
      fi: (d) => `Päättynyt: ${d.documentTitle}`,
      sv: (d) => `Avslutat: ${d.documentTitle}`,
      en: (d) => `Ended: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Asiakirjan "${d.documentTitle}" allekirjoitus on päättynyt. Syy: ${d.reason ?? '-'}. Sinun ei tarvitse tehdä mitään.`,
        sv: (d) => `Underskriften av "${d.documentTitle}" har avslutats. Orsak: ${d.reason ?? '-'}. Du behöver inte göra något.`,
        en: (d) => `Signing "${d.documentTitle}" has ended. Reason: ${d.reason ?? '-'}. You do not need to do anything.`,
      },
    ],
  },
  minutesReviewInvitation: {
    subject: {
      fi: (d) => `Pöytäkirjan tarkastus: ${d.documentTitle}`,
      sv: (d) => `Justering av protokoll: ${d.documentTitle}`,
      en: (d) => `Please check the minutes: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `${d.organization} pyytää sinua pöytäkirjantarkastajana tarkastamaan pöytäkirjan "${d.documentTitle}" viimeistään ${when(d.deadline, 'fi')}. Voit hyväksyä pöytäkirjan tai pyytää korjauksia pykäläkohtaisin kommentein.`,
        sv: (d) => `${d.organization} ber dig som protokolljusterare att justera protokollet "${d.documentTitle}" senast ${when(d.deadline, 'sv')}. Du kan godkänna protokollet eller begära rättelser med kommentarer per paragraf.`,
        en: (d) => `${d.organization} asks you, as a minute-checker, to check the minutes "${d.documentTitle}" by ${when(d.deadline, 'en')}. You can approve them or ask for corrections with comments on each section.`,
      },
      {
        fi: () => 'Linkki on henkilökohtainen: älä välitä tätä viestiä eteenpäin.',
        sv: () => 'Länken är personlig: vidarebefordra inte detta meddelande.',
        en: () => 'The link is personal: please do not forward this message.',
      },
    ],
    action: { fi: 'Avaa ja tarkasta', sv: 'Öppna och justera', en: 'Open and check' },
  },
  minutesNewVersion: {
    subject: {
      fi: (d) => `Korjattu versio tarkastettavaksi: ${d.documentTitle}`,
      sv: (d) => `Rättad version att justera: ${d.documentTitle}`,
      en: (d) => `A corrected version to check: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Pöytäkirjasta "${d.documentTitle}" on uusi, korjattu versio. Aiempi hyväksyntä ei koske sitä: tarkasta uusi versio viimeistään ${when(d.deadline, 'fi')}. Sivulla näkyy, mitkä sivut muuttuivat.`,
        sv: (d) => `Det finns en ny, rättad version av protokollet "${d.documentTitle}". Ett tidigare godkännande gäller inte den: justera den nya versionen senast ${when(d.deadline, 'sv')}. Sidan visar vilka sidor som ändrats.`,
        en: (d) => `There is a new, corrected version of the minutes "${d.documentTitle}". An earlier approval does not cover it: please check the new version by ${when(d.deadline, 'en')}. The page shows which pages changed.`,
      },
    ],
    action: { fi: 'Avaa ja tarkasta', sv: 'Öppna och justera', en: 'Open and check' },
  },
  minutesReviewReminder: {
    subject: {
      fi: (d) => `Muistutus: pöytäkirja ${d.documentTitle} odottaa tarkastustasi`,
      sv: (d) => `Påminnelse: protokollet ${d.documentTitle} väntar på din justering`,
      en: (d) => `Reminder: the minutes ${d.documentTitle} are waiting for your check`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Pöytäkirja "${d.documentTitle}" odottaa vielä tarkastustasi. Määräaika päättyy ${when(d.deadline, 'fi')}.`,
        sv: (d) => `Protokollet "${d.documentTitle}" väntar ännu på din justering. Tidsfristen går ut ${when(d.deadline, 'sv')}.`,
        en: (d) => `The minutes "${d.documentTitle}" are still waiting for your check. The deadline is ${when(d.deadline, 'en')}.`,
      },
    ],
    action: { fi: 'Avaa ja tarkasta', sv: 'Öppna och justera', en: 'Open and check' },
  },
  minutesCorrectionsRequested: {
    subject: {
      fi: (d) => `Korjauspyyntö: ${d.documentTitle}`,
      sv: (d) => `Begäran om rättelse: ${d.documentTitle}`,
      en: (d) => `Corrections requested: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `${d.actorName ?? 'Tarkastaja'} pyytää korjauksia pöytäkirjaan "${d.documentTitle}" (${d.reason ?? '-'}). Lataa korjattu versio; tarkastajat saavat sen heti tarkastettavaksi.`,
        sv: (d) => `${d.actorName ?? 'En justerare'} begär rättelser i protokollet "${d.documentTitle}" (${d.reason ?? '-'}). Ladda upp en rättad version; justerarna får den genast att justera.`,
        en: (d) => `${d.actorName ?? 'A checker'} asks for corrections to the minutes "${d.documentTitle}" (${d.reason ?? '-'}). Upload a corrected version; the checkers get it to check at once.`,
      },
    ],
    action: { fi: 'Avaa pöytäkirjan tarkastus', sv: 'Öppna justeringen', en: 'Open the review' },
  },
  minutesCheckingOverdue: {
    subject: {
      fi: (d) => `Tarkastus odottaa: ${d.documentTitle}`,
      sv: (d) => `Justeringen väntar: ${d.documentTitle}`,
      en: (d) => `Checking is waiting: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Pöytäkirjan "${d.documentTitle}" tarkastus ei ole valmis (määräaika ${when(d.deadline, 'fi')}). Odotetaan: ${d.reason ?? '-'}. Voit jatkaa määräaikaa, vaihtaa tarkastajan tai perua tarkastuksen.`,
        sv: (d) => `Justeringen av protokollet "${d.documentTitle}" är inte klar (tidsfrist ${when(d.deadline, 'sv')}). Vi väntar på: ${d.reason ?? '-'}. Du kan förlänga tidsfristen, byta justerare eller avbryta justeringen.`,
        en: (d) => `Checking the minutes "${d.documentTitle}" is not done (deadline ${when(d.deadline, 'en')}). Waiting for: ${d.reason ?? '-'}. You can extend the deadline, replace a checker or cancel the review.`,
      },
    ],
    action: { fi: 'Avaa pöytäkirjan tarkastus', sv: 'Öppna justeringen', en: 'Open the review' },
  },
  oneTimeCode: {
    subject: { fi: () => 'Vahvistuskoodisi', sv: () => 'Din verifieringskod', en: () => 'Your verification code' },
    lines: [
      {
        fi: (d) => `Vahvistuskoodi asiakirjaan "${d.documentTitle}": ${d.reason}. Koodi on voimassa 10 minuuttia.`,
        sv: (d) => `Verifieringskod för "${d.documentTitle}": ${d.reason}. Koden gäller i 10 minuter.`,
        en: (d) => `Verification code for "${d.documentTitle}": ${d.reason}. The code is valid for 10 minutes.`,
      },
    ],
  },
  signerLinkLocked: {
    subject: {
      fi: (d) => `Allekirjoituslinkki lukittu: ${d.documentTitle}`,
      sv: (d) => `Underskriftslänken låst: ${d.documentTitle}`,
      en: (d) => `Signing link locked: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Allekirjoittajan ${d.actorName ?? ''} linkki asiakirjaan "${d.documentTitle}" on lukittu, koska siihen syötettiin liian monta väärää vahvistuskoodia. Varmista henkilöllisyys ja lähetä tarvittaessa uusi kutsu tai siirrä vuoro.`,
        sv: (d) => `Länken för ${d.actorName ?? ''} till "${d.documentTitle}" har låsts eftersom för många felaktiga verifieringskoder angavs. Kontrollera identiteten och skicka vid behov en ny inbjudan eller överför turen.`,
        en: (d) => `The signing link of ${d.actorName ?? ''} for "${d.documentTitle}" has been locked after too many wrong verification codes. Check who they are, then send a new invitation or reassign the turn if needed.`,
      },
    ],
  },
  caseAcknowledgement: {
    subject: {
      fi: (d) => `Vastaanotettu: ${d.documentTitle}`,
      sv: (d) => `Mottaget: ${d.documentTitle}`,
      en: (d) => `Received: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `${d.organization} on vastaanottanut hakemuksesi ja kirjannut sen asiaksi ${d.reason ?? ''}. Käytä asianumeroa, kun otat yhteyttä asiassa.`,
        sv: (d) => `${d.organization} har tagit emot din ansökan och registrerat den som ärende ${d.reason ?? ''}. Ange ärendenumret när du kontaktar oss i ärendet.`,
        en: (d) => `${d.organization} has received your application and registered it as case ${d.reason ?? ''}. Please quote the case number when you contact us about it.`,
      },
    ],
  },
  supplementationRequest: {
    subject: {
      fi: (d) => `Täydennyspyyntö: ${d.documentTitle}`,
      sv: (d) => `Begäran om komplettering: ${d.documentTitle}`,
      en: (d) => `Please complete your application: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Hakemuksestasi puuttuu tietoja: ${d.reason ?? ''} Täydennä hakemusta viimeistään ${when(d.deadline, 'fi')}. Muuten asia ratkaistaan käytettävissä olevien tietojen perusteella.`,
        sv: (d) => `Det saknas uppgifter i din ansökan: ${d.reason ?? ''} Komplettera ansökan senast ${when(d.deadline, 'sv')}. Annars avgörs ärendet på basis av de uppgifter som finns.`,
        en: (d) => `Your application is missing information: ${d.reason ?? ''} Please complete it by ${when(d.deadline, 'en')}. Otherwise the matter is decided on the information there is.`,
      },
      {
        fi: () => 'Linkki on henkilökohtainen: älä välitä tätä viestiä eteenpäin.',
        sv: () => 'Länken är personlig: vidarebefordra inte detta meddelande.',
        en: () => 'The link is personal: please do not forward this message.',
      },
    ],
    action: { fi: 'Täydennä hakemusta', sv: 'Komplettera ansökan', en: 'Complete the application' },
  },
  decisionSent: {
    subject: {
      fi: (d) => `Päätös lähetetty: ${d.documentTitle}`,
      sv: (d) => `Beslutet har skickats: ${d.documentTitle}`,
      en: (d) => `Decision sent: ${d.documentTitle}`,
    },
    lines: [
      { fi: (d) => `Hei ${d.recipientName},`, sv: (d) => `Hej ${d.recipientName},`, en: (d) => `Hello ${d.recipientName},` },
      {
        fi: (d) => `Päätös asiassa ${d.reason ?? ''} on lähetetty sinulle virallisena postina. Jos olet tyytymätön päätökseen, voit tehdä oikaisuvaatimuksen viimeistään ${when(d.deadline, 'fi')} alla olevasta linkistä. Ohjeet ovat päätöksen liitteenä.`,
        sv: (d) => `Beslutet i ärende ${d.reason ?? ''} har skickats till dig som officiell post. Om du är missnöjd med beslutet kan du begära omprövning senast ${when(d.deadline, 'sv')} via länken nedan. Anvisningarna finns i beslutet.`,
        en: (d) => `The decision in case ${d.reason ?? ''} has been sent to you as official mail. If you are not satisfied with it, you can request rectification by ${when(d.deadline, 'en')} through the link below. The instructions are part of the decision.`,
      },
    ],
    action: { fi: 'Tee oikaisuvaatimus', sv: 'Begär omprövning', en: 'Request rectification' },
  },
} satisfies Record<string, Template>;

export type TemplateName = keyof typeof TEMPLATES;

export interface RenderedMail { subject: string; text: string; html: string }

export function renderMail(name: TemplateName, language: Language, data: TemplateData): RenderedMail {
  const template: Template = TEMPLATES[name];
  const lines = template.lines.map((line) => line[language](data));
  const action = template.action && data.link ? { label: template.action[language], href: data.link } : undefined;
  const footer = { fi: 'Viesti on lähetetty automaattisesti.', sv: 'Meddelandet har skickats automatiskt.', en: 'This message was sent automatically.' }[language];
  const text = [...lines, ...(action ? [`${action.label}: ${action.href}`] : []), '', `— ${data.organization}`, footer].join('\n');
  const html = `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.5">`
    + lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')
    + (action ? `<p><a href="${escapeHtml(action.href)}" style="display:inline-block;padding:12px 20px;background:#1a4f8b;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action.label)}</a></p>` : '')
    + `<p>— ${escapeHtml(data.organization)}<br><small>${escapeHtml(footer)}</small></p></body></html>`;
  return { subject: template.subject[language](data), text, html };
}
