import { type PDFDocument, rgb } from 'pdf-lib';
import { loadPdfDocument } from '../signing/errors';
import type { MinutesSection, PublishedSection } from '../store/minutesReviews';
import { PdfTextFlow } from './pdfTextFlow';

/**
 * The public version of checked minutes (Local Government Act § 140): a
 * cover page with the meeting, every section (a wholly confidential one
 * only as a note that it was handled), the rectification instructions and
 * the dates, followed by the pages that may be public. A page goes online
 * only when every section on it may; text of the other pages is never
 * copied into the file. After the rectification period the sections with
 * personal data are taken off too.
 */

export type PublicationPhase = 'period' | 'final';

export interface PublicMinutesHeader {
  organization: string;
  bodyName: string;
  title: string;
  meeting: { date: string; number: string; place: string };
  publishedOn: string;
  notifiedOn: string;
  lastDay: string;
}

function shownFully(section: MinutesSection, phase: PublicationPhase): boolean {
  return section.publicity === 'public' || (section.publicity === 'personalData' && phase === 'period');
}

/** Which pages may go online, and how each section then appears. */
export function publicExtract(sections: MinutesSection[], phase: PublicationPhase): { pages: number[]; sections: PublishedSection[] } {
  const hidden = new Set<number>();
  for (const section of sections) {
    if (!shownFully(section, phase)) for (let page = section.firstPage; page <= section.lastPage; page++) hidden.add(page);
  }
  const pages = new Set<number>();
  const published = sections.map((section): PublishedSection => {
    const own = Array.from({ length: section.lastPage - section.firstPage + 1 }, (_, i) => section.firstPage + i);
    if (shownFully(section, phase) && own.every((page) => !hidden.has(page))) {
      own.forEach((page) => pages.add(page));
      return { number: section.number, title: section.title, shown: 'full' };
    }
    if (section.publicity === 'personalData' && phase === 'final')
      return { number: section.number, title: section.title, shown: 'removed' };
    return { number: section.number, title: publicTitle(section), shown: 'note' };
  });
  return { pages: [...pages].sort((a, b) => a - b), sections: published };
}

/** A confidential section's title may itself reveal the secret: it is published only as "a confidential matter". */
function publicTitle(section: MinutesSection): string {
  return section.publicity === 'confidential' ? 'Salassa pidettävä asia / Sekretessbelagt ärende / Confidential matter' : section.title;
}

const SHOWN_NOTE: Record<PublishedSection['shown'], string> = {
  full: '',
  note: ' – käsitelty, ei julkaista / behandlat, publiceras inte / handled, not published',
  removed:
    ' – henkilötiedot poistettu oikaisuvaatimusajan päätyttyä / personuppgifterna borttagna / personal data removed after the period',
};

function finnishDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}.${m}.${y}`;
}

/** The rectification instructions (oikaisuvaatimusohje) in our own words, fi / sv / en. */
export function rectificationInstructions(
  bodyName: string,
  h: Pick<PublicMinutesHeader, 'publishedOn' | 'notifiedOn' | 'lastDay'>,
): Record<'fi' | 'sv' | 'en', string> {
  return {
    fi:
      `Oikaisuvaatimusohje. Päätökseen tyytymätön asianosainen tai kunnan jäsen voi tehdä kirjallisen oikaisuvaatimuksen toimielimelle ${bodyName}. ` +
      `Oikaisuvaatimus on tehtävä 14 päivän kuluessa päätöksen tiedoksisaannista (kuntalaki 410/2015 137–138 §). Kunnan jäsenen katsotaan saaneen päätöksestä tiedon seitsemän päivän kuluttua siitä, kun pöytäkirja on julkaistu yleisessä tietoverkossa (140 §). ` +
      `Pöytäkirja julkaistiin ${finnishDay(h.publishedOn)}, tiedoksisaantipäivä on ${finnishDay(h.notifiedOn)} ja oikaisuvaatimusaika päättyy ${finnishDay(h.lastDay)}. ` +
      'Ilmoita vaatimuksessa päätös, johon haet oikaisua, miten sitä pitäisi oikaista ja millä perusteella, sekä nimesi ja yhteystietosi.',
    sv:
      `Anvisning för begäran om omprövning. En part eller kommunmedlem som är missnöjd med beslutet kan skriftligen begära omprövning hos organet ${bodyName}. ` +
      `Begäran ska göras inom 14 dagar från delfåendet av beslutet (kommunallagen 410/2015 137–138 §). En kommunmedlem anses ha fått del av beslutet sju dagar efter att protokollet publicerats i det allmänna datanätet (140 §). ` +
      `Protokollet publicerades ${finnishDay(h.publishedOn)}, delfåendedagen är ${finnishDay(h.notifiedOn)} och tiden för omprövning går ut ${finnishDay(h.lastDay)}. ` +
      'Ange beslutet, hur det ska ändras och på vilka grunder, samt ditt namn och dina kontaktuppgifter.',
    en:
      `Rectification instructions. A party or a member of the municipality who is dissatisfied with a decision may make a written rectification request to ${bodyName}. ` +
      `The request must be made within 14 days of being notified of the decision (Local Government Act 410/2015 §§ 137–138). A member of the municipality is deemed notified seven days after the minutes were published online (§ 140). ` +
      `The minutes were published on ${finnishDay(h.publishedOn)}, the day of notification is ${finnishDay(h.notifiedOn)} and the period for requests ends on ${finnishDay(h.lastDay)}. ` +
      'State the decision, how it should be rectified and why, and your name and contact details.',
  };
}

/** The cover page and the public pages as one PDF. `replacement` is the secretary's own public version, used instead of the extract. */
export async function renderPublicMinutes(input: {
  header: PublicMinutesHeader;
  sections: MinutesSection[];
  phase: PublicationPhase;
  minutesPdf: Buffer;
  replacement?: Buffer;
}): Promise<{ pdf: Buffer; sections: PublishedSection[] }> {
  const { header } = input;
  const extract = publicExtract(input.sections, input.phase);
  const flow = await PdfTextFlow.create({
    title: `${header.bodyName}: ${header.title}`,
    language: 'fi-FI',
    footer: `${header.organization} · ${header.bodyName} ${header.meeting.number} · Julkinen versio / Offentlig version / Public version`,
  });
  flow.heading(`${header.bodyName}: ${header.title}`, 16);
  flow.row('Kokous / Möte / Meeting', `${header.meeting.number}, ${finnishDay(header.meeting.date)}, ${header.meeting.place}`);
  flow.row('Julkaistu / Publicerat / Published', finnishDay(header.publishedOn));
  flow.row('Tiedoksisaanti / Delfående / Notified', finnishDay(header.notifiedOn));
  flow.row('Oikaisuvaatimusaika päättyy / Tiden för omprövning går ut / Rectification period ends', finnishDay(header.lastDay));
  flow.rule();
  flow.heading('Pykälät / Paragrafer / Sections', 12);
  for (const section of extract.sections) flow.paragraph(`§ ${section.number} ${section.title}${SHOWN_NOTE[section.shown]}`);
  flow.rule();
  const instructions = rectificationInstructions(header.bodyName, header);
  for (const text of [instructions.fi, instructions.sv, instructions.en]) flow.paragraph(text, 8.5, rgb(0.15, 0.15, 0.15));
  flow.paragraph(
    'Tarkastettu ja allekirjoitettu alkuperäinen pöytäkirja on sähköisesti allekirjoitettu ja sinetöity. / Det justerade originalprotokollet är elektroniskt undertecknat och förseglat. / The checked original is electronically signed and sealed.',
    8,
    rgb(0.3, 0.3, 0.3),
  );

  const source: PDFDocument = await loadPdfDocument(input.replacement ?? input.minutesPdf);
  const pages = input.replacement ? source.getPageIndices() : extract.pages.map((p) => p - 1).filter((i) => i < source.getPageCount());
  const copied = await flow.document.copyPages(source, pages);
  for (const page of copied) flow.document.addPage(page);
  return { pdf: await flow.save(), sections: extract.sections };
}
