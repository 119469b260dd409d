import { LetterModel, Letters } from '../store/letters';
import type { OfficialLetterState } from '../workflows/officialLetter';
import {
  asRegistry,
  counters,
  letterApi,
  registerPerson,
  sendLetter,
  simulator,
  stopEventPoller,
  storedPdf,
} from './support/officialMailHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { openTestStack, type TestStack } from './support/testStack';
import { messageEventPollerId } from '../activities/letterActivities';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack('letter');
});
afterAll(async () => {
  await stopEventPoller(stack);
  await stack?.close();
});

const DAY = 24 * 60 * 60 * 1000;
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${new Date(iso).toLocaleDateString('en-CA', { timeZone: 'Europe/Helsinki' })}T00:00:00Z`) + days * DAY)
    .toISOString()
    .slice(0, 10);

async function sendAndFollow(body: Record<string, unknown>): Promise<{ letterId: string; state: OfficialLetterState }> {
  const response = await sendLetter(letterApi(stack), body);
  expect(response.status).toBe(202);
  const state = (await stack.client.workflow.getHandle(response.body.processId).result()) as OfficialLetterState;
  return { letterId: response.body.letterId, state };
}

describe('one official letter, each kind of recipient, on the real dev server and the simulators', () => {
  it('goes to the mailbox of a person who has one, is read, and is deemed notified on the 3rd day', async () => {
    const person = await registerPerson(stack.config, { mailbox: true, electronicOutcome: 'read' });
    const versionId = await storedPdf();
    const { letterId, state } = await stack.withWorker(() =>
      sendAndFollow({ versionId, title: 'Päätös 12/2026', recipient: { id: person.id } }),
    );

    expect(state).toMatchObject({ status: 'read', channel: 'electronic', costCents: 10, paperCostCents: 120 });
    expect(state.events.map((e) => e.type)).toEqual(['Electronic message created', 'Electronic message read']);
    expect(state.deemedNotifiedOn).toBe(addDays(state.sentAt!, 3));
    const record = await new Letters().get(letterId);
    expect(record).toMatchObject({
      status: 'read',
      channel: 'electronic',
      deemedNotifiedOn: state.deemedNotifiedOn,
      addressFrom: 'register',
    });
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 1, distinctExternalIds: 1, accepted: 1 });

    const description = await stack.client.workflow.getHandle(letterId).describe();
    expect(description.searchAttributes.ProcessType).toEqual(['officialLetter']);
    expect(description.searchAttributes.ProcessStatus).toEqual(['read']);
    recordHistoryIfAsked(stack, letterId, 'officialLetterWorkflow');
    recordHistoryIfAsked(stack, messageEventPollerId(stack.config.temporal.taskQueue), 'messageEventPollerWorkflow');
  });

  it('goes on paper to the register address of a person without a mailbox, delivered, deemed notified on the 7th day', async () => {
    const person = await registerPerson(stack.config, {
      mailbox: false,
      addresses: {
        VakinainenKotimainenLahiosoite: { street: 'Vakituinen 1', postalCode: '00100', city: 'HELSINKI' },
        TilapainenKotimainenLahiosoite: { street: 'Tilapäinen 2', postalCode: '20100', city: 'TURKU' },
      },
    });
    const { letterId, state } = await stack.withWorker(async () =>
      sendAndFollow({ versionId: await storedPdf(), title: 'Kutsu', recipient: { id: person.id } }),
    );
    expect(state).toMatchObject({ status: 'delivered', channel: 'paper', costCents: 120 });
    expect(state.events.map((e) => e.type)).toEqual(['Paper mail created', 'Sent for printing and enveloping', 'Posti: receipt confirmed']);
    expect(state.deemedNotifiedOn).toBe(addDays(state.sentAt!, 7));
    // The temporary address comes before the permanent one.
    expect((await new Letters().get(letterId)).address).toMatchObject({ street: 'Tilapäinen 2', city: 'TURKU', name: person.name });
  });

  it('sends to a person under a security ban without ever keeping or showing the address', async () => {
    const person = await registerPerson(stack.config, {
      mailbox: false,
      securityBan: true,
      addresses: { KotimainenPostiosoite: { street: 'Salainen polku 7', postalCode: '90100', city: 'OULU' } },
    });
    const { letterId, state } = await stack.withWorker(async () =>
      sendAndFollow({ versionId: await storedPdf(), title: 'Päätös', recipient: { id: person.id } }),
    );
    expect(state).toMatchObject({ status: 'delivered', channel: 'paper' });
    // The print service got the address; we kept none of it.
    expect(await simulator(stack.config, 'GET', `/sim/messages/${letterId}`)).toMatchObject({ channel: 'paper', paperAddressGiven: true });
    const raw = await LetterModel.findById(letterId).lean();
    expect(raw?.addressFrom).toBe('security_ban');
    expect(JSON.stringify(raw)).not.toMatch(/Salainen|90100|OULU/);
    const shown = await (
      await import('supertest')
    )
      .default(letterApi(stack))
      .get(`/api/letters/${letterId}`)
      .set(await asRegistry(stack));
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).not.toMatch(/Salainen|90100|OULU|\d{6}[-+A-Y]\d{3}/);
  });

  it('puts a letter to a person with neither mailbox nor address on the work list, sending nothing', async () => {
    const person = await registerPerson(stack.config, { mailbox: false, addresses: {} });
    const { letterId, state } = await stack.withWorker(async () =>
      sendAndFollow({ versionId: await storedPdf(), title: 'Päätös', recipient: { id: person.id } }),
    );
    expect(state).toMatchObject({ status: 'no_channel', failure: { code: 'no_address' } });
    expect(await counters(stack.config, letterId)).toMatchObject({ posts: 0 });
    expect((await new Letters().workList(10_000)).find((item) => item.letterId === letterId)).toMatchObject({ reason: 'no_channel' });
  });

  it('sends to a company by business ID; a verifiable message ends with the receipt confirmed', async () => {
    const company = await registerPerson(stack.config, { id: '0116297-6', mailbox: true, electronicOutcome: 'receipt' });
    const { state } = await stack.withWorker(async () =>
      sendAndFollow({ versionId: await storedPdf(), title: 'Hankintapäätös', recipient: { id: company.id } }),
    );
    expect(state).toMatchObject({ status: 'receipt_confirmed', channel: 'electronic' });
  });

  it('puts returned and unresolved paper letters on the registry work list', async () => {
    const returned = await registerPerson(stack.config, { paperOutcome: 'returned' });
    const unresolved = await registerPerson(stack.config, { paperOutcome: 'unresolved' });
    const versionId = await storedPdf();
    const [first, second] = await stack.withWorker(() =>
      Promise.all([
        sendAndFollow({ versionId, title: 'Päätös', recipient: { id: returned.id } }),
        sendAndFollow({
          versionId,
          title: 'Päätös',
          recipient: { id: unresolved.id, name: 'Given Name', address: { street: 'Annettu 3', postalCode: '40100', city: 'JYVÄSKYLÄ' } },
        }),
      ]),
    );
    expect(first.state.status).toBe('returned_to_sender');
    expect(second.state.status).toBe('unresolved');
    expect((await new Letters().get(second.letterId)).addressFrom).toBe('given');
    const workList = await new Letters().workList(10_000);
    expect(workList.find((i) => i.letterId === first.letterId)?.reason).toBe('returned_to_sender');
    expect(workList.find((i) => i.letterId === second.letterId)?.reason).toBe('unresolved');
  });
});
