import fs from 'node:fs';
import path from 'node:path';
import {
  type ContractHarness,
  contractRequest,
  openContractHarness,
  sendContractAsHr,
  sleep,
  uniqueEmail,
} from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/**
 * The README's visibility queries ("Finding stuck processes") exactly as written there (issue 15, F1): each one,
 * with its example time moved past now, finds a contract waiting for its employee; the admin API's example too.
 */

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## Finding stuck processes'), README.indexOf('### Personal data in Temporal'));
const queries = [...section.matchAll(/^\| ([^|]+) \| `([^`]+)` \|$/gm)].map((m) => ({ what: m[1].trim(), query: m[2] }));

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('readme-queries');
});
afterAll(async () => {
  await harness?.close();
});

it('finds a contract waiting for its employee with every query in the README', async () => {
  expect(queries.map((q) => q.what)).toEqual([
    'anything waiting past its deadline',
    'contracts waiting for the employee',
    'no progress for three days',
    'everything of one organisation, by status',
  ]);
  await harness.stack.withWorker(async () => {
    const people = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    const contractId = await sendContractAsHr(harness, contractRequest(people));
    // The example times are "now" in the README; a time past the contract's deadline and its step's start finds it.
    const later = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const found: Record<string, number> = {};
    for (let tries = 0; tries < 100; tries++) {
      for (const { what, query } of queries) {
        const asWritten = query.replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"/g, `"${later}"`);
        found[what] = (await harness.stack.client.workflow.count(`(${asWritten}) AND WorkflowId = "${contractId}"`)).count;
      }
      if (Object.values(found).every((n) => n === 1)) break;
      await sleep(300);
    }
    expect(found).toEqual(Object.fromEntries(queries.map((q) => [q.what, 1])));

    const listed = await harness
      .api()
      .get('/api/admin/processes?type=employmentContract&status=awaiting_signatures&limit=1000')
      .set(await staffHeaders(harness.baseUrl, 'admin'));
    expect(README).toContain('/api/admin/processes?type=employmentContract&status=awaiting_signatures');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(contractId);
  });
});
