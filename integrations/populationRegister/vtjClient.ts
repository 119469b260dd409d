import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { type HttpAnswer, httpCall } from '../httpCall';
import {
  ADDRESS_PREFERENCE,
  type AddressLookup,
  type AddressSource,
  type PopulationRegister,
  PopulationRegisterError,
  type PostalAddressLines,
  preferredAddress,
  ProtectedAddress,
} from './populationRegister';

export interface VtjClientOptions {
  url: string;
  username: string;
  password: string;
  endUser: string;
  timeoutMs: number;
  /** The message set asked for, e.g. "Perussanoma 3". */
  messageSet?: string;
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The register's HenkilonTunnusKysely (a query by identity code) over the
 * data exchange layer: a SOAP request naming the message set, the user and
 * the end user; the answer's address elements are read by name.
 */
export class VtjClient implements PopulationRegister {
  constructor(private readonly options: VtjClientOptions) {}

  async lookupAddress(identityCode: string): Promise<AddressLookup> {
    const envelope = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:vtj="http://xml.vrk.fi/ws/vtj/vtjkysely/1">',
      '<soapenv:Body><vtj:HenkilonTunnusKysely><vtj:request>',
      `<vtj:SoSoNimi>${escapeXml(this.options.messageSet ?? 'Perussanoma 3')}</vtj:SoSoNimi>`,
      `<vtj:Kayttajatunnus>${escapeXml(this.options.username)}</vtj:Kayttajatunnus>`,
      `<vtj:Salasana>${escapeXml(this.options.password)}</vtj:Salasana>`,
      `<vtj:Loppukayttaja>${escapeXml(this.options.endUser)}</vtj:Loppukayttaja>`,
      `<vtj:Laskutustiedot></vtj:Laskutustiedot>`,
      `<vtj:Henkilotunnus>${escapeXml(identityCode)}</vtj:Henkilotunnus>`,
      `<vtj:SahkoinenAsiointitunnus></vtj:SahkoinenAsiointitunnus>`,
      `<vtj:VarmenteenMyontaja></vtj:VarmenteenMyontaja><vtj:X509Certificate></vtj:X509Certificate>`,
      `<vtj:VarmenteenVoimassaolotarkistus></vtj:VarmenteenVoimassaolotarkistus><vtj:VarmenteenSulkulistatarkistus></vtj:VarmenteenSulkulistatarkistus>`,
      `<vtj:Tunnistusportaali></vtj:Tunnistusportaali><vtj:Vara1></vtj:Vara1>`,
      '</vtj:request></vtj:HenkilonTunnusKysely></soapenv:Body></soapenv:Envelope>',
    ].join('');
    let response: HttpAnswer;
    try {
      response = await httpCall(this.options.url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: 'HenkilonTunnusKysely', 'X-Request-Id': randomUUID() },
        body: envelope,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (error) {
      throw new PopulationRegisterError(`Population register not reachable: ${(error as Error).name}`, true);
    }
    if (!response.ok) throw new PopulationRegisterError(`Population register answered HTTP ${response.status}`, response.status >= 500);
    return parseVtjAnswer(response.text);
  }
}

/** A text element; one with attributes (`<Paluukoodi koodi="0000">…`) comes as an object with its text in #text. */
const text = z
  .union([z.string(), z.object({ '#text': z.string().optional() }).transform((e) => e['#text'] ?? '')])
  .transform((t) => t.trim());

const addressBlock = z.object({
  LahiosoiteS: text.optional(),
  PostiosoiteS: text.optional(),
  Postinumero: text.optional(),
  PostitoimipaikkaS: text.optional(),
});

const personSchema = z.object({
  NykyinenSukunimi: z.object({ Sukunimi: text.optional() }).optional(),
  NykyisetEtunimet: z.object({ Etunimet: text.optional() }).optional(),
  /** The protection order: never guessed. An answer without a readable flag is refused, as "no ban" could print a protected address. */
  Turvakielto: z.object(
    { TurvakieltoTieto: text.pipe(z.enum(['0', '1'], 'The protection-order flag is 0 or 1.')) },
    'Every person in an answer carries the protection-order flag (Turvakielto).',
  ),
  KotimainenPostiosoite: addressBlock.optional(),
  TilapainenKotimainenLahiosoite: addressBlock.optional(),
  VakinainenKotimainenLahiosoite: addressBlock.optional(),
});

const returnCode = z.object({ '@_koodi': z.string() });

/** An answer the register sent that does not say what a person's data is: refused rather than read as "not found". */
export class PopulationRegisterAnswerError extends PopulationRegisterError {
  constructor(readonly problems: string[]) {
    super(`Population register answer not understood: ${problems.join('; ')}`, false);
  }
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: true,
});

/** The first element of this name anywhere in the parsed tree. */
function find(node: unknown, name: string): unknown {
  if (!node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) return node.map((n) => find(n, name)).find((n) => n !== undefined);
  const record = node as Record<string, unknown>;
  if (name in record) return record[name];
  for (const child of Object.values(record)) {
    const found = find(child, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Reads a HenkilonTunnusKysely answer with an XML parser and a schema. The returned address is chosen by ADDRESS_PREFERENCE. */
export function parseVtjAnswer(answer: string): AddressLookup {
  const validity = XMLValidator.validate(answer);
  if (validity !== true) throw new PopulationRegisterAnswerError([`not well-formed XML (line ${validity.err.line}: ${validity.err.msg})`]);
  const tree = xml.parse(answer) as unknown;
  const code = returnCode.safeParse(find(tree, 'Paluukoodi'));
  if (code.success && code.data['@_koodi'] !== '0000')
    throw new PopulationRegisterAnswerError([`the register refused the query (return code ${code.data['@_koodi']})`]);
  const found = find(tree, 'Henkilo');
  if (found === undefined || found === '') return { kind: 'not_found' };
  const parsed = personSchema.safeParse(found);
  if (!parsed.success) throw new PopulationRegisterAnswerError(parsed.error.issues.map((i) => `Henkilo.${i.path.join('.')}: ${i.message}`));
  const person = parsed.data;
  const name = `${person.NykyisetEtunimet?.Etunimet ?? ''} ${person.NykyinenSukunimi?.Sukunimi ?? ''}`.trim();
  const addresses: Partial<Record<AddressSource, PostalAddressLines>> = {};
  for (const source of ADDRESS_PREFERENCE) {
    const block = person[source];
    if (!block) continue;
    addresses[source] = {
      street: (source === 'KotimainenPostiosoite' ? block.PostiosoiteS : undefined) ?? block.LahiosoiteS ?? '',
      postalCode: block.Postinumero ?? '',
      city: block.PostitoimipaikkaS ?? '',
    };
  }
  const chosen = preferredAddress(addresses);
  if (person.Turvakielto.TurvakieltoTieto === '1')
    return chosen ? { kind: 'security_ban', protectedAddress: new ProtectedAddress(name, chosen.address) } : { kind: 'security_ban' };
  if (!chosen) return { kind: 'no_address', name };
  return { kind: 'found', name, address: chosen.address, source: chosen.source };
}
