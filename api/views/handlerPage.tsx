import { staffConsole } from './kit/staffConsole';

/**
 * The case handler's page: sign in once, pick a round, see its
 * applications with their states, open one, ask for supplementation,
 * draft the decision, sign it, and download the round's table. Its script
 * (/assets/handler.js) only calls the handler API (/api/rounds,
 * /api/applications) with the staff session cookie, so the page can do
 * nothing the API would not allow.
 */

function DecisionOptions() {
  return (
    <>
      <option value="approve">Hyväksytään</option>
      <option value="partly">Hyväksytään osittain</option>
      <option value="deny">Hylätään</option>
    </>
  );
}

export function handlerPage(organization: string): string {
  return staffConsole({
    language: 'fi',
    title: `Hakemusten käsittely – ${organization}`,
    stylesheet: 'handler',
    script: 'handler',
    header: <p>{organization}</p>,
    children: (
      <>
        <h1>Hakemusten käsittely</h1>
        <p id="message" role="status" aria-live="polite"></p>
        <section>
          <h2>Kirjaudu</h2>
          <form id="signin">
            <label for="token">Käsittelijän tunniste</label>
            <input id="token" type="password" autocomplete="current-password" />
            <button type="submit">Kirjaudu</button>
          </form>
        </section>
        <section id="rounds" hidden>
          <h2>Haku</h2>
          <form id="round-form">
            <label for="round">Hakukierros</label>
            <input id="round" type="text" />
            <button type="submit">Näytä hakemukset</button>
          </form>
        </section>
        <section id="list" hidden>
          <h2>Hakemukset</h2>
          <p>
            Taulukko:{' '}
            <a id="export-avustushakemus-xlsx" href="#">
              avustukset XLSX
            </a>
            ,{' '}
            <a id="export-avustushakemus-csv" href="#">
              avustukset CSV
            </a>
            ,{' '}
            <a id="export-kulukorvaus-xlsx" href="#">
              kulukorvaukset XLSX
            </a>
            ,{' '}
            <a id="export-kulukorvaus-csv" href="#">
              kulukorvaukset CSV
            </a>
          </p>
          <table>
            <caption>Hakukierroksen hakemukset</caption>
            <thead>
              <tr>
                <th scope="col">Asia</th>
                <th scope="col">Lomake</th>
                <th scope="col">Hakija</th>
                <th scope="col">Tila</th>
                <th scope="col">Haettu (€)</th>
                <th scope="col">Päätös</th>
                <th scope="col">Maksu</th>
              </tr>
            </thead>
            <tbody id="applications"></tbody>
          </table>
        </section>
        <section id="detail" hidden>
          <h2 id="detail-title" tabindex={-1}></h2>
          <dl id="detail-values"></dl>
          <form id="supplement-form">
            <h3>Täydennyspyyntö</h3>
            <label for="supplement-fields">Täydennettävät kentät (pilkuin eroteltuna)</label>
            <input id="supplement-fields" type="text" />
            <label for="supplement-message">Viesti hakijalle</label>
            <textarea id="supplement-message" rows={3} />
            <label for="supplement-deadline">Määräaika</label>
            <input id="supplement-deadline" type="datetime-local" />
            <button type="submit">Lähetä täydennyspyyntö</button>
          </form>
          <form id="decision-form">
            <h3>Päätösesitys</h3>
            <label for="decision-outcome">Päätös</label>
            <select id="decision-outcome">
              <DecisionOptions />
            </select>
            <label for="decision-amount">Myönnettävä summa (€)</label>
            <input id="decision-amount" type="text" inputmode="decimal" />
            <label for="decision-reasoning">Perustelut</label>
            <textarea id="decision-reasoning" rows={4} />
            <button type="submit">Lähetä allekirjoitettavaksi</button>
          </form>
          <button id="sign" type="button">
            Allekirjoita päätös
          </button>
          <p id="detail-rectification" hidden></p>
          <form id="rectification-form">
            <h3>Päätös oikaisuvaatimukseen</h3>
            <label for="rectification-resolution">Ratkaisu</label>
            <select id="rectification-resolution">
              <option value="upheld">Päätös pysyy</option>
              <option value="corrected">Päätöstä oikaistaan</option>
            </select>
            <label for="rectification-outcome">Oikaistu päätös</label>
            <select id="rectification-outcome">
              <DecisionOptions />
            </select>
            <label for="rectification-amount">Oikaistu summa (€)</label>
            <input id="rectification-amount" type="text" inputmode="decimal" />
            <label for="rectification-reasoning">Perustelut</label>
            <textarea id="rectification-reasoning" rows={3} />
            <button type="submit">Lähetä allekirjoitettavaksi</button>
          </form>
        </section>
      </>
    ),
  });
}
