import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PopulationRegisterAnswerError, parseVtjAnswer } from '../integrations/populationRegister/vtjClient';
import { MessagesAnswerError, SuomifiMessagesClient } from '../integrations/suomifiMessages/messagesClient';

/**
 * Answers from outside are parsed by schemas, never cast: a malformed
 * answer from the population register or Suomi.fi Messages is refused with
 * a typed, non-retryable error instead of being read as "nobody" or as
 * whatever fields happen to be there.
 */

const envelope = (content: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
  `<HenkilonTunnusKyselyResponse><HenkilonTunnusKyselyResult><VTJHenkiloVastaussanoma versio="1.0">${content}</VTJHenkiloVastaussanoma></HenkilonTunnusKyselyResult></HenkilonTunnusKyselyResponse></soap:Body></soap:Envelope>`;
const ok = '<Paluukoodi koodi="0000">Haku onnistui</Paluukoodi>';
const person = (
  flag: string | undefined,
  address = '<VakinainenKotimainenLahiosoite><LahiosoiteS>Kotikatu 1 &amp; 2</LahiosoiteS><Postinumero>00100</Postinumero><PostitoimipaikkaS>HELSINKI</PostitoimipaikkaS></VakinainenKotimainenLahiosoite>',
) =>
  `<Henkilo><Henkilotunnus voimassaolokoodi="1">131052-308T</Henkilotunnus><NykyinenSukunimi><Sukunimi>Meikäläinen</Sukunimi></NykyinenSukunimi>` +
  `<NykyisetEtunimet><Etunimet>Maija</Etunimet></NykyisetEtunimet>${flag === undefined ? '' : `<Turvakielto><TurvakieltoTieto>${flag}</TurvakieltoTieto></Turvakielto>`}${address}</Henkilo>`;

describe('population register (VTJ) answers', () => {
  it('reads a person, their preferred address and entities with an XML parser', () => {
    expect(parseVtjAnswer(envelope(ok + person('0')))).toEqual({
      kind: 'found',
      name: 'Maija Meikäläinen',
      source: 'VakinainenKotimainenLahiosoite',
      address: { street: 'Kotikatu 1 & 2', postalCode: '00100', city: 'HELSINKI' },
    });
    expect(parseVtjAnswer(envelope(ok))).toEqual({ kind: 'not_found' });
    expect(parseVtjAnswer(envelope(ok + person('0', '')))).toEqual({ kind: 'no_address', name: 'Maija Meikäläinen' });
  });

  it('keeps the address of a person under a protection order (turvakielto) hidden', () => {
    const answer = parseVtjAnswer(envelope(ok + person('1')));
    expect(answer.kind).toBe('security_ban');
    expect(JSON.stringify(answer)).not.toMatch(/Kotikatu|00100|Maija/);
  });

  it.each([
    ['not well-formed XML', envelope(ok + person('0')).replace('</Henkilo>', '</Henkil>'), /not well-formed/],
    ['no protection-order flag', envelope(ok + person(undefined)), /Turvakielto/],
    ['a protection-order flag that is neither 0 nor 1', envelope(ok + person('kyllä')), /TurvakieltoTieto/],
    ['a refused query (wrong credentials)', envelope('<Paluukoodi koodi="0001">Tunnistus epäonnistui</Paluukoodi>'), /return code 0001/],
  ])('refuses %s with a typed, non-retryable error', (_what, xml, message) => {
    let error: unknown;
    try {
      parseVtjAnswer(xml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PopulationRegisterAnswerError);
    expect(error).toMatchObject({ retryable: false, message });
  });
});

describe('Suomi.fi Messages answers', () => {
  let server: http.Server;
  let client: SuomifiMessagesClient;
  /** What the stand-in service answers to each path, set by each test. */
  const answers = new Map<string, string>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume().on('end', () => {
        const path = (req.url ?? '').split('?')[0];
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(answers.get(path) ?? JSON.stringify({ accessToken: 'token-1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SuomifiMessagesClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      username: 'u',
      password: 'p',
      timeoutMs: 5000,
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads well-formed answers', async () => {
    answers.set('/v1/mailboxes/active', JSON.stringify({ endUsersWithActiveMailbox: [{ id: '131052-308T' }] }));
    answers.set(
      '/v2/events',
      JSON.stringify({
        events: [{ type: 'Receipt confirmed', eventTime: '2026-11-30T10:00:00Z', metadata: { messageId: 12, externalId: 'x' } }],
        continuationToken: 'c2',
      }),
    );
    expect(await client.activeMailboxes(['131052-308T'])).toEqual(['131052-308T']);
    expect(await client.events()).toEqual({
      events: [{ type: 'Receipt confirmed', eventTime: '2026-11-30T10:00:00Z', metadata: { messageId: '12', externalId: 'x' } }],
      continuationToken: 'c2',
    });
  });

  it.each([
    [
      'a mailbox list of the wrong shape',
      '/v1/mailboxes/active',
      { endUsersWithActiveMailbox: 'all of them' },
      () => client.activeMailboxes(['131052-308T']),
    ],
    [
      'an event of a type the interface does not have',
      '/v2/events',
      {
        events: [{ type: 'Delivered by pigeon', eventTime: 'now', metadata: { messageId: '1', externalId: 'x' } }],
        continuationToken: 'c',
      },
      () => client.events(),
    ],
    ['a sent message without its id', '/v2/messages', {}, () => client.sendMultichannel({} as never)],
    [
      'an answer that is not JSON',
      '/v2/attachments',
      'Service Unavailable',
      () => client.uploadAttachment({ fileName: 'a.pdf', bytes: Buffer.from('%PDF') }),
    ],
  ])('refuses %s with a typed, non-retryable error', async (_what, path, body, call) => {
    answers.set(path, typeof body === 'string' ? body : JSON.stringify(body));
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessagesAnswerError);
    expect(error).toMatchObject({ status: 'invalid_answer', retryable: false });
  });
});
