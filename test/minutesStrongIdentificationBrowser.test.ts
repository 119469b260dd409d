import mongoose from 'mongoose';
import { type Page } from 'playwright-core';
import type { CreateMinutesRequest } from '../application/minutesRequests';
import { signOnPage, testPerson, useIdentificationSuite } from './support/identityProviderProcess';
import { mailTo, waitForMail } from './support/mailbox';
import {
  approve,
  asSecretary,
  mailedLink,
  type MinutesLink,
  minutesLinkIn,
  minutesPeople,
  type MinutesPeople,
  minutesPdf,
  minutesRequest,
  startReview,
  uploadPdf,
  waitForState,
} from './support/minutesHarness';
import { bytesOf, pdfsig, pdfText, summarisePdfsig } from './support/pdfTools';

/**
 * A body that requires strong identification of its chair and secretary, in
 * real Chromium against the local OpenID Provider playing Suomi.fi
 * e-Identification (its own instance): the chair identifies and signs, a
 * wrong person behind the chair's link is refused with nothing signed and
 * the secretary told, and three refusals lock the link until the secretary
 * unlocks it.
 */

const suite = useIdentificationSuite('minutes-strong-identification');
const { identifyAs } = suite;

/** The chair is Maija and the secretary Matti of the provider's test persons. */
function strongBody(who: MinutesPeople): Partial<CreateMinutesRequest> {
  const base = minutesRequest(who, '');
  return {
    body: { id: 'kunnanhallitus', name: 'Kunnanhallitus', identification: 'strong' },
    chair: { ...base.chair, identityCode: testPerson('maija').identityCode },
    secretary: { ...base.secretary, identityCode: testPerson('matti').identityCode },
  };
}

/** Starts a review whose body requires strong identification and has both checkers approve it: the signing links are out. */
async function reviewAtSigning(who: MinutesPeople): Promise<string> {
  const reviewId = await startReview(suite.harness, who, strongBody(who));
  expect((await approve(suite.harness, await mailedLink(who.checkerA))).status).toBe(303);
  expect((await approve(suite.harness, await mailedLink(who.checkerB))).status).toBe(303);
  await waitForState(suite.harness, reviewId, (s) => s.signing?.status === 'open');
  return reviewId;
}

/** The secretary's own signing link: among the mails the secretary gets (refusals too), the one with a link. */
async function secretaryLink(who: MinutesPeople): Promise<MinutesLink> {
  await waitForMail(who.secretary, 1);
  const withLink = (await mailTo(who.secretary)).find((m) => /\/m\/[A-Za-z0-9_-]+\?lang=/.test(m.text));
  if (!withLink) throw new Error('The secretary got no signing link');
  return minutesLinkIn(withLink);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const signatures = (reviewId: string) => mongoose.connection.collection('minutes_feedback').countDocuments({ reviewId, action: 'sign' });

async function reviewDetails(reviewId: string) {
  const response = await (await asSecretary(suite.harness)).get(`/api/minutes/${reviewId}`);
  expect(response.status).toBe(200);
  return response.body as {
    people: object[];
    state: { signing?: { signers: { participantId: string; status: string }[] } };
    history: { action: string; actor: string; details?: { verification?: { identification?: { levelOfAssurance: string } } } }[];
  };
}

test('a body that requires strong identification needs the chair’s and the secretary’s identity codes', async () => {
  const who = minutesPeople();
  const versionId = await uploadPdf(suite.harness, await minutesPdf());
  const request = minutesRequest(who, versionId, { body: { id: 'kunnanhallitus', name: 'Kunnanhallitus', identification: 'strong' } });
  const response = await (await asSecretary(suite.harness)).post('/api/minutes').send(request);
  expect(response.status).toBe(400);
  expect(JSON.stringify(response.body)).toContain("The body requires strong identification: give the chair's personal identity code.");
  expect(JSON.stringify(response.body)).toContain("give the secretary's personal identity code.");
});

test('the chair identifies strongly and signs; another person behind the chair’s link is refused and nothing is signed', async () => {
  const who = minutesPeople();
  await suite.harness.stack.withWorker(async () => {
    const reviewId = await reviewAtSigning(who);
    const stored = await mongoose.connection.collection('minutes_reviews').findOne({ reviewId });
    expect(JSON.stringify(stored)).not.toContain(testPerson('maija').identityCode);
    expect(JSON.stringify((await reviewDetails(reviewId)).people)).not.toContain('identityCode');

    const chairLink = await mailedLink(who.chair);
    const context = await suite.browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();

    // The signing form stays shut until the chair has identified.
    await page.goto(chairLink.url);
    expect(await page.locator('input[name="typedName"]').count()).toBe(0);
    const signWithoutIdentifying = await suite.harness
      .api()
      .post(`${chairLink.path.split('?')[0]}/sign`)
      .type('form')
      .send({ documentSha256: 'a'.repeat(64), consent: 'yes', typedName: 'Paula Puheenjohtaja' });
    expect(signWithoutIdentifying.status).toBe(403);

    // Teppo identifies behind the chair's link: refused in Finnish, the secretary told, nothing signed.
    await identifyAs(page, chairLink.url, 'teppo');
    expect(await heading(page)).toBe('Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja');
    expect(await page.content()).not.toContain(testPerson('teppo').identityCode);
    expect(await signatures(reviewId)).toBe(0);
    expect((await reviewDetails(reviewId)).state.signing?.signers.find((s) => s.participantId === 'chair')?.status).toBe('invited');
    const toSecretary = await waitForMail(who.secretary, 2);
    expect(toSecretary.some((m) => m.subject === 'Tunnistautuminen hylätty: Pöytäkirja 5/2026')).toBe(true);

    // Maija, the chair's registered identity, identifies and signs; Matti signs as the secretary.
    await identifyAs(page, chairLink.url, 'maija');
    await signOnPage(page, 'Paula Puheenjohtaja');
    expect(await heading(page)).toBe('Kiitos, allekirjoitit pöytäkirjan');
    const secretaryContext = await suite.browser.newContext({ locale: 'fi-FI' });
    const secretaryPage = await secretaryContext.newPage();
    await identifyAs(secretaryPage, (await secretaryLink(who)).url, 'matti');
    await signOnPage(secretaryPage, 'Sanna Sihteeri');

    await waitForState(suite.harness, reviewId, (s) => Boolean(s.sealedVersionId), 120_000);
    const described = await reviewDetails(reviewId);
    const actions = described.history.map((e) => e.action);
    expect(actions.filter((a) => a === 'minutes.identified')).toHaveLength(2);
    expect(actions.filter((a) => a === 'minutes.identification_refused')).toHaveLength(1);
    const signedBy = (actor: string) => described.history.find((e) => e.action === 'minutes.signed' && e.actor === actor);
    expect(signedBy('participant:chair')?.details?.verification?.identification?.levelOfAssurance).toBe('high');
    expect(signedBy('participant:secretary')?.details?.verification?.identification?.levelOfAssurance).toBe('substantial');
    for (const id of ['maija', 'matti', 'teppo']) expect(JSON.stringify(described)).not.toContain(testPerson(id).identityCode);

    const sealed = await (await asSecretary(suite.harness)).get(`/api/minutes/${reviewId}/signed.pdf`).buffer(true).parse(bytesOf);
    expect(sealed.status).toBe(200);
    const pdf = sealed.body as Buffer;
    // The chair, the secretary, two checkers and the organisation's seal.
    expect(summarisePdfsig(await pdfsig(pdf))).toMatchObject({ signatures: 5, valid: 5 });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Tunnistettu / Identified: Suomi.fi e-Identification, LoA high');
    expect(text).toContain('Tunnistettu / Identified: Suomi.fi e-Identification, LoA substantial');
    expect(text).not.toContain(testPerson('maija').identityCode);
    await context.close();
    await secretaryContext.close();
  });
}, 240_000);

test('three refused identifications lock the chair’s link, in every language, until the secretary unlocks it', async () => {
  const who = minutesPeople();
  await suite.harness.stack.withWorker(async () => {
    const reviewId = await reviewAtSigning(who);
    const chairLink = await mailedLink(who.chair);
    const context = await suite.browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();

    await identifyAs(page, chairLink.url, 'teppo');
    expect(await heading(page)).toBe('Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja');
    await identifyAs(page, chairLink.url, 'matti');
    expect(await heading(page)).toBe('Tunnistautunut henkilö ei ole kutsuttu allekirjoittaja');
    await identifyAs(page, chairLink.url, 'teppo');
    expect(await heading(page)).toBe('Linkki on lukittu');
    expect(await page.getByText('Ota yhteyttä asiakirjan lähettäjään').count()).toBe(1);

    // Locked: the right person too is stopped before the provider, the page says whom to contact, in fi, sv and en.
    await page.goto(chairLink.url);
    expect(await heading(page)).toBe('Linkki on lukittu');
    expect(await page.getByRole('button', { name: 'Tunnistaudu' }).count()).toBe(0);
    await page.goto(chairLink.url.replace('lang=fi', 'lang=sv'));
    expect(await heading(page)).toBe('Länken är låst');
    await page.goto(chairLink.url.replace('lang=fi', 'lang=en'));
    expect(await heading(page)).toBe('This link is locked');
    expect(await page.getByText('Contact the sender of the document').count()).toBe(1);
    const identify = await suite.harness.api().post(`${chairLink.path.split('?')[0]}/identify`);
    expect(identify.status).toBe(423);
    expect(identify.headers.location).toBeUndefined();

    const mails = await waitForMail(who.secretary, 3);
    expect(
      mails.filter((m) => m.subject === 'Allekirjoituslinkki lukittu hylättyjen tunnistautumisten vuoksi: Pöytäkirja 5/2026'),
    ).toHaveLength(1);
    expect(await signatures(reviewId)).toBe(0);

    // The secretary unlocks the link; Maija identifies and signs.
    const unlock = (await asSecretary(suite.harness)).post(`/api/minutes/${reviewId}/people/chair/unlock-identification`);
    const unlocked = await unlock;
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toEqual({ unlocked: true });
    await identifyAs(page, chairLink.url, 'maija');
    await signOnPage(page, 'Paula Puheenjohtaja');
    expect(await heading(page)).toBe('Kiitos, allekirjoitit pöytäkirjan');
    expect(await signatures(reviewId)).toBe(1);
    const actions = (await reviewDetails(reviewId)).history.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['minutes.identification_locked', 'minutes.identification_unlocked']));
    await context.close();
    await (await asSecretary(suite.harness)).post(`/api/minutes/${reviewId}/cancel`).send({ reason: 'Test over' });
  });
}, 240_000);
