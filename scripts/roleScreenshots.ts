import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../config/config';

/**
 * The README's pictures of each role's home page, taken with real Chromium
 * from the real pages of a running Sinetti (`npm start`), on a desktop and
 * on a phone: HR's contract list, a signer's signing page (from the link in
 * the invitation mail), the registry's batches and the admin's page. It first
 * sends one contract, so there is something to see.
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

async function signIn(page: Page, url: string, token: string, label: RegExp, button: RegExp): Promise<void> {
  await page.goto(url);
  await page.getByLabel(label).fill(token);
  await page.getByRole('button', { name: button }).click();
  await page.waitForLoadState('networkidle');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const apiUrl = config.publicUrl.replace(/\/$/, '');
  const inbox = process.env.MAIL_WEB_URL ?? `http://127.0.0.1:${config.smtp.webPort}`;
  fs.mkdirSync(OUT, { recursive: true });
  const signerLink = await sendContract(apiUrl, inbox);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    await shoot(browser, 'hr', (page) => signIn(page, `${apiUrl}/hr?lang=fi`, 'dev-hr-token', /Henkilöstötunnus/, /Kirjaudu/));
    await shoot(browser, 'signer', async (page) => {
      await page.goto(signerLink);
      await page.waitForLoadState('networkidle');
    });
    await shoot(browser, 'registry', (page) => signIn(page, `${apiUrl}/registry`, 'dev-registry-token', /Staff token/, /Sign in/));
    await shoot(browser, 'admin', async (page) => {
      await page.goto(`${apiUrl}/admin`);
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
