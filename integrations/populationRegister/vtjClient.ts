import { randomUUID } from 'node:crypto';
import { HttpAnswer, httpCall } from '../httpCall';
import {
  ADDRESS_PREFERENCE, AddressLookup, AddressSource, PopulationRegister, PopulationRegisterError, PostalAddressLines, preferredAddress, ProtectedAddress,
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

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml);
  return match ? match[1]!.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim() : undefined;
}

/** Reads a HenkilonTunnusKysely answer. The returned address is chosen by ADDRESS_PREFERENCE. */
export function parseVtjAnswer(xml: string): AddressLookup {
  const person = element(xml, 'Henkilo');
  if (!person) return { kind: 'not_found' };
  const lastName = element(person, 'Sukunimi') ?? '';
  const firstNames = element(person, 'Etunimet') ?? '';
  const name = `${firstNames} ${lastName}`.trim();
  const addresses: Partial<Record<AddressSource, PostalAddressLines>> = {};
  for (const source of ADDRESS_PREFERENCE) {
    const block = element(person, source);
    if (!block) continue;
    addresses[source] = {
      street: element(block, source === 'KotimainenPostiosoite' ? 'PostiosoiteS' : 'LahiosoiteS') ?? element(block, 'LahiosoiteS') ?? '',
      postalCode: element(block, 'Postinumero') ?? '',
      city: element(block, 'PostitoimipaikkaS') ?? '',
    };
  }
  const chosen = preferredAddress(addresses);
  const securityBan = element(person, 'TurvakieltoTieto') === '1';
  if (securityBan) return chosen ? { kind: 'security_ban', protectedAddress: new ProtectedAddress(name, chosen.address) } : { kind: 'security_ban' };
  if (!chosen) return { kind: 'no_address', name };
  return { kind: 'found', name, address: chosen.address, source: chosen.source };
}
