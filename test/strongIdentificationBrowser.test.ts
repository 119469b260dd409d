import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { type Browser, type Page } from 'playwright-core';
import { TEST_PERSONS } from '../integrations/identityProvider/testPersons';
import { checkIdentityCode } from '../rules/identifiers';
import { launchChromium } from './support/browser';
import { type ContractHarness, contractRequest, invitationLink, openContractHarness, uniqueEmail } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { pdfsig, summarisePdfsig } from './support/pdfTools';
import { type LocalIdentityProvider, startLocalIdentityProvider } from './support/localIdentityProvider';
import { staffHeaders } from './support/staffSession';

/**
 * Strong identification before signing, in real Chromium against the local
 * OpenID Provider playing Suomi.fi e-Identification (its own instance on a
 * free port, so the shared test stack's provider, whatever its version, is
 * left alone): the right person signs and the sealed PDF says how they were
 * identified; another person is refused and nothing is signed.
 */

const run = promisify(execFile);
let harness: ContractHarness;
let browser: Browser;
let provider: LocalIdentityProvider;

beforeAll(async () => {
  provider = await startLocalIdentityProvider();
  harness = await openContractHarness('strong-identification', { IDP_PORT: String(provider.port) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
  provider?.stop();
});

const person = (id: string) => TEST_PERSONS.find((p) => p.id === id)!;

async function pdfText(pdf: Buffer): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-strong-')), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** From the signer's link through the provider's test-person chooser; leaves the page where the provider sends it back. */
async function identifyAs(page: Page, url: string, personId: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Tunnistaudu' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/interaction/'));
  if (personId === 'cancel') await page.getByRole('button', { name: 'Cancel identification' }).click();
  else await page.getByRole('button', { name: new RegExp(person(personId).identityCode) }).click();
  await page.waitForURL((u) => u.href.startsWith(harness.baseUrl), { timeout: 15_000 });
}

async function signOnPage(page: Page, name: string): Promise<void> {
  await page.locator('input[name="consent"]').check();
  await page.locator('input[name="typedName"]').fill(name);
  await page.getByRole('button', { name: 'Allekirjoita', exact: true }).click();
  await page.waitForLoadState();
}

async function contract(contractId: string) {
  const response = await harness
    .api()
    .get(`/api/contracts/${contractId}`)
    .set(await staffHeaders(harness.baseUrl, 'hr'));
  expect(response.status).toBe(200);
  return response.body as { status: string; signers: { status: string }[]; history: { action: string; details?: object }[] };
}

test('the test persons have valid identity codes', () => {
  for (const p of TEST_PERSONS) expect(checkIdentityCode(p.identityCode)).toMatchObject({ valid: true, temporary: false });
});

test('strong identification needs every signer’s identity code, valid, and no one-time code besides', async () => {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const base = contractRequest(who);
  const missing = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send({ ...base, identification: 'strong' });
  expect(missing.status).toBe(400);
  expect(JSON.stringify(missing.body)).toContain("needs the signer's personal identity code");
  const wrongChecksum = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send({ ...base, identification: 'strong', signers: base.signers.map((s) => ({ ...s, identityCode: '010280-123X' })) });
  expect(wrongChecksum.status).toBe(400);
  expect(JSON.stringify(wrongChecksum.body)).toContain('not a valid personal identity code');
});

test('the right person identifies strongly and signs; another person is refused and nothing is signed', async () => {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const base = contractRequest(who);
  const body = {
    ...base,
    identification: 'strong',
    signingOrder: 'parallel',
    signers: [
      { ...base.signers[0], language: 'fi', identityCode: person('maija').identityCode },
      { ...base.signers[1], language: 'fi', identityCode: person('matti').identityCode },
    ],
  };
  await harness.stack.withWorker(async () => {
    const created = await harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .send(body);
    expect(created.status).toBe(201);
    const contractId = created.body.contractId as string;
    const stored = await mongoose.connection.collection('employment_contracts').findOne({ _id: contractId as never });
    expect(JSON.stringify(stored)).not.toContain(person('maija').identityCode);
    expect(JSON.stringify((await contract(contractId)).signers)).not.toContain('identityCode');

    const employeeLink = await invitationLink(who.employee);
    const employerLink = await invitationLink(who.employer);
    const context = await browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();

    // Teppo identifies behind Maija's link: refused in Finnish, HR told, nothing signed, no evidence stored.
    await identifyAs(page, employeeLink.url, 'teppo');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja');
    expect(await page.content()).not.toContain(person('teppo').identityCode);
    const afterMismatch = await contract(contractId);
    expect(afterMismatch.signers.map((s) => s.status)).toEqual(['invited', 'invited']);
    expect(afterMismatch.history.map((e) => e.action)).toContain('contract.identification_refused');
    expect(JSON.stringify(afterMismatch.history)).not.toContain(person('teppo').identityCode);
    expect(await mongoose.connection.collection('signer_evidence').countDocuments({ contractId })).toBe(0);
    expect((await waitForMail(who.hr, 1)).some((m) => m.subject.startsWith('Tunnistautuminen hylätty'))).toBe(true);
    // The signing form stays shut: the page asks for identification again.
    await page.goto(employeeLink.url);
    expect(await page.locator('input[name="typedName"]').count()).toBe(0);

    // Cancelling at the provider explains itself and signs nothing.
    await identifyAs(page, employeeLink.url, 'cancel');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tunnistautuminen keskeytyi');

    // Maija and Matti identify and sign.
    await identifyAs(page, employeeLink.url, 'maija');
    await signOnPage(page, 'Maija Meikäläinen');
    const employerContext = await browser.newContext({ locale: 'fi-FI' });
    const employerPage = await employerContext.newPage();
    await identifyAs(employerPage, employerLink.url, 'matti');
    await signOnPage(employerPage, 'Erkki Esimies');

    const result = (await harness.stack.client.workflow.getHandle(contractId).result()) as { status: string };
    expect(result.status).toBe('completed');
    const sealed = await harness
      .api()
      .get(`/api/contracts/${contractId}/sealed.pdf`)
      .set(await staffHeaders(harness.baseUrl, 'hr'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(sealed.status).toBe(200);
    const pdf = sealed.body as Buffer;
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Suomi.fi e-Identification (development simulation), level of assurance high');
    expect(text).toContain('Suomi.fi e-Identification (development simulation), level of assurance substantial');
    expect(text).toContain('varmuustaso korkea');
    expect(text).not.toContain(person('maija').identityCode);
    expect(summarisePdfsig(await pdfsig(pdf))).toMatchObject({ signatures: 3, valid: 3 });
    await context.close();
    await employerContext.close();
  });
}, 180_000);
