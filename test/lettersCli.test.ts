import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiKeys } from '../store/apiKeys';
import { letterApi, registerPerson, stopEventPoller, storedPdf } from './support/officialMailHarness';
import { openTestStack, type TestStack } from './support/testStack';

/** The registry's command line sends a CSV and follows the batch on one progress line until the report. */

let stack: TestStack;
let server: Server;
beforeAll(async () => {
  stack = await openTestStack('letters-cli', { LETTER_BATCH_PAGE_SIZE: '2', LETTER_BATCH_RATE_PER_SECOND: '20' });
  server = letterApi(stack).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
});
afterAll(async () => {
  server?.close();
  await stopEventPoller(stack);
  await stack?.close();
});

it('sends a batch from a CSV file and prints its progress until the report is ready', async () => {
  const people = await Promise.all([true, false, true].map((mailbox) => registerPerson(stack.config, { mailbox })));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letters-cli-')), 'letters.csv');
  fs.writeFileSync(file, ['recipientId', ...people.map((p) => p.id)].join('\n') + '\n');
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cli = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const versionId = await storedPdf();
  // A script is a machine client: it carries an API key with the registry role, as an admin would create one.
  const { key } = await new ApiKeys().create({
    name: 'letters-cli',
    roles: ['registry'],
    expiresAt: new Date(Date.now() + 3600_000),
    createdBy: 'test',
  });
  const { stdout } = await stack.withWorker(() =>
    promisify(execFile)(
      cli,
      [path.join(__dirname, '..', 'scripts', 'letters.ts'), 'send', file, '--document', versionId, '--title', 'Tiedote'],
      {
        env: { ...process.env, SINETTI_API_URL: api, SINETTI_TOKEN: key },
        timeout: 90_000,
      },
    ).catch(async (error: { stderr?: string }) => {
      throw new Error(`CLI failed: ${error.stderr}`);
    }),
  );
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^Batch letter-batch-[\w-]+: 3 letters$/);
  // Not a terminal: one line per poll, the last at 100 % with the channels.
  expect(lines.at(-2)).toMatch(/^\[#{30}\] 3\/3 \(100 %\) · electronic 2, paper 1 · /);
  expect(lines.at(-1)).toMatch(new RegExp(`^Report: ${api}/api/letter-batches/letter-batch-[\\w-]+/report.csv$`));
}, 120_000);
