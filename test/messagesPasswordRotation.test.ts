import http from 'node:http';
import { type AddressInfo } from 'node:net';
import request from 'supertest';
import { createMessagesPasswordRotationActivities } from '../activities/messagesPasswordRotationActivities';
import { createPopulationRegisterSimulator } from '../integrations/populationRegister/simulator';
import { SimulatedPeople } from '../integrations/simulatedPeople';
import { messagesCredentialsFor } from '../integrations/suomifiMessages/credentials';
import { ensurePasswordRotationSchedule, passwordRotationScheduleId } from '../integrations/suomifiMessages/credentialsSchedule';
import { SuomifiMessagesClient } from '../integrations/suomifiMessages/messagesClient';
import { createMessagesSimulator } from '../integrations/suomifiMessages/simulator';
import type { LetterBatchState } from '../workflows/letterBatch';
import { messagesPasswordRotationWorkflow } from '../workflows/messagesPasswordRotation';
import type { OfficialLetterState } from '../workflows/officialLetter';
import {
  counters,
  letterApi,
  registerPerson,
  asRegistry,
  sendLetter,
  stopEventPoller,
  storedPdf,
  waitUntil,
} from './support/officialMailHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { messageEventPollerId } from '../activities/letterActivities';
import { eventFeedAlerts } from '../integrations/suomifiMessages/eventFeedAlerts';
import { Letters } from '../store/letters';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';

/**
 * The Suomi.fi Messages password rotates itself without a failed send.
 * Against simulators of this suite's own (the change outlives the test and
 * would lock other suites out of the shared one), on the real Temporal
 * server and store.
 */

const USERNAME = 'sinetti-rotation';
const FIRST_PASSWORD = 'first-rotation-password-2026';

let stack: TestStack;
const servers: http.Server[] = [];

async function listen(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const people = new SimulatedPeople();
  const messagesUrl = await listen(createMessagesSimulator({ people, username: USERNAME, password: FIRST_PASSWORD, eventStepMs: 300 }));
  const vtjUrl = await listen(createPopulationRegisterSimulator({ people, username: 'sinetti-simulator', password: 'simulator-password' }));
  stack = await openTestStack('password-rotation', {
    SUOMIFI_MESSAGES_URL: messagesUrl,
    SUOMIFI_MESSAGES_USERNAME: USERNAME,
    SUOMIFI_MESSAGES_PASSWORD: FIRST_PASSWORD,
    VTJ_URL: `${vtjUrl}/vtj`,
    LETTER_BATCH_PAGE_SIZE: '10',
    LETTER_BATCH_RATE_PER_SECOND: '8',
    LETTER_BATCH_MAX_ROWS: '100',
  });
});

afterAll(async () => {
  await stopEventPoller(stack);
  await stack.client.schedule
    .getHandle(passwordRotationScheduleId(stack.config.temporal.taskQueue))
    .delete()
    .catch(() => undefined);
  await stack?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const signsIn = async (password: string) =>
  (
    await fetch(new URL('/v1/token', stack.config.officialMail.messages.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: USERNAME, password }),
    })
  ).status;

describe('Suomi.fi Messages password rotation', () => {
  it('a crash between the change call and the promotion leaves sending working; the next run promotes, and the old password is refused', async () => {
    const credentials = messagesCredentialsFor(stack.config);
    const { url, timeoutMs } = stack.config.officialMail.messages;
    const rotation = createMessagesPasswordRotationActivities({
      credentials,
      messages: new SuomifiMessagesClient({
        baseUrl: url,
        username: USERNAME,
        password: FIRST_PASSWORD,
        passwords: () => credentials.passwords(),
        timeoutMs,
      }),
    });
    const before = await credentials.status();

    // The rotation's first two steps, then the worker "dies" before promoting.
    await rotation.prepareMessagesPassword();
    const [current, pending] = await credentials.passwords();
    expect(pending).toBeDefined();
    expect(await rotation.changeMessagesPassword()).toEqual({ outcome: 'changed' });
    expect(await signsIn(current)).toBe(401);
    expect(await signsIn(pending)).toBe(200);

    // Sending goes on: the workers sign in with the pending password the service now knows.
    const person = await registerPerson(stack.config, { mailbox: true, electronicOutcome: 'read' });
    const versionId = await storedPdf();
    await stack.withWorker(async () => {
      const response = await sendLetter(letterApi(stack), { versionId, title: 'Päätös 1/2027', recipient: { id: person.id } });
      expect(response.status).toBe(202);
      const state = (await stack.client.workflow.getHandle(response.body.processId).result()) as OfficialLetterState;
      expect(state).toMatchObject({ status: 'read', channel: 'electronic' });

      // The next rotation run finds the change made and promotes.
      const workflowId = `rotation-${Date.now()}`;
      const result = await stack.client.workflow.execute(messagesPasswordRotationWorkflow, {
        workflowId,
        taskQueue: stack.config.temporal.taskQueue,
        args: [],
      });
      expect(result).toEqual({ outcome: 'already_changed' });
      recordHistoryIfAsked(stack, workflowId, 'messagesPasswordRotationWorkflow');
    });
    expect(await credentials.passwords()).toEqual([pending]);
    const after = await credentials.status();
    expect(after.rotations).toBe(before.rotations + 1);
    expect(after.pendingSince).toBeUndefined();
    expect(await signsIn(current)).toBe(401);
  });

  it('the Schedule rotates while a batch is sending: every letter accepted, none failed, and the old password refused afterwards', async () => {
    const credentials = messagesCredentialsFor(stack.config);
    const [old] = await credentials.passwords();
    const rotationsBefore = (await credentials.status()).rotations;
    const people = await Promise.all(Array.from({ length: 40 }, () => registerPerson(stack.config, { mailbox: true })));
    const versionId = await storedPdf();
    const csv = ['recipientId;name;street;postalCode;city;title', ...people.map((p) => `${p.id};;;;;Päätös`)].join('\n') + '\n';
    const started = await request(letterApi(stack))
      .post(`/api/letter-batches?documentVersionId=${versionId}`)
      .set(await asRegistry(stack))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(started.status).toBe(202);
    const { batchId } = started.body;

    const state = await stack.withWorker(async () => {
      // Rotation in the middle of the batch, through the Schedule the worker process makes.
      await waitUntil('letters being sent', async () => (await counters(stack.config, `${batchId}-`)).accepted >= 8);
      await ensurePasswordRotationSchedule(stack.client, stack.config);
      const schedule = stack.client.schedule.getHandle(passwordRotationScheduleId(stack.config.temporal.taskQueue));
      await schedule.trigger();
      const action = await waitUntil('the scheduled rotation', async () => (await schedule.describe()).info.recentActions[0]);
      const rotation = await stack.client.workflow.getHandle(action.action.workflow.workflowId).result();
      expect(rotation).toEqual({ outcome: 'changed' });
      const sentDuringRotation = (await counters(stack.config, `${batchId}-`)).accepted;
      expect(sentDuringRotation).toBeLessThan(40);
      return stack.client.workflow.getHandle(batchId).result() as Promise<LetterBatchState>;
    });

    expect(state.status).toBe('completed');
    expect(state.totals).toMatchObject({ dispatched: 40, rejected: 0, failed: 0 });
    expect(await counters(stack.config, `${batchId}-`)).toMatchObject({ accepted: 40, distinctExternalIds: 40 });
    const [current, pending] = await credentials.passwords();
    expect(pending).toBeUndefined();
    expect(current).not.toBe(old);
    expect((await credentials.status()).rotations).toBe(rotationsBefore + 1);
    expect(await signsIn(old)).toBe(401);
    expect(await signsIn(current)).toBe(200);
  });

  it('the admin sees the event feed and the rotation, is alerted when the newest event read is over 24 hours old, and can rotate now', async () => {
    const api = letterApi(stack);
    const admin = await staffHeaders(api, 'admin');
    const fresh = await request(api).get('/api/admin/suomifi-messages').set(admin);
    expect(fresh.status).toBe(200);
    expect(fresh.body.eventFeed.newestEventAt).not.toBeNull();
    expect(fresh.body.alerts).toEqual([]);
    expect(fresh.body.password.rotations).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(fresh.body)).not.toContain(FIRST_PASSWORD);

    await stopEventPoller(stack);
    const pollerId = messageEventPollerId(stack.config.temporal.taskQueue);
    const cursor = await new Letters().eventCursorRecord(pollerId);
    await new Letters().saveEventCursor(pollerId, cursor!.continuationToken, new Date(Date.now() - 30 * 3600_000));
    const behind = await request(api).get('/api/admin/suomifi-messages').set(admin);
    expect(behind.body.alerts).toEqual([
      expect.objectContaining({ code: 'events_feed_behind', message: expect.stringContaining('30 hours old') }),
    ]);
    expect(eventFeedAlerts({ updatedAt: new Date(Date.now() - 25 * 3600_000) }, new Date()).map((a) => a.code)).toEqual([
      'events_feed_not_read',
    ]);

    const credentials = messagesCredentialsFor(stack.config);
    const [before] = await credentials.passwords();
    expect(
      (
        await request(api)
          .post('/api/admin/suomifi-messages/rotate-password')
          .set(await asRegistry(stack))
      ).status,
    ).toBe(403);
    const started = await request(api).post('/api/admin/suomifi-messages/rotate-password').set(admin);
    expect(started.status).toBe(202);
    await stack.withWorker(() => stack.client.workflow.getHandle(started.body.workflowId).result());
    const [after] = await credentials.passwords();
    expect(after).not.toBe(before);
    expect(await signsIn(before)).toBe(401);
  });
});
