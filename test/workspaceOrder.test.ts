import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApiDeps } from '../api/apiDeps';
import { createApp } from '../api/app';
import { nameTokenizerFor } from '../application/nameTokens';
import { decodeWorkspaceCursor, type WaitingItem, WorkspaceService } from '../application/workspace';
import { registerSearchAttributes } from '../scripts/embeddedStack';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { NameTokens, Organization, ProcessStatus, ProcessType, StepSince, WaitingFor, WaitingUntil } from '../workflows/searchAttributes';
import { staffHeaders } from './support/staffSession';
import { openTestStack, type TestStack } from './support/testStack';

/**
 * The workspace's lists page by page in one order across every row (the soonest WaitingUntil first, then the
 * longest in their step), however the rows were started; and search by a person's name finds a process by
 * keyed hashes of the name's words, with the name itself nowhere in Temporal.
 */

let stack: TestStack;
let deps: ReturnType<typeof createApiDeps>;
const idleQueue = `nobody-polls-${randomUUID()}`;
// Every row of this suite has its own organisation, so the shared stack's other processes stay out of its lists.
const organization = `order-${randomUUID()}`;
const started: string[] = [];
const DAY = 86_400_000;

/** A process that nobody runs: it keeps the search attributes it starts with. */
async function idle(attributes: { waitingUntil?: Date; stepSince?: Date; names?: string[] }): Promise<string> {
  const workflowId = `order-${randomUUID()}`;
  await stack.client.workflow.start(organisationSealWorkflow, {
    taskQueue: idleQueue,
    workflowId,
    args: [{ versionId: 'v', organization: 'Esimerkkilä', requestedBy: 'staff:test', title: 'T' }],
    typedSearchAttributes: [
      { key: ProcessType, value: 'employmentContract' },
      { key: ProcessStatus, value: 'awaiting_signatures' },
      { key: WaitingFor, value: 'employee' },
      { key: Organization, value: organization },
      ...(attributes.waitingUntil ? [{ key: WaitingUntil, value: attributes.waitingUntil }] : []),
      ...(attributes.stepSince ? [{ key: StepSince, value: attributes.stepSince }] : []),
      ...(attributes.names ? [{ key: NameTokens, value: nameTokenizerFor(stack.config).tokensOf(attributes.names) }] : []),
    ],
  });
  started.push(workflowId);
  return workflowId;
}

beforeAll(async () => {
  stack = await openTestStack('workspace-order');
  // A stack started before NameTokens existed gets it now (as every start of the embedded stack does).
  await registerSearchAttributes(stack.config.temporal.address, stack.config.temporal.namespace);
  deps = createApiDeps(stack.config, stack.client);
}, 60_000);

afterAll(async () => {
  await Promise.all(
    started.map((id) =>
      stack.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined),
    ),
  );
  deps?.close();
  await stack?.close();
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('not seen in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}

it('pages through every row in WaitingUntil, then StepSince order, whatever order they were started in', async () => {
  const now = Date.now();
  // Started in an order unrelated to their ends (the latest-started is not the soonest), with ties on one moment.
  const tie = new Date(now + 3 * DAY);
  const ends = Array.from({ length: 66 }, (_, i) => (i % 11 === 0 ? tie : new Date(now + ((i * 37) % 66) * DAY + i * 1000)));
  for (let i = 0; i < ends.length; i += 11) await Promise.all(ends.slice(i, i + 11).map((waitingUntil) => idle({ waitingUntil })));
  const sinceOld = await idle({ stepSince: new Date(now - 5 * DAY) });
  const sinceNew = await idle({ stepSince: new Date(now - DAY) });

  const workspace = new WorkspaceService(deps);
  const total = ends.length + 2;
  await eventually(async () =>
    (await stack.client.workflow.count(workspace.query('hr', { organization }))).count === total ? true : undefined,
  );

  const seen: WaitingItem[] = [];
  let after: ReturnType<typeof decodeWorkspaceCursor>;
  for (let pages = 0; pages < 20; pages++) {
    const page = await workspace.waitingFor('hr', { organization, limit: 10, after });
    seen.push(...page.items);
    if (!page.next) break;
    after = decodeWorkspaceCursor(page.next);
  }
  expect(seen.map((item) => item.processId).sort()).toEqual([...started].sort());
  const expected = seen
    .filter((item) => item.waitingUntil)
    .sort((a, b) => a.waitingUntil!.localeCompare(b.waitingUntil!) || a.processId.localeCompare(b.processId));
  const withEnd = seen.slice(0, ends.length);
  expect(withEnd.map((item) => item.processId)).toEqual(expected.slice(0, ends.length).map((item) => item.processId));
  // Those with no known end come after, the longest in their step first.
  expect(seen.slice(ends.length).map((item) => item.processId)).toEqual([sinceOld, sinceNew]);
}, 120_000);

it("finds a process by words of a person's name, with only keyed hashes of them in Temporal", async () => {
  const maija = await idle({ waitingUntil: new Date(Date.now() + DAY), names: ['Maija Äijälä-Virtanen', 'Erkki Esimies'] });
  const app = createApp(deps);
  const admin = await staffHeaders(app, 'admin');
  const search = async (name: string) => (await request(app).get('/tyotila').query({ name, organization }).set(admin)).text;

  const found = await eventually(async () => ((await search('virtanen')).includes(maija) ? true : undefined));
  expect(found).toBe(true);
  expect(await search('ÄIJÄLÄ maija')).toContain(maija);
  // Every word typed must match, and only whole words do.
  expect(await search('maija esimerkki')).not.toContain(maija);
  expect(await search('virta')).not.toContain(maija);
  expect((await request(app).get('/tyotila').query({ name: "x' OR 1=1" }).set(admin)).status).toBe(400);

  const description = await stack.client.workflow.getHandle(maija).describe();
  const stored = JSON.stringify(description.searchAttributes);
  expect(stored).not.toMatch(/maija|virtanen|äijälä/i);
  expect(description.searchAttributes.NameTokens).toHaveLength(5);
}, 60_000);
