import mongoose from 'mongoose';
import { TEST_PERSONS } from '../integrations/identityProvider/testPersons';
import { checkIdentityCode } from '../rules/identifiers';
import { contractRequest, invitationLink, uniqueEmail } from './support/contractHarness';
import { waitForMail } from './support/mailbox';
import { bytesOf, pdfsig, pdfText, summarisePdfsig } from './support/pdfTools';
import { staffHeaders } from './support/staffSession';
import { signOnPage, testPerson, useIdentificationSuite } from './support/identityProviderProcess';

/**
 * Strong identification before signing, in real Chromium against the local
 * OpenID Provider playing Suomi.fi e-Identification (its own instance on a
 * free port, so the shared test stack's provider, whatever its version, is
 * left alone): the right person signs and the sealed PDF says how they were
 * identified; another person is refused and nothing is signed.
 */

const suite = useIdentificationSuite('strong-identification');
const { identifyAs } = suite;

async function contract(contractId: string) {
  const response = await suite.harness
    .api()
    .get(`/api/contracts/${contractId}`)
    .set(await staffHeaders(suite.harness.baseUrl, 'hr'));
  expect(response.status).toBe(200);
  return response.body as { status: string; signers: { status: string }[]; history: { action: string; details?: object }[] };
}

test('the test persons have valid identity codes', () => {
  for (const p of TEST_PERSONS) expect(checkIdentityCode(p.identityCode)).toMatchObject({ valid: true, temporary: false });
});

test('strong identification needs every signer’s identity code, valid, and no one-time code besides', async () => {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const base = contractRequest(who);
  const missing = await suite.harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(suite.harness.baseUrl, 'hr'))
    .send({ ...base, identification: 'strong' });
  expect(missing.status).toBe(400);
  expect(JSON.stringify(missing.body)).toContain("needs the signer's personal identity code");
  const wrongChecksum = await suite.harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(suite.harness.baseUrl, 'hr'))
    .send({ ...base, identification: 'strong', signers: base.signers.map((s) => ({ ...s, identityCode: '010280-123X' })) });
  expect(wrongChecksum.status).toBe(400);
  expect(JSON.stringify(wrongChecksum.body)).toContain('not a valid personal identity code');
});

/** A contract whose two signers, Maija and Matti, must identify strongly, in parallel, in Finnish. */
function strongContract() {
  const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
  const base = contractRequest(who);
  const body = {
    ...base,
    identification: 'strong',
    signingOrder: 'parallel',
    signers: [
      { ...base.signers[0], language: 'fi', identityCode: testPerson('maija').identityCode },
      { ...base.signers[1], language: 'fi', identityCode: testPerson('matti').identityCode },
    ],
  };
  return { who, body };
}

test('the right person identifies strongly and signs; another person is refused and nothing is signed', async () => {
  const { who, body } = strongContract();
  await suite.harness.stack.withWorker(async () => {
    const created = await suite.harness
      .api()
      .post('/api/contracts')
      .set(await staffHeaders(suite.harness.baseUrl, 'hr'))
      .send(body);
    expect(created.status).toBe(201);
    const contractId = created.body.contractId as string;
    const stored = await mongoose.connection.collection('employment_contracts').findOne({ _id: contractId as never });
    expect(JSON.stringify(stored)).not.toContain(testPerson('maija').identityCode);
    expect(JSON.stringify((await contract(contractId)).signers)).not.toContain('identityCode');

    const employeeLink = await invitationLink(who.employee);
    const employerLink = await invitationLink(who.employer);
    const context = await suite.browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();

    // Teppo identifies behind Maija's link: refused in Finnish, HR told, nothing signed, no evidence stored.
    await identifyAs(page, employeeLink.url, 'teppo');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja');
    expect(await page.content()).not.toContain(testPerson('teppo').identityCode);
    const afterMismatch = await contract(contractId);
    expect(afterMismatch.signers.map((s) => s.status)).toEqual(['invited', 'invited']);
    expect(afterMismatch.history.map((e) => e.action)).toContain('contract.identification_refused');
    expect(JSON.stringify(afterMismatch.history)).not.toContain(testPerson('teppo').identityCode);
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
    const employerContext = await suite.browser.newContext({ locale: 'fi-FI' });
    const employerPage = await employerContext.newPage();
    await identifyAs(employerPage, employerLink.url, 'matti');
    await signOnPage(employerPage, 'Erkki Esimies');

    const result = (await suite.harness.stack.client.workflow.getHandle(contractId).result()) as { status: string };
    expect(result.status).toBe('completed');
    const sealed = await suite.harness
      .api()
      .get(`/api/contracts/${contractId}/sealed.pdf`)
      .set(await staffHeaders(suite.harness.baseUrl, 'hr'))
      .buffer(true)
      .parse(bytesOf);
    expect(sealed.status).toBe(200);
    const pdf = sealed.body as Buffer;
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Suomi.fi e-Identification (development simulation), level of assurance high');
    expect(text).toContain('Suomi.fi e-Identification (development simulation), level of assurance substantial');
    expect(text).toContain('varmuustaso korkea');
    expect(text).not.toContain(testPerson('maija').identityCode);
    expect(summarisePdfsig(await pdfsig(pdf))).toMatchObject({ signatures: 3, valid: 3 });
    await context.close();
    await employerContext.close();
  });
}, 180_000);

test('three refused identifications lock a contract signer’s link; HR unlocks it', async () => {
  const { who, body } = strongContract();
  await suite.harness.stack.withWorker(async () => {
    const hr = await staffHeaders(suite.harness.baseUrl, 'hr');
    const created = await suite.harness.api().post('/api/contracts').set(hr).send(body);
    expect(created.status).toBe(201);
    const contractId = created.body.contractId as string;
    const employeeLink = await invitationLink(who.employee);
    const context = await suite.browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();
    for (const headingAfter of [
      'Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja',
      'Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja',
      'Linkki on lukittu',
    ]) {
      await identifyAs(page, employeeLink.url, 'teppo');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(headingAfter);
    }
    await page.goto(employeeLink.url);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Linkki on lukittu');
    const mails = await waitForMail(who.hr, 3);
    expect(mails.filter((m) => m.subject.startsWith('Allekirjoituslinkki lukittu hylättyjen tunnistautumisten vuoksi'))).toHaveLength(1);
    expect((await contract(contractId)).history.map((e) => e.action)).toContain('contract.identification_locked');

    const unlockPath = (participantId: string) => `/api/contracts/${contractId}/signers/${participantId}/unlock-identification`;
    const unlocked = await suite.harness.api().post(unlockPath('signer-1')).set(hr);
    expect(unlocked.body).toEqual({ unlocked: true });
    expect((await suite.harness.api().post(unlockPath('signer-1')).set(hr)).body).toEqual({ unlocked: false });
    expect((await suite.harness.api().post(unlockPath('signer-9')).set(hr)).status).toBe(404);
    await identifyAs(page, employeeLink.url, 'maija');
    expect(await page.locator('input[name="typedName"]').count()).toBe(1);
    await context.close();
  });
}, 180_000);
