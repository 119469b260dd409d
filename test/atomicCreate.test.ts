import { randomUUID } from 'node:crypto';
import net from 'node:net';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { createApiDeps } from '../api/apiDeps';
import { nameTokenizerFor } from '../application/nameTokens';
import { ProcessStarts } from '../application/processStarts';
import { sinettiDataConverter } from '../common/payloadKeys';
import { Applications } from '../store/applications';
import { EmploymentContracts } from '../store/employmentContracts';
import { PendingStarts } from '../store/pendingStarts';
import { contractRequest, uniqueEmail } from './support/contractHarness';
import { freshIdentityCode } from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';
import { staffHeaders } from './support/staffSession';

/**
 * Issue 13, item 8: with Temporal unreachable a create answers 503 with
 * Retry-After within seconds, and a retry with the same idempotency key
 * once Temporal is back (or the reconciler) makes the one process, never a
 * second. Temporal is made unreachable by a client pointed at a closed port.
 */

let stack: TestStack;
let down: Client;
beforeAll(async () => {
  stack = await openTestStack('atomiccreate');
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  down = new Client({
    connection: Connection.lazy({ address: `127.0.0.1:${port}` }),
    namespace: stack.config.temporal.namespace,
    dataConverter: sinettiDataConverter(stack.config),
  });
});
const started: string[] = [];
afterAll(async () => {
  for (const id of started)
    await stack.client.workflow
      .getHandle(id)
      .terminate('test finished')
      .catch(() => undefined);
  await down?.connection.close().catch(() => undefined);
  await stack?.close();
});

const apiOn = (temporal: Client) => createApp(createApiDeps(stack.config, temporal));

async function workflowExists(id: string): Promise<boolean> {
  return stack.client.workflow
    .getHandle(id)
    .describe()
    .then(
      () => true,
      () => false,
    );
}

it('a contract: 503 + Retry-After within seconds while Temporal is down, then the retry with the same key makes exactly that contract', async () => {
  const key = randomUUID();
  const body = contractRequest({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });
  const hr = await staffHeaders(apiOn(stack.client), 'hr'); // signed in before the clock starts
  const before = Date.now();
  const refused = await request(apiOn(down)).post('/api/contracts').set(hr).set('Idempotency-Key', key).send(body);
  expect(refused.status).toBe(503);
  expect(Date.now() - before).toBeLessThan(8_000);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

  const retried = await request(apiOn(stack.client)).post('/api/contracts').set(hr).set('Idempotency-Key', key).send(body);
  expect(retried.status).toBe(201);
  const { contractId } = retried.body;
  started.push(contractId);
  expect(await workflowExists(contractId)).toBe(true);
  // A third send (a double click) answers the same contract and starts nothing new.
  const again = await request(apiOn(stack.client)).post('/api/contracts').set(hr).set('Idempotency-Key', key).send(body);
  expect(again.body.contractId).toBe(contractId);
  expect((await new EmploymentContracts().list()).filter((c) => c.contractId === contractId)).toHaveLength(1);
}, 60_000);

it("an application: the person's form gets 503 within seconds, and the reconciler starts the case left half-made", async () => {
  const key = randomUUID();
  const body = {
    roundId: `atomic-${randomUUID().slice(0, 8)}`,
    language: 'sv',
    values: {
      fullName: 'Maija Meikäläinen',
      identityCode: freshIdentityCode(),
      email: uniqueEmail('applicant'),
      meetingDate: '2026-04-12',
      trips: 'Hem–kommunhuset',
      kilometres: '12',
      amountClaimed: '25',
      iban: 'FI2112345600000785',
    },
  };
  const before = Date.now();
  const refused = await request(apiOn(down))
    .post('/api/forms/kulukorvaus/applications')
    .set('Idempotency-Key', key)
    .set('Accept-Language', 'sv')
    .send(body);
  expect(refused.status).toBe(503);
  expect(refused.body.message).toMatch(/Försök igen om 30 sekunder/);
  expect(Date.now() - before).toBeLessThan(8_000);
  expect(refused.headers['retry-after']).toBeDefined();

  // The record was kept and noted; the reconciler (here run at once, without its grace period) starts its case.
  const [application] = await new Applications().inRound(body.roundId);
  expect(application).toBeDefined();
  const applicationId = application._id;
  started.push(applicationId);
  expect(await workflowExists(applicationId)).toBe(false);
  const note = await new PendingStarts().get(applicationId);
  expect(note?.nameTokens?.length).toBeGreaterThan(0);
  expect(JSON.stringify(note)).not.toMatch(/maija|meikäläinen/i);
  const reconciled = await new ProcessStarts(createApiDeps(stack.config, stack.client)).reconcile(0);
  expect(reconciled.started).toBeGreaterThanOrEqual(1);
  expect(await workflowExists(applicationId)).toBe(true);
  // The case it started is found by the applicant's name as any other: the note kept the keyed hashes, not the name.
  const { searchAttributes } = await stack.client.workflow.getHandle(applicationId).describe();
  expect(searchAttributes.NameTokens).toEqual(expect.arrayContaining([nameTokenizerFor(stack.config).token('meikäläinen')]));
  expect(JSON.stringify(searchAttributes)).not.toMatch(/maija|meikäläinen/i);

  // The person's retry with the same key finds the same case: no duplicate.
  const retried = await request(apiOn(stack.client)).post('/api/forms/kulukorvaus/applications').set('Idempotency-Key', key).send(body);
  expect(retried.status).toBe(201);
  expect(retried.body.applicationId).toBe(applicationId);
  expect(await new Applications().inRound(body.roundId)).toHaveLength(1);
}, 60_000);
