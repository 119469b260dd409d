import { checkLetterPdf, checkLetterTitle, deemedNotificationDate, letterCostCents } from '../rules/officialMail';
import { preferredAddress } from '../integrations/populationRegister/populationRegister';
import { parseVtjAnswer } from '../integrations/populationRegister/vtjClient';
import { readCsvRecords } from '../common/csv';
import { inspect } from 'node:util';

const A4 = { width: 595.28, height: 841.89 };
const PRICES = { electronic: 10, paperC5: 120, paperC4: 250 };

describe('deemed notification (Administrative Procedure Act 59 §)', () => {
  it.each([
    ['electronic', '2026-03-02T10:00:00Z', '2026-03-05'],
    ['paper', '2026-03-02T10:00:00Z', '2026-03-09'],
    // 23:30 UTC on 2 March is already 3 March in Finland.
    ['electronic', '2026-03-02T23:30:00Z', '2026-03-06'],
    ['paper', '2026-12-28T08:00:00Z', '2027-01-04'],
    // Over the change to summer time.
    ['paper', '2026-03-27T12:00:00Z', '2026-04-03'],
  ] as const)('%s sent at %s → %s', (channel, sentAt, expected) => {
    expect(deemedNotificationDate(channel, new Date(sentAt))).toBe(expected);
  });
});

describe('what Suomi.fi Messages accepts', () => {
  it.each([
    ['', 'title_missing'],
    ['x'.repeat(256), null],
    ['x'.repeat(257), 'title_too_long'],
  ])('title of %#', (title, code) => {
    expect(checkLetterTitle(title)?.code ?? null).toBe(code);
  });

  it.each([
    [{ size: 1000, pageSizes: [A4, A4] }, null],
    [{ size: 1000, pageSizes: [A4, { width: 841.89, height: 595.28 }] }, null],
    [{ size: 1000, pageSizes: [{ width: 612, height: 792 }] }, 'not_a4'],
    [{ size: 11 * 1024 * 1024, pageSizes: [A4] }, 'document_too_large'],
    [{ size: 1000, pageSizes: Array(61).fill(A4) }, 'too_many_pages'],
  ])('pdf %#', (pdf, code) => {
    expect(checkLetterPdf(pdf, 10 * 1024 * 1024)?.code ?? null).toBe(code);
  });

  it.each([
    ['electronic', 40, 10],
    ['paper', 1, 120],
    ['paper', 9, 120],
    ['paper', 10, 250],
  ] as const)('%s letter of %i pages costs %i cents', (channel, pages, cents) => {
    expect(letterCostCents(channel, pages, PRICES)).toBe(cents);
  });
});

describe('the population register', () => {
  const street = (s: string) => ({ street: s, postalCode: '00100', city: 'HELSINKI' });
  it.each([
    [
      {
        KotimainenPostiosoite: street('Posti'),
        TilapainenKotimainenLahiosoite: street('Tilapäinen'),
        VakinainenKotimainenLahiosoite: street('Vakinainen'),
      },
      'KotimainenPostiosoite',
    ],
    [
      { TilapainenKotimainenLahiosoite: street('Tilapäinen'), VakinainenKotimainenLahiosoite: street('Vakinainen') },
      'TilapainenKotimainenLahiosoite',
    ],
    [{ VakinainenKotimainenLahiosoite: street('Vakinainen') }, 'VakinainenKotimainenLahiosoite'],
    [{ KotimainenPostiosoite: street(''), VakinainenKotimainenLahiosoite: street('Vakinainen') }, 'VakinainenKotimainenLahiosoite'],
    [{}, undefined],
  ])('prefers addresses in the documented order (%#)', (addresses, source) => {
    expect(preferredAddress(addresses)?.source).toBe(source);
  });

  it('hides an address under a security ban from logs and JSON', () => {
    const answer = parseVtjAnswer(
      '<Henkilo><NykyisetEtunimet><Etunimet>Salla</Etunimet></NykyisetEtunimet><NykyinenSukunimi><Sukunimi>Salainen</Sukunimi></NykyinenSukunimi>' +
        '<Turvakielto><TurvakieltoTieto>1</TurvakieltoTieto></Turvakielto><VakinainenKotimainenLahiosoite><LahiosoiteS>Piilotie 1</LahiosoiteS><Postinumero>90100</Postinumero><PostitoimipaikkaS>OULU</PostitoimipaikkaS></VakinainenKotimainenLahiosoite></Henkilo>',
    );
    expect(answer.kind).toBe('security_ban');
    expect(JSON.stringify(answer)).not.toMatch(/Piilotie|90100|OULU|Salla/);
    expect(inspect(answer, { depth: 5 })).not.toMatch(/Piilotie|90100|OULU|Salla/);
    expect(String(answer.kind === 'security_ban' ? answer.protectedAddress : '')).toBe('[protected]');
    expect(answer.kind === 'security_ban' && answer.protectedAddress?.reveal()).toMatchObject({
      street: 'Piilotie 1',
      name: 'Salla Salainen',
    });
  });
});

describe('streamed CSV', () => {
  async function read(...chunks: string[]) {
    const records = [];
    for await (const record of readCsvRecords(
      (async function* () {
        for (const c of chunks) yield Buffer.from(c);
      })(),
    ))
      records.push(record);
    return records;
  }

  it('reads quoted fields, doubled quotes, CRLF and a BOM across chunk boundaries', async () => {
    expect(await read('\uFEFFa,b,c\r\n1,"x, ""y""",', 'z\r\n2,"multi\nline",3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, "y"', 'z'] },
      { line: 3, fields: ['2', 'multi\nline', '3'] },
    ]);
  });

  it('takes ";" when the header uses it, as Finnish spreadsheets write', async () => {
    expect((await read('recipientId;title\n131052-308T;Päätös, 12 §\n'))[1].fields).toEqual(['131052-308T', 'Päätös, 12 §']);
  });

  it('reads a last line without a newline, and skips blank lines', async () => {
    expect((await read('a\n\n1')).map((r) => r.fields)).toEqual([['a'], ['1']]);
  });
});
