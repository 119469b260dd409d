import express, { type Express } from 'express';
import { type SimulatedPeople } from '../simulatedPeople';

/**
 * A local population register answering HenkilonTunnusKysely from the
 * simulated people: names, the three address kinds and the security ban.
 * It can be told to fail (POST /sim/faults {kind, times}).
 */

const escapeXml = (text: string) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);

export function createPopulationRegisterSimulator(options: { people: SimulatedPeople; username: string; password: string }): Express {
  const faults: { kind: 'error' | 'timeout'; times: number }[] = [];
  const app = express();
  app.disable('x-powered-by');

  app.post('/vtj', express.text({ type: () => true, limit: '64kb' }), async (req, res) => {
    const rule = faults.find((f) => f.times > 0);
    if (rule) {
      rule.times -= 1;
      if (rule.kind === 'timeout') {
        await new Promise((r) => setTimeout(r, 30_000));
        res.socket?.destroy();
        return;
      }
      res.status(500).type('text/xml').send('<Fault>Simulated failure</Fault>');
      return;
    }
    const body = String(req.body ?? '');
    const field = (name: string) => new RegExp(`<(?:\\w+:)?${name}>([^<]*)</`).exec(body)?.[1] ?? '';
    if (field('Kayttajatunnus') !== options.username || field('Salasana') !== options.password) {
      res.status(200).type('text/xml').send(answer('<Paluukoodi koodi="0001">Tunnistus epäonnistui</Paluukoodi>'));
      return;
    }
    const identityCode = field('Henkilotunnus');
    const person = options.people.get(identityCode);
    const [firstNames, ...rest] = person.name.split(' ');
    const addressBlocks = Object.entries(person.addresses)
      .map(([kind, address]) =>
        address
          ? `<${kind}><LahiosoiteS>${escapeXml(address.street)}</LahiosoiteS><Postinumero>${address.postalCode}</Postinumero><PostitoimipaikkaS>${escapeXml(address.city)}</PostitoimipaikkaS></${kind}>`
          : '',
      )
      .join('');
    res
      .type('text/xml')
      .send(
        answer(
          [
            '<Paluukoodi koodi="0000">Haku onnistui</Paluukoodi>',
            '<Henkilo>',
            `<Henkilotunnus voimassaolokoodi="1">${identityCode}</Henkilotunnus>`,
            `<NykyinenSukunimi><Sukunimi>${escapeXml(rest.join(' '))}</Sukunimi></NykyinenSukunimi>`,
            `<NykyisetEtunimet><Etunimet>${escapeXml(firstNames ?? '')}</Etunimet></NykyisetEtunimet>`,
            `<Turvakielto><TurvakieltoTieto>${person.securityBan ? 1 : 0}</TurvakieltoTieto></Turvakielto>`,
            addressBlocks,
            '</Henkilo>',
          ].join(''),
        ),
      );
  });

  app.post('/sim/faults', express.json(), (req, res) => {
    faults.push({ kind: req.body?.kind === 'timeout' ? 'timeout' : 'error', times: Number(req.body?.times ?? 1) });
    res.status(201).json({ faults: faults.length });
  });

  return app;
}

function answer(content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><HenkilonTunnusKyselyResponse><HenkilonTunnusKyselyResult><VTJHenkiloVastaussanoma versio="1.0" sanomatunnus="PERUSJHHS2">${content}</VTJHenkiloVastaussanoma></HenkilonTunnusKyselyResult></HenkilonTunnusKyselyResponse></soap:Body></soap:Envelope>`;
}
