import { PDFDocument, StandardFonts } from 'pdf-lib';
import { makeIdentityCode } from '../rules/identifiers';
import { contractBody } from './contracts';

/**
 * The open processes the at-scale benchmark seeds, each made through the
 * API as staff or a citizen make it, so every one is a running workflow
 * with the search attributes its own steps set: a quarter each of
 * employment contracts waiting for their signers (until their deadline),
 * expense-claim applications waiting for a handler's decision (no known
 * end), draft minutes in their checkers' review (until the checking
 * deadline) and official letters sent to a Suomi.fi mailbox, waiting for
 * the recipient to read them (until tracking ends). What is shared is only
 * what the domain shares: the minutes' draft and the letter's PDF are each
 * uploaded once and named by every review and letter, as one circular is
 * sent to many; each process still renders, stamps or sends its own copy.
 */

export type SeededKind = 'contract' | 'application' | 'minutes' | 'letter';
export const SEEDED_KINDS: SeededKind[] = ['contract', 'application', 'minutes', 'letter'];

/** Each kind's status while it waits, for counting those that have reached their waiting step. */
export const WAITING_STATUS: Record<SeededKind, string> = {
  contract: 'awaiting_signatures',
  application: 'awaiting_decision',
  minutes: 'in_review',
  letter: 'sent',
};

/** A made-up surname for number i, letters only (names are searched by their words of letters): 12 → "Bec". */
export function nameWordOf(i: number): string {
  return [...String(i)].map((digit, n) => (n === 0 ? 'ABCDEFGHIJ' : 'abcdefghij')[Number(digit)]).join('') + 'nen';
}

/** A valid made-up identity code for number i (the same i, the same code). */
function identityCodeOf(i: number): string {
  return makeIdentityCode(`19${String(50 + (i % 40))}-0${1 + (i % 9)}-1${i % 9}`, 2 + (i % 897));
}

/** An expense claim on the form every installation has (forms/), by a made-up person with a valid identity code. */
export function applicationBody(i: number) {
  return {
    roundId: 'bench-scale',
    language: 'fi',
    values: {
      fullName: `Hakija ${nameWordOf(i)}`,
      identityCode: identityCodeOf(i),
      email: `applicant-${i}@bench.test`,
      meetingDate: '2026-04-12',
      trips: 'Koti–kunnantalo',
      kilometres: '12',
      amountClaimed: '25',
      iban: 'FI2112345600000785',
    },
  };
}

/** The council's minutes in review by two checkers until a deadline a week out, on the draft uploaded once. */
function minutesBody(i: number, versionId: string) {
  const person = (role: string, name: string) => ({ name, email: `${role}-${i}@bench.test`, language: 'fi' });
  return {
    body: { id: 'kunnanhallitus', name: 'Kunnanhallitus' },
    meeting: { date: '2026-11-23', number: `${i}/2026`, place: 'Kunnantalo' },
    language: 'fi',
    documentVersionId: versionId,
    sections: [
      { number: '1', title: 'Kokouksen avaus', publicity: 'public', firstPage: 1, lastPage: 1 },
      { number: '2', title: 'Talousarvio', publicity: 'public', firstPage: 2, lastPage: 2 },
    ],
    chair: person('chair', 'Paula Puheenjohtaja'),
    secretary: person('secretary', 'Sanna Sihteeri'),
    checkers: [person('checker-a', 'Tapio Tarkastaja'), person('checker-b', 'Greta Granskare')],
    checkingDeadline: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    maxReminders: 0,
  };
}

/** A decision letter to person i, who has a Suomi.fi mailbox and has not read it yet (registered so in the simulator). */
function letterBody(i: number, versionId: string) {
  return { versionId, title: `Päätös ${i}`, recipient: { id: identityCodeOf(i) } };
}

/** A two-page A4 PDF with a line of text on each page. */
async function a4Pdf(lines: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const line of lines) pdf.addPage([595.28, 841.89]).drawText(line, { x: 56, y: 780, size: 12, font });
  return Buffer.from(await pdf.save());
}

interface SeedingContext {
  baseUrl: string;
  /** The Suomi.fi Messages simulator's address, where the letters' recipients are registered. */
  messagesSimulatorUrl: string;
}

export interface Seeder {
  /** Creates process number i (its kind is i's place in SEEDED_KINDS) and answers how long the API took. */
  seed(i: number): Promise<{ kind: SeededKind; ms: number }>;
}

async function post(url: string, token: string | undefined, body: unknown, contentType = 'application/json'): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': contentType },
    body: body instanceof Buffer ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Uploads the shared PDFs once, then seeds by number. */
export async function createSeeder({ baseUrl, messagesSimulatorUrl }: SeedingContext): Promise<Seeder> {
  const upload = async (token: string, pdf: Buffer) =>
    ((await post(`${baseUrl}/api/documents`, token, pdf, 'application/pdf')) as { versionId: string }).versionId;
  const minutesVersion = await upload('dev-secretary-token', await a4Pdf(['§ 1 Kokouksen avaus', '§ 2 Talousarvio']));
  const letterVersion = await upload('dev-registry-token', await a4Pdf(['Päätös', 'Oikaisuvaatimusohje']));
  return {
    async seed(i) {
      const kind = SEEDED_KINDS[i % SEEDED_KINDS.length];
      const started = performance.now();
      if (kind === 'contract') await post(`${baseUrl}/api/contracts`, 'dev-hr-token', contractBody(i));
      if (kind === 'application') await post(`${baseUrl}/api/forms/kulukorvaus/applications`, undefined, applicationBody(i));
      if (kind === 'minutes') await post(`${baseUrl}/api/minutes`, 'dev-secretary-token', minutesBody(i, minutesVersion));
      if (kind === 'letter') {
        await post(`${messagesSimulatorUrl}/sim/recipients`, undefined, {
          id: identityCodeOf(i),
          mailbox: true,
          electronicOutcome: 'unread',
        });
        await post(`${baseUrl}/api/letters`, 'dev-registry-token', letterBody(i, letterVersion));
      }
      return { kind, ms: performance.now() - started };
    },
  };
}
