import { randomInt, randomUUID } from 'node:crypto';
import request from 'supertest';
import { type Express } from 'express';
import { messageEventPollerId } from '../../activities/letterActivities';
import { createApiDeps } from '../../api/apiDeps';
import { createApp } from '../../api/app';
import { type SinettiConfig } from '../../config/config';
import type { SimulatedPerson } from '../../integrations/simulatedPeople';
import type { FaultRule } from '../../integrations/suomifiMessages/simulator';
import { makeIdentityCode } from '../../rules/identifiers';
import { ChunkedDocumentStore } from '../../store/documentStore';
import { samplePdf } from './samplePdf';
import { type StaffHeaders, staffHeaders } from './staffSession';
import { type TestStack } from './testStack';

/** What the official mail tests share: the simulators' controls, a made-up population, and the API. */

const registryApps = new WeakMap<TestStack, Express>();
/** The registry's headers, signed in through the development identity provider (staffSession.ts) on the stack's store. */
export function asRegistry(stack: TestStack): Promise<StaffHeaders> {
  let app = registryApps.get(stack);
  if (!app) registryApps.set(stack, (app = letterApi(stack)));
  return staffHeaders(app, 'registry');
}

/** A valid identity code nobody else in the run uses, so each test owns its recipients and faults. */
export function freshIdentityCode(): string {
  const year = 1930 + randomInt(70);
  const date = `${year}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`;
  return makeIdentityCode(date, 2 + randomInt(897));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulators' control API, read by each test in its own shape
export async function simulator(config: SinettiConfig, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
  const response = await fetch(new URL(path, config.officialMail.messages.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const ADDRESS = { street: 'Testikuja 5 B 12', postalCode: '33100', city: 'TAMPERE' };

export async function registerPerson(
  config: SinettiConfig,
  person: Partial<SimulatedPerson> = {},
): Promise<SimulatedPerson & { id: string }> {
  const full: SimulatedPerson = {
    id: freshIdentityCode(),
    name: 'Maija Meikäläinen',
    mailbox: false,
    securityBan: false,
    addresses: { VakinainenKotimainenLahiosoite: ADDRESS },
    electronicOutcome: 'read',
    paperOutcome: 'delivered',
    ...person,
  };
  await simulator(config, 'POST', '/sim/recipients', full);
  return full;
}

export async function injectFault(config: SinettiConfig, rule: FaultRule): Promise<void> {
  await simulator(config, 'POST', '/sim/faults', rule);
}

export interface Counters {
  posts: number;
  distinctExternalIds: number;
  accepted: number;
  conflicts: number;
  rejected: number;
}
export async function counters(config: SinettiConfig, prefix: string): Promise<Counters> {
  return simulator(config, 'GET', `/sim/counters?prefix=${encodeURIComponent(prefix)}`);
}

export function letterApi(stack: TestStack, configOverride?: SinettiConfig): Express {
  const config = configOverride ?? stack.config;
  return createApp(createApiDeps(config, stack.client));
}

export async function storedPdf(bytes?: Buffer): Promise<string> {
  const store = new ChunkedDocumentStore(50 * 1024 * 1024);
  const saved = await store.saveVersion({
    key: `test/${randomUUID()}`,
    bytes: bytes ?? (await samplePdf(2, 'Päätös avustushakemukseen')),
    fileName: 'paatos.pdf',
    kind: 'upload',
  });
  return saved.versionId;
}

export async function sendLetter(app: Express, body: Record<string, unknown>): Promise<request.Response> {
  return request(app)
    .post('/api/letters')
    .set(await staffHeaders(app, 'registry'))
    .send(body);
}

export async function stopEventPoller(stack: TestStack): Promise<void> {
  await stack.client.workflow
    .getHandle(messageEventPollerId(stack.config.temporal.taskQueue))
    .terminate('test finished')
    .catch(() => undefined);
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
