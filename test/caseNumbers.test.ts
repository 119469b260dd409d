import { randomInt, randomUUID } from 'node:crypto';
import { Applications } from '../store/applications';
import { connectStore, disconnectStore } from '../store/connection';
import { testConfig } from './support/testStack';

/**
 * Case numbers (diaarinumerot) are the registry's identity for a case: no
 * two applications may share one. The chaos run registered twenty
 * applications at once and three numbers were handed out twice, because
 * FerretDB does not make the counter's $inc atomic across connections.
 */

const config = testConfig();
beforeAll(async () => {
  await connectStore(config.mongodb.uri);
});
afterAll(async () => {
  await disconnectStore();
});

it('applications registered at the same moment get distinct case numbers, and a retried registration keeps its own', async () => {
  const applications = new Applications();
  // A year of this test's own, so other suites' registrations do not share the counter.
  const year = randomInt(3000, 900_000);
  const processIds = Array.from({ length: 40 }, () => `application-${randomUUID()}`);

  const numbers = await Promise.all(processIds.map((id) => applications.assignCaseNumber(id, '02 05 01', year)));

  expect(new Set(numbers).size).toBe(processIds.length);
  expect(numbers.every((number) => number.endsWith(`/02.05.01/${year}`))).toBe(true);
  const again = await Promise.all(processIds.map((id) => applications.assignCaseNumber(id, '02 05 01', year)));
  expect(again).toEqual(numbers);
});
