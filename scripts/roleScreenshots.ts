import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../config/config';
import { DEVELOPMENT_USERS } from '../integrations/identityProvider/developmentUsers';

/**
 * The README's pictures of each role's home page, taken with real Chromium
 * from the real pages of a running Sinetti (`npm start`), on a desktop and
 * on a phone: the staff home page (/tyotila) of HR, the secretary, the
 * handler, the registry and the admin, each signed in through the identity
 * provider as its development user, the admin's stuck list, and a signer's
 * signing page (from the link in the invitation mail). It first sends one
 * contract, so there is something to see.
 *   npx tsx scripts/roleScreenshots.ts          (SINETTI_PUBLIC_URL, MAIL_WEB_URL as for npm start)
 */
const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

async function sendContract(apiUrl: string, inbox: string): Promise<string> {
  const employee = `maija.meikalainen+${Date.now()}@example.test`;
  const response = await fetch(`${apiUrl}/api/contracts`, {
    method: 'POST',
    headers: { Authorization: 'Bearer dev-hr-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      title: 'Sijaisuus, Esimerkkilän koulu',
      terms: {
        employer: { name: 'Esimerkkilän kunta', address: 'Kunnantalontie 1, 00100 Esimerkkilä' },
        employee: { name: 'Maija Meikäläinen', address: 'Kotikatu 2, 00100 Esimerkkilä' },
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
      },
      signers: [
        { role: 'employee', name: 'Maija Meikäläinen', email: employee },
        { role: 'employer', name: 'Erkki Esimies', email: `erkki.esimies+${Date.now()}@example.test` },
      ],
      hr: { email: 'henkilosto@example.test' },
    }),
  });
  if (response.status !== 201) throw new Error(`POST /api/contracts answered ${response.status}: ${await response.text()}`);
  // The invitation's link, from the mail catcher's inbox.
  for (let tries = 0; tries < 120; tries++) {
    const mails = (await (await fetch(`${inbox}/email`)).json()) as { to: { address: string }[]; text: string }[];
    const invitation = mails.find((m) => m.to.some((t) => t.address === employee));
    const link = invitation && /(https?:\/\/\S+\/s\/[\w-]+\?lang=\w\w)/.exec(invitation.text)?.[1];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('No invitation mail arrived: is the worker running?');
}

async function shoot(browser: Browser, name: string, open: (page: Page) => Promise<void>): Promise<void> {
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    const context = await browser.newContext({ viewport, locale: 'fi-FI', timezoneId: 'Europe/Helsinki', deviceScaleFactor: 1 });
    const page = await context.newPage();
    await open(page);
    const file = path.join(OUT, `${name}-${device}.png`);
    await page.screenshot({ path: file, fullPage: false });
    console.log(`${file} (${Math.round(fs.statSync(file).size / 1024)} kB)`);
    await context.close();
  }
}

/** Signs in as a development user through the identity provider's form and lands on `returnTo`. */
async function signIn(page: Page, apiUrl: string, username: string, returnTo: string): Promise<void> {
  const user = DEVELOPMENT_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`No development user ${username}`);
  await page.goto(`${apiUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname + url.search === returnTo);
  await page.waitForLoadState('networkidle');
}

/** Each staff role's development user, whose home page is shown. */
const HOMES = [
  ['hr', 'hanna.hr'],
  ['secretary', 'sanna.sihteeri'],
  ['handler', 'kalle.kasittelija'],
  ['registry', 'kirsi.kirjaamo'],
  ['admin', 'aki.admin'],
] as const;

async function main(): Promise<void> {
  const config = loadConfig();
  const apiUrl = config.publicUrl.replace(/\/$/, '');
  const inbox = process.env.MAIL_WEB_URL ?? `http://127.0.0.1:${config.smtp.webPort}`;
  fs.mkdirSync(OUT, { recursive: true });
  const signerLink = await sendContract(apiUrl, inbox);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    for (const [role, username] of HOMES) await shoot(browser, `${role}-home`, (page) => signIn(page, apiUrl, username, '/tyotila'));
    await shoot(browser, 'admin', (page) => signIn(page, apiUrl, 'aki.admin', '/admin'));
    await shoot(browser, 'signer', async (page) => {
      await page.goto(signerLink);
      await page.waitForLoadState('networkidle');
    });
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
