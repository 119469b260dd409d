import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedPeople } from '../integrations/simulatedPeople';
import { MessagesServiceError } from '../integrations/suomifiMessages/messagesService';
import { SuomifiMessagesClient } from '../integrations/suomifiMessages/messagesClient';
import { createMessagesSimulator } from '../integrations/suomifiMessages/simulator';
import { freshIdentityCode } from './support/officialMailHarness';

/**
 * The Suomi.fi Messages client's sign-in: a bearer token for the system
 * user's password, and the password change the service asks of system
 * users. Against a simulator of its own, since the change outlives the test.
 */

let server: http.Server;
let baseUrl: string;
const people = new SimulatedPeople();

beforeAll(async () => {
  server = http.createServer(
    createMessagesSimulator({ people, username: 'sinetti-test', password: 'first-password-2026', eventStepMs: 60_000 }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (password: string) => new SuomifiMessagesClient({ baseUrl, username: 'sinetti-test', password, timeoutMs: 5000 });

it('signs in with the password, changes it, and signs in with the new one only', async () => {
  const withMailbox = people.register({ id: freshIdentityCode(), mailbox: true }).id;
  const without = people.register({ id: freshIdentityCode(), mailbox: false }).id;
  const sinetti = client('first-password-2026');
  expect(await sinetti.activeMailboxes([withMailbox, without])).toEqual([withMailbox]);

  await sinetti.changePassword('first-password-2026', 'second-password-2026');
  // The client carries on under the new password, also when it next needs a token.
  expect(await sinetti.activeMailboxes([withMailbox])).toEqual([withMailbox]);
  expect(await client('second-password-2026').activeMailboxes([withMailbox])).toEqual([withMailbox]);
  await expect(client('first-password-2026').activeMailboxes([withMailbox])).rejects.toMatchObject({
    status: 401,
    reason: 'Invalid username or password',
  });
});

it('refuses a new password the service does not accept, with its reason, and keeps the old one', async () => {
  const sinetti = client('second-password-2026');
  const refused = await sinetti.changePassword('second-password-2026', 'short').catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(MessagesServiceError);
  expect(refused).toMatchObject({ status: 400, retryable: false, reason: expect.stringMatching(/12 characters/) });
  expect(await client('second-password-2026').activeMailboxes([])).toEqual([]);
});
