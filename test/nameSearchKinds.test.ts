import { randomBytes } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { minutesPeople, startReview } from './support/minutesHarness';
import { freshIdentityCode, registerPerson, storedPdf, waitUntil } from './support/officialMailHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { staffHeaders } from './support/staffSession';

/**
 * Search by a person's name (application/nameTokens.ts) beyond contracts and applications: minutes by the
 * names of their chair, secretary and checkers, and a letter by its recipient's name. Only keyed hashes of the
 * words reach Temporal: neither the search attributes nor the history hold the name.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('name-search');
});
afterAll(async () => {
  await harness?.close();
});

/** A surname no other test uses: letters only, as names are searched by their words. */
function uniqueSurname(stem: string): string {
  const letters = [...randomBytes(6)].map((b) => 'abcdefghijklmnopqrstuvwxyzäö'[b % 28]).join('');
  return `${stem}${letters}`;
}

async function foundByName(name: string, processId: string): Promise<boolean> {
  const page = await harness
    .api()
    .get('/tyotila')
    .query({ name })
    .set(await staffHeaders(harness.baseUrl, 'admin'));
  expect(page.status).toBe(200);
  return page.text.includes(processId);
}

/** These processes would wait for days: ended with the test. */
async function endProcess(processId: string): Promise<void> {
  await harness.stack.client.workflow
    .getHandle(processId)
    .terminate('test over')
    .catch(() => undefined);
}

async function asRegistry(letter: object) {
  return harness
    .api()
    .post('/api/letters')
    .set(await staffHeaders(harness.baseUrl, 'registry'))
    .send(letter);
}

/** Neither the search attributes nor any event of the history carries the word in plain text. */
async function expectNowhereInTemporal(processId: string, word: string): Promise<void> {
  const handle = harness.stack.client.workflow.getHandle(processId);
  const description = await handle.describe();
  expect(JSON.stringify(description.searchAttributes).toLowerCase()).not.toContain(word.toLowerCase());
  expect(description.searchAttributes.NameTokens?.length).toBeGreaterThan(0);
  const history = JSON.stringify(historyToJSON(await handle.fetchHistory())).toLowerCase();
  expect(history).not.toContain(word.toLowerCase());
  // Nor base64-encoded, as payload data would be if it were not encrypted.
  expect(history).not.toContain(Buffer.from(word).toString('base64').toLowerCase());
}

it("finds minutes by a word of a checker's or the chair's name", async () => {
  const checker = uniqueSurname('Tarkastaja');
  const chair = uniqueSurname('Puheenjohtaja');
  await harness.stack.withWorker(async () => {
    const reviewId = await startReview(harness, minutesPeople(), {
      chair: { name: `Paula ${chair}`, email: 'chair@example.test', language: 'fi' },
      checkers: [
        { name: `Tapio ${checker}`, email: 'checker-a@example.test', language: 'fi' },
        { name: 'Greta Granskare', email: 'checker-b@example.test', language: 'sv' },
      ],
    });
    try {
      await waitUntil('the minutes found by the checker', async () => foundByName(checker, reviewId));
      expect(await foundByName(`${chair} paula`, reviewId)).toBe(true);
      expect(await foundByName(uniqueSurname('Tarkastaja'), reviewId)).toBe(false);
      await expectNowhereInTemporal(reviewId, checker);
      await expectNowhereInTemporal(reviewId, chair);
    } finally {
      await endProcess(reviewId);
    }
  });
}, 90_000);

it("finds a letter by a word of its recipient's name", async () => {
  const surname = uniqueSurname('Vastaanottaja');
  await harness.stack.withWorker(async () => {
    const sent = await asRegistry({
      versionId: await storedPdf(),
      title: 'Päätös 7/2026',
      recipient: {
        id: freshIdentityCode(),
        name: `Ville ${surname}`,
        address: { street: 'Annettu 3', postalCode: '40100', city: 'JYVÄSKYLÄ' },
      },
    });
    expect(sent.status).toBe(202);
    const letterId = sent.body.processId as string;
    try {
      await waitUntil('the letter found by its recipient', async () => foundByName(surname, letterId));
      expect(await foundByName(`ville ${surname.toUpperCase()}`, letterId)).toBe(true);
      await expectNowhereInTemporal(letterId, surname);
    } finally {
      await endProcess(letterId);
    }
  });
}, 90_000);

it("finds a letter sent by identity code only by the recipient's name in the population register", async () => {
  const surname = uniqueSurname('Rekisteri');
  const person = await registerPerson(harness.stack.config, { name: `Veera ${surname}` });
  await harness.stack.withWorker(async () => {
    const sent = await asRegistry({ versionId: await storedPdf(), title: 'Päätös 8/2026', recipient: { id: person.id } });
    expect(sent.status).toBe(202);
    const letterId = sent.body.processId as string;
    try {
      await waitUntil('the letter found by the name from the register', async () => foundByName(`${surname} veera`, letterId));
      await expectNowhereInTemporal(letterId, surname);
      recordHistoryIfAsked(harness.stack, letterId, 'officialLetterWorkflow-v2-register-name-tokens');
    } finally {
      await endProcess(letterId);
    }
  });
}, 90_000);
