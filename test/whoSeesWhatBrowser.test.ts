import { type Browser } from 'playwright-core';
import { ChunkedDocumentStore } from '../store/documentStore';
import { launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness, uniqueEmail } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { staffHeaders } from './support/staffSession';
import { sessionCookie, signInThroughProvider } from './support/staffSignIn';

/**
 * Who sees what, in real Chromium through the development OpenID Provider: an HR person of one unit
 * (`sinetti-hr-sivistys`) sends a contract; a handler signed in through the same provider cannot read it, its audit
 * trail or its document versions; every read by staff lands in the process's access trail; sign-out ends the cookie.
 */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('who-sees-what');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const TERMS: Record<string, string> = {
  employerName: 'Esimerkkilän kunta',
  employerAddress: 'Kunnantie 1, 99999 Esimerkkilä',
  employerBusinessId: '0116297-6',
  employeeAddress: 'Kotikatu 2, 99999 Esimerkkilä',
  startDate: '2027-01-04',
  endDate: '2027-01-29',
  fixedTermReason: 'Sijaisuus',
  placeOfWork: 'Esimerkkilän koulu',
  duties: 'Luokanopettajan sijaisuus',
  payBasis: 'OVTES',
  payPeriod: 'Kuukausi',
  workingHours: '24 oppituntia viikossa',
  annualLeave: 'Vuosilomalain mukaan',
  noticePeriod: 'Ei irtisanomisaikaa',
  collectiveAgreement: 'OVTES',
};

const withCookie = (cookie: string | undefined, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), cookie: `sinetti_staff=${cookie}` },
});

describe('who sees what', () => {
  it("keeps a unit's HR contract, its audit trail and its versions from a handler, and audits every staff read", async () => {
    const employee = uniqueEmail('employee');
    await harness.stack.withWorker(async () => {
      // HR of the sivistys unit signs in and sends a contract from the form.
      const hrContext = await browser.newContext({ locale: 'fi-FI' });
      const hr = await hrContext.newPage();
      await signInThroughProvider(hr, harness.baseUrl, 'siiri.sivistys', '/hr?lang=fi');
      await hr.getByRole('link', { name: 'Uusi sopimus' }).first().click();
      await hr.getByLabel('Otsikko').fill('Yksikön sopimus');
      await hr.locator('#employeeName').fill('Maija Meikäläinen');
      for (const [field, value] of Object.entries(TERMS)) await hr.locator(`#${field}`).fill(value);
      await hr.locator('#employeeSignerName').fill('Maija Meikäläinen');
      await hr.locator('#employeeSignerEmail').fill(employee);
      await hr.locator('#employerSignerName').fill('Erkki Esimies');
      await hr.locator('#employerSignerEmail').fill(uniqueEmail('employer'));
      await hr.locator('#hrEmail').fill(uniqueEmail('hr'));
      await hr.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
      await hr.waitForURL(/\/hr\/contracts\/contract-[^?]+\?lang=fi&done=created$/, { timeout: 30_000 });
      const contractId = /contracts\/(contract-[^?]+)/.exec(hr.url())![1];
      expect(await waitForMail(employee, 1)).toHaveLength(1);
      const hrCookie = await sessionCookie(hr);
      const ownAudit = await fetch(`${harness.baseUrl}/api/processes/${contractId}/audit`, withCookie(hrCookie));
      expect(ownAudit.status).toBe(200);

      const state = await harness
        .api()
        .get(`/api/processes/${contractId}`)
        .set(await staffHeaders(harness.baseUrl, 'admin'));
      const versionId = (state.body as { state: { round: { documentVersionId: string } } }).state.round.documentVersionId;
      expect(versionId).toBeDefined();
      const { documentId } = await new ChunkedDocumentStore(harness.stack.config.maxDocumentBytes).getVersion(versionId);

      // A handler signed in through the same provider: the contract, its audit trail and its versions are not theirs.
      const handlerContext = await browser.newContext({ locale: 'fi-FI' });
      const handler = await handlerContext.newPage();
      await signInThroughProvider(handler, harness.baseUrl, 'kalle.kasittelija', '/kasittely');
      const handlerCookie = await sessionCookie(handler);
      const refused = {
        contract: `/api/contracts/${contractId}`,
        process: `/api/processes/${contractId}`,
        audit: `/api/processes/${contractId}/audit`,
        versions: `/api/documents/${documentId}/versions`,
        content: `/api/versions/${versionId}/content`,
      };
      for (const [what, path] of Object.entries(refused)) {
        const answer = await fetch(`${harness.baseUrl}${path}`, withCookie(handlerCookie));
        expect([what, answer.status]).toEqual([what, what === 'contract' ? 403 : 404]);
      }
      const page = await handler.goto(`${harness.baseUrl}/hr/contracts/${contractId}`);
      expect(page?.status()).toBe(403);
      // HR of all units (hanna.hr) may read it; the handler's list of contracts is not theirs to ask for.
      const allHr = await browser.newContext();
      const allHrPage = await allHr.newPage();
      await signInThroughProvider(allHrPage, harness.baseUrl, 'hanna.hr', '/hr');
      expect((await fetch(`${harness.baseUrl}${refused.versions}`, withCookie(await sessionCookie(allHrPage)))).status).toBe(200);
      await allHr.close();

      // Every staff read is in the access trail: who, what, when.
      const reads = await harness
        .api()
        .get(`/api/processes/${contractId}/reads`)
        .set(await staffHeaders(harness.baseUrl, 'admin'));
      const events = (reads.body as { events: { actor: string; action: string; at: string }[] }).events;
      const actions = events.map((e) => `${e.actor} ${e.action}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'staff:hr:Siiri Sivistystoimi staff.read.contract',
          'staff:hr:Siiri Sivistystoimi staff.read.audit-trail',
          'staff:hr:Hanna Henkilöstö staff.read.document-versions',
        ]),
      );
      expect(actions.some((a) => a.includes('Kalle'))).toBe(false);

      // A foreign-Origin POST on HR's cookie is refused; sign-out, then the old cookie signs nobody in.
      const foreign = await fetch(
        `${harness.baseUrl}/api/contracts/${contractId}/cancel`,
        withCookie(hrCookie, {
          method: 'POST',
          headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'csrf' }),
        }),
      );
      expect(foreign.status).toBe(403);
      await hr.goto(`${harness.baseUrl}/hr?lang=fi`);
      await hr.getByRole('button', { name: 'Kirjaudu ulos' }).click();
      await hr.waitForURL((url) => url.href.startsWith(`${harness.baseUrl}/auth/signed-out`));
      expect((await fetch(`${harness.baseUrl}/api/contracts/${contractId}`, withCookie(hrCookie))).status).toBe(401);
      await hrContext.close();
      await handlerContext.close();
    });
  }, 240_000);
});
