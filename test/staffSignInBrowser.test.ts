import { type Browser } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';
import { type ContractHarness, openContractHarness, uniqueEmail } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { minutesPeople, startReview } from './support/minutesHarness';
import { fillProviderForm, sessionCookie, signInThroughProvider } from './support/staffSignIn';
import { staffHeaders } from './support/staffSession';

/** Staff sign in through the development OpenID Provider in real Chromium: code flow with PKCE, server-side sessions, the Origin check. */

let harness: ContractHarness;
let browser: Browser;
beforeAll(async () => {
  harness = await openContractHarness('staff-sign-in');
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

describe('staff sign-in through the identity provider', () => {
  it('signs HR in, sends a contract from /hr, refuses a foreign-Origin POST, and signs out for good', async () => {
    const employee = uniqueEmail('employee');
    await harness.stack.withWorker(async () => {
      const context = await browser.newContext({ locale: 'fi-FI' });
      const page = await context.newPage();
      // A wrong password stays at the provider.
      await page.goto(`${harness.baseUrl}/auth/login?returnTo=%2Fhr%3Flang%3Dfi`);
      await fillProviderForm(page, 'hanna.hr', 'wrong');
      expect(await page.getByRole('alert').textContent()).toContain('Wrong username or password');
      await signInThroughProvider(page, harness.baseUrl, 'hanna.hr', '/hr?lang=fi');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sopimukset');
      const cookie = await sessionCookie(page);
      expect(cookie).toBeDefined();

      await page.getByRole('link', { name: 'Uusi sopimus' }).first().click();
      await page.getByLabel('Otsikko').fill('Kirjautumisen testi');
      await page.locator('#employeeName').fill('Maija Meikäläinen');
      for (const [field, value] of Object.entries(TERMS)) await page.locator(`#${field}`).fill(value);
      await page.locator('#employeeSignerName').fill('Maija Meikäläinen');
      await page.locator('#employeeSignerEmail').fill(employee);
      await page.locator('#employerSignerName').fill('Erkki Esimies');
      await page.locator('#employerSignerEmail').fill(uniqueEmail('employer'));
      await page.locator('#hrEmail').fill(uniqueEmail('hr'));
      await page.getByRole('button', { name: 'Lähetä allekirjoitettavaksi' }).click();
      await page.waitForURL(/\/hr\/contracts\/contract-[^?]+\?lang=fi&done=created$/, { timeout: 15_000 }).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${page.url()}\n${(await page.content()).slice(0, 600)}`);
      });
      const contractId = /contracts\/(contract-[^?]+)/.exec(page.url())![1];
      expect(await waitForMail(employee, 1)).toHaveLength(1);
      // The audit trail names the person the provider vouched for.
      const history = await harness
        .api()
        .get(`/api/processes/${contractId}/audit`)
        .set(await staffHeaders(harness.baseUrl, 'admin'));
      expect(history.status).toBe(200);
      expect(JSON.stringify(history.body)).toContain('Hanna Henkilöstö');

      // Another site's form riding on the session cookie is refused; our own origin is let through.
      const foreign = await fetch(`${harness.baseUrl}/api/contracts/${contractId}/cancel`, {
        method: 'POST',
        headers: { cookie: `sinetti_staff=${cookie}`, origin: 'https://evil.example', 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'csrf' }),
      });
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as { error: string }).error).toBe('foreign_origin');
      const own = await fetch(`${harness.baseUrl}/api/contracts/${contractId}`, { headers: { cookie: `sinetti_staff=${cookie}` } });
      expect(own.status).toBe(200);

      // Sign-out ends the session here and at the provider; the old cookie then signs nobody in.
      await page.goto(`${harness.baseUrl}/hr?lang=fi`);
      await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${harness.baseUrl}/auth/signed-out`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed out');
      const replayed = await fetch(`${harness.baseUrl}/api/contracts/${contractId}`, { headers: { cookie: `sinetti_staff=${cookie}` } });
      expect(replayed.status).toBe(401);
      // The provider's session is gone too: signing in again asks for the password.
      await page.goto(`${harness.baseUrl}/auth/login?returnTo=%2Fhr`);
      expect(await page.getByLabel('Password').isVisible()).toBe(true);
      await context.close();
    });
  });

  it("brings the secretary from the mail's /minutes/<id> link through sign-in to the minutes", async () => {
    const who = minutesPeople();
    await harness.stack.withWorker(async () => {
      const reviewId = await startReview(harness, who);
      const context = await browser.newContext({ locale: 'fi-FI' });
      const page = await context.newPage();
      await page.goto(`${harness.baseUrl}/minutes/${reviewId}`);
      await fillProviderForm(page, 'sanna.sihteeri', 'sihteeri-salasana');
      await page.waitForURL(`${harness.baseUrl}/minutes/${reviewId}`);
      expect(await page.locator('h1').count()).toBeGreaterThan(0);
      expect(await page.content()).not.toContain('"error"');
      await context.close();
    });
  });

  it('gives a person with several roles each of them, and one without HR no HR page', async () => {
    const context = await browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();
    await signInThroughProvider(page, harness.baseUrl, 'monika.moni', '/hr?lang=fi');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sopimukset');
    const cookie = await sessionCookie(page);
    const letters = await fetch(`${harness.baseUrl}/api/letter-batches`, { headers: { cookie: `sinetti_staff=${cookie}` } });
    expect(letters.status).toBe(200);
    const admin = await fetch(`${harness.baseUrl}/api/admin/stuck`, { headers: { cookie: `sinetti_staff=${cookie}` } });
    expect(admin.status).toBe(403);
    await context.close();

    // A page a handler's role does not cover answers in words, not JSON.
    const handlerContext = await browser.newContext({ locale: 'fi-FI' });
    const handlerPage = await handlerContext.newPage();
    await signInThroughProvider(handlerPage, harness.baseUrl, 'kalle.kasittelija', '/kasittely');
    const forbidden = await handlerPage.goto(`${harness.baseUrl}/minutes/minutes-00000000-0000-0000-0000-000000000000`);
    expect(forbidden?.status()).toBe(403);
    expect(await handlerPage.getByRole('alert').textContent()).toContain('Sivu vaatii roolin secretary; roolisi: handler.');
    expect(await axeViolations(handlerPage)).toEqual([]);
    await handlerContext.close();
  });

  it('lets a signed-in admin create an API key on /admin, shown once, and revoke it', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signInThroughProvider(page, harness.baseUrl, 'aki.admin', '/admin?lang=en');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel("Client's name").fill('asianhallinta-ui');
    await page.getByLabel('HR', { exact: true }).check();
    await page.getByLabel('Expires on').fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText(/The new key .*snk_/).waitFor();
    const key = /snk_\S+/.exec(await page.locator('#new-key').innerText())![0];
    expect((await harness.api().get('/api/contracts').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revoke asianhallinta-ui' }).first().click();
    await page.getByText('Revoked the key of asianhallinta-ui.').waitFor();
    expect((await harness.api().get('/api/contracts').set('Authorization', `Bearer ${key}`)).status).toBe(401);
    await context.close();
    // The admin page surveys every open process of the namespace: on a shared stack full of other suites' processes, slow.
  }, 120_000);
});
