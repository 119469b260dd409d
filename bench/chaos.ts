import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { type Client } from '@temporalio/client';
import { AuditLog, AuditEventModel } from '../audit/auditLog';
import { FAILURE_CONVERTER_PATH } from '../common/failureConverter';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { LocalFinanceSimulator } from '../integrations/finance/financeSystem';
import { makeIdentityCode } from '../rules/identifiers';
import {
  isPortOpen,
  privateDataDir,
  type RunningService,
  startOfficialMailSimulators,
  startTrustServices,
  stopServices,
  waitForPort,
} from '../scripts/embeddedStack';
import { waitForWorkerPolling } from '../scripts/workerPolling';
import { connectStore, disconnectStore } from '../store/connection';
import { ChunkedDocumentStore } from '../store/documentStore';
import { pdfsig, summarisePdfsig } from '../test/support/pdfTools';
import { contractRequest } from '../test/support/contractHarness';
import { samplePdf } from '../test/support/samplePdf';
import { testTimerInterceptorModules } from '../worker/testTimers';
import type { EmploymentContractState } from '../workflows/employmentContract';
import type { FormToDecisionState } from '../workflows/formToDecision';
import type { LetterBatchState } from '../workflows/letterBatch';
import { type Component, startChaosStack } from './chaosStack';
import { productionWorkerArgs } from './productionWorker';
import { freshBusinessId } from '../test/support/businessIds';

/**
 * `npm run bench -- chaos` (not CI): 100 employment contracts signed through
 * their links, 20 grant applications taken to a signed decision (and on to
 * finality and payment) and a 1,000-letter batch, all at once, while every
 * 20–40 s a randomly chosen component (worker, API, FerretDB, the Temporal
 * dev server, MailDev) is killed with SIGKILL and brought back by its
 * supervisor. At the end: did every process complete, was anything done
 * twice (mails, letters, signatures, payments, audit events), does every
 * sealed PDF verify in pdfsig, and how long was the longest time a person's
 * page did not answer. BENCH_CHAOS_SCALE (e.g. 0.1) shrinks the workload.
 *
 * Own ports and data directory (data/bench-chaos, wiped first). The law's
 * periods pass in seconds (SINETTI_TEST_SHORT_PERIODS, bundled into the
 * worker's workflows here), so a decision becomes final within the run.
 */

const SCALE = Number(process.env.BENCH_CHAOS_SCALE ?? 1);
const CONTRACTS = Math.max(1, Math.round(100 * SCALE));
const APPLICATIONS = Math.max(1, Math.round(20 * SCALE));
const LETTERS = Math.max(10, Math.round(1000 * SCALE));
const KILL_EVERY_MS: [number, number] = [20_000, 40_000];
/** Past this (from the start of the workload), whatever has not completed is reported as not completed. */
const DEADLINE_MS = Number(process.env.BENCH_CHAOS_DEADLINE_MIN ?? 45) * 60_000;
let deadlineAt = Date.now() + DEADLINE_MS;
const ROOT = path.resolve(__dirname, '..');
const ENV: Record<string, string> = {
  SINETTI_DATA_DIR: path.join(ROOT, 'data', 'bench-chaos'),
  API_PORT: '3873',
  TEMPORAL_PORT: '7973',
  TEMPORAL_UI_PORT: '8973',
  FERRETDB_PORT: '27677',
  SMTP_PORT: '1675',
  MAIL_WEB_PORT: '1690',
  SUOMIFI_SIMULATOR_PORT: '9070',
  VTJ_SIMULATOR_PORT: '9071',
  SINETTI_TSA_PORT: '9072',
  SINETTI_OCSP_PORT: '9073',
  SINETTI_CRL_PORT: '9074',
  IDP_PORT: '3974',
  TEMPORAL_TASK_QUEUE: 'bench-chaos',
  LOG_LEVEL: 'warn',
  SINETTI_PAYLOAD_KEYS: 'bench-1:c2luZXR0aS1iZW5jaC1rZXktbm90LWEtc2VjcmV0LTM=',
  SINETTI_TEST_SHORT_PERIODS: '1',
  SINETTI_LETTER_TRACKING_DAYS: String(20 / 86400),
  SUOMIFI_SIMULATOR_EVENT_STEP_MS: '2000',
  LETTER_EVENT_POLL_INTERVAL_MS: '2000',
  LETTER_BATCH_RATE_PER_SECOND: '100',
  // Every signer and applicant comes from this one address: the per-address limits would refuse the run itself.
  RATE_LIMIT_FORMS: '100000/60',
  RATE_LIMIT_LINKS: '100000/60',
  RATE_LIMIT_CODES: '100000/60',
  RATE_LIMIT_SIGN_IN: '100000/60',
  RATE_LIMIT_PREFIX: 'bench-chaos',
};
const HR = { Authorization: 'Bearer dev-hr-token' };
const HANDLER = { Authorization: 'Bearer dev-handler-token' };
const REGISTRY = { Authorization: 'Bearer dev-registry-token' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one person saw: the longest stretch their page (or their press of a button) did not answer. */
const outages: { who: string; ms: number }[] = [];
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

/**
 * Tries `attempt` until it answers (an error or an unexpected status is retried every 0.5 s); a person's
 * request counts the time from its first failure to its answer as the time their page was unavailable.
 */
async function untilAnswered<T>(who: string, attempt: () => Promise<T | undefined>, personal = false): Promise<T> {
  let firstFailure: number | undefined;
  let lastError = '';
  while (Date.now() < deadlineAt) {
    try {
      const answer = await attempt();
      if (answer !== undefined) {
        if (firstFailure !== undefined && personal) outages.push({ who, ms: Date.now() - firstFailure });
        return answer;
      }
      lastError = 'no answer yet';
    } catch (error) {
      lastError = (error as Error).message;
    }
    firstFailure ??= Date.now();
    await sleep(500);
  }
  throw new Error(`${who}: gave up (${lastError})`);
}

async function fetchWithin(url: string, init: RequestInit = {}, ms = 15_000): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ms) });
}

interface InboxMail {
  id: string;
  messageId?: string;
  headers?: Record<string, string>;
  to?: { address: string }[];
  subject: string;
  text: string;
}
async function inbox(webPort: number): Promise<InboxMail[]> {
  return untilAnswered('MailDev inbox', async () => {
    const response = await fetchWithin(`http://127.0.0.1:${webPort}/email`);
    return response.ok ? ((await response.json()) as InboxMail[]) : undefined;
  });
}
/** An invitation's subject in each signer's language (contractRequest's employer reads Swedish). */
const INVITATION_SUBJECTS = ['Allekirjoituspyyntö', 'Begäran om underskrift', 'Please sign'];

/** The signing link in the invitation to `address`. */
async function invitationLink(webPort: number, address: string): Promise<string> {
  return untilAnswered(`link for ${address}`, async () => {
    for (const mail of await inbox(webPort)) {
      const link = /\/s\/([\w-]+)\?lang=/.exec(mail.text)?.[1];
      if (mail.to?.[0]?.address === address && INVITATION_SUBJECTS.some((subject) => mail.subject.startsWith(subject)) && link) return link;
    }
    await sleep(2000);
    return undefined;
  });
}

/** A contract whose signers' addresses are this run's own, so the inbox tells them apart. */
function contractBody(run: string, i: number) {
  return contractRequest(
    { employee: `employee-${i}-${run}@chaos.test`, employer: `employer-${i}-${run}@chaos.test`, hr: `hr-${run}@chaos.test` },
    { maxReminders: 0 },
  );
}

/** The receipt a signer's link shows once their signature is in (the answer to a press, or the page opened again). */
const RECEIPT = 'Kiitos, allekirjoitit asiakirjan';

/** Opens the signing page and presses "sign", as a person would, until it has answered with the receipt. */
async function signThroughPage(baseUrl: string, token: string, name: string, who: string): Promise<void> {
  const page = () =>
    untilAnswered(
      `${who}'s signing page`,
      async () => {
        const response = await fetchWithin(`${baseUrl}/s/${token}?lang=fi`);
        const text = await response.text();
        if (response.status !== 200) return undefined;
        if (text.includes(RECEIPT)) return 'signed';
        return /name="documentSha256" value="([0-9a-f]{64})"/.exec(text)?.[1];
      },
      true,
    );
  await untilAnswered(
    `${who}'s press of "sign"`,
    async () => {
      // Opened again after each failed press: a press whose answer was lost to a kill may have gone through.
      const documentSha256 = await page();
      if (documentSha256 === 'signed') return true;
      const signed = await fetchWithin(`${baseUrl}/s/${token}/sign?lang=fi`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ documentSha256, consent: 'yes', typedName: name }).toString(),
      });
      return signed.status === 303 || (await signed.text()).includes(RECEIPT) ? true : undefined;
    },
    true,
  );
}

async function contractLife(
  baseUrl: string,
  client: Client,
  webPort: number,
  run: string,
  i: number,
): Promise<EmploymentContractState & { contractId: string }> {
  const key = `chaos-contract-${run}-${i}`;
  const contractId = await untilAnswered(`contract ${i} creation`, async () => {
    const response = await fetchWithin(`${baseUrl}/api/contracts`, {
      method: 'POST',
      headers: { ...HR, 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(contractBody(run, i)),
    });
    return response.status === 201 ? ((await response.json()) as { contractId: string }).contractId : undefined;
  });
  await signThroughPage(baseUrl, await invitationLink(webPort, `employee-${i}-${run}@chaos.test`), 'Maija Meikäläinen', `employee ${i}`);
  await signThroughPage(baseUrl, await invitationLink(webPort, `employer-${i}-${run}@chaos.test`), 'Erkki Esimies', `employer ${i}`);
  return { ...(await resultOf<EmploymentContractState>(client, contractId)), contractId };
}

/** A workflow's result, asked again whenever the dev server or the connection to it went away. */
function resultOf<T>(client: Client, workflowId: string): Promise<T> {
  // result() waits as long as the workflow runs: bounded by the run's deadline, so a stuck process is reported, not waited for.
  return untilAnswered(
    `result of ${workflowId}`,
    async () => (await client.withDeadline(deadlineAt, () => client.workflow.getHandle(workflowId).result())) as T,
  );
}

async function stateOf(client: Client, applicationId: string): Promise<FormToDecisionState> {
  return untilAnswered(`state of ${applicationId}`, () => client.workflow.getHandle(applicationId).query<FormToDecisionState>('state'));
}

async function applicationLife(
  baseUrl: string,
  client: Client,
  simulatorUrl: string,
  run: string,
  i: number,
): Promise<FormToDecisionState & { applicationId: string }> {
  const businessId = freshBusinessId();
  await untilAnswered(`applicant ${i} in the simulator`, async () => {
    const response = await fetchWithin(`${simulatorUrl}/sim/recipients`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: businessId,
        name: `Yhdistys ${i} ry`,
        mailbox: true,
        securityBan: false,
        addresses: { VakinainenKotimainenLahiosoite: { street: 'Testikuja 5', postalCode: '33100', city: 'TAMPERE' } },
        electronicOutcome: 'read',
        paperOutcome: 'delivered',
      }),
    });
    return response.ok || undefined;
  });
  const budget = (await samplePdf(1, `Talousarvio ${i}`)).toString('base64');
  const body = {
    roundId: `chaos-${run}`,
    language: 'fi',
    values: {
      associationName: `Yhdistys ${i} ry`,
      businessId,
      street: 'Partiotie 3',
      postalCode: '33100',
      city: 'Tampere',
      contactName: `Hakija ${i}`,
      email: `applicant-${i}-${run}@chaos.test`,
      purpose: 'Kesäleirin kuljetukset ja välineet.',
      amountApplied: '1500,00',
      budgetTotal: '8000',
      iban: 'FI21 1234 5600 0007 85',
    },
    attachments: [{ field: 'budget', fileName: 'budget.pdf', contentType: 'application/pdf', contentBase64: budget }],
  };
  const applicationId = await untilAnswered(
    `applicant ${i}'s form`,
    async () => {
      const response = await fetchWithin(`${baseUrl}/api/forms/avustushakemus/applications`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `chaos-application-${run}-${i}` },
        body: JSON.stringify(body),
      });
      return response.status === 201 ? ((await response.json()) as { applicationId: string }).applicationId : undefined;
    },
    true,
  );
  const reach = (status: FormToDecisionState['status']) =>
    untilAnswered(`application ${i} ${status}`, async () => ((await stateOf(client, applicationId)).status === status ? true : undefined));
  /** The handler's press in step `during`; retried until the process has left that step. */
  const staffPost = (what: string, body: unknown, during: FormToDecisionState['status']) =>
    untilAnswered(`application ${i} ${what}`, async () => {
      const response = await fetchWithin(`${baseUrl}/api/applications/${applicationId}/${what}`, {
        method: 'POST',
        headers: { ...HANDLER, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status === 200) return true;
      // 409: taken by an earlier try whose answer was lost, or refused because the step was not open to Updates yet
      // (a worker died between the query that showed it and the workflow task): done only once the step is left.
      return response.status === 409 && (await stateOf(client, applicationId)).status !== during ? true : undefined;
    });
  await reach('awaiting_decision');
  await staffPost(
    'decision',
    { outcome: 'approve', amount: '1500', reasoning: 'Toiminta vastaa avustusperiaatteita.' },
    'awaiting_decision',
  );
  await reach('awaiting_signature');
  await staffPost('signature', {}, 'awaiting_signature');
  return { ...(await resultOf<FormToDecisionState>(client, applicationId)), applicationId };
}

async function letterBatchLife(baseUrl: string, client: Client, run: string): Promise<{ batchId: string; state: LetterBatchState }> {
  const store = new ChunkedDocumentStore(50 * 1024 * 1024);
  const pdf = await store.saveVersion({ key: `chaos/${run}`, bytes: await samplePdf(1, 'Päätös'), fileName: 'paatos.pdf', kind: 'upload' });
  const rows = ['recipientId,title'];
  for (let i = 0; i < LETTERS; i++) {
    const birth = `${1940 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    rows.push(`${makeIdentityCode(birth, 2 + (Math.floor(i / 336) % 897))},Kiinteistöveropäätös 2027`);
  }
  const batchId = await untilAnswered('letter batch upload', async () => {
    const response = await fetchWithin(`${baseUrl}/api/letter-batches?documentVersionId=${pdf.versionId}`, {
      method: 'POST',
      headers: { ...REGISTRY, 'Content-Type': 'text/csv', 'Idempotency-Key': `chaos-batch-${run}` },
      body: rows.join('\n') + '\n',
    });
    return response.status === 202 ? ((await response.json()) as { batchId: string }).batchId : undefined;
  });
  return { batchId, state: await resultOf<LetterBatchState>(client, batchId) };
}

/** Every 20–40 s, SIGKILL to a randomly chosen component's whole process group; its supervisor brings it back. */
function startKilling(components: Component[]): { kills: Record<string, number>; stop(): void } {
  const kills: Record<string, number> = Object.fromEntries(components.map((c) => [c.name, 0]));
  let timer: NodeJS.Timeout;
  const next = () => {
    timer = setTimeout(
      () => {
        const victim = components[randomInt(components.length)];
        const pid = victim.pid();
        if (pid) {
          log(`chaos: kill -9 ${victim.name} (pid ${pid})`);
          try {
            process.kill(-pid, 'SIGKILL');
            kills[victim.name]++;
          } catch {
            /* it was already down */
          }
        } else log(`chaos: ${victim.name} is still down; no kill this time`);
        next();
      },
      randomInt(KILL_EVERY_MS[0], KILL_EVERY_MS[1] + 1),
    );
  };
  next();
  return { kills, stop: () => clearTimeout(timer) };
}

/** A person with a link open, reloading it every half second: the longest stretch it did not answer 200. */
function watchPage(url: string): { stop(): number } {
  let longest = 0;
  let downSince: number | undefined;
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const ok = await fetchWithin(url, {}, 10_000).then(
        (r) => r.arrayBuffer().then(() => r.status === 200),
        () => false,
      );
      if (!ok) downSince ??= Date.now();
      else if (downSince !== undefined) {
        longest = Math.max(longest, Date.now() - downSince);
        downSince = undefined;
      }
      await sleep(500);
    }
  })();
  return {
    stop() {
      watching = false;
      void loop;
      return downSince !== undefined ? Math.max(longest, Date.now() - downSince) : longest;
    },
  };
}

/** Events of a process that say the same thing twice: same action, actor, document and details. */
function repeatedEvents(events: { action: string; actor: string; documentSha256?: string; details?: unknown }[]): string[] {
  const seen = new Set<string>();
  const repeats: string[] = [];
  for (const event of events) {
    const key = JSON.stringify([event.action, event.actor, event.documentSha256 ?? null, event.details ?? null]);
    if (seen.has(key)) repeats.push(event.action);
    seen.add(key);
  }
  return repeats;
}

export async function chaosBenchmark(): Promise<string> {
  const env = { ...process.env, ...ENV };
  const config = loadConfig(env);
  for (const port of [ENV.API_PORT, ENV.TEMPORAL_PORT, ENV.FERRETDB_PORT, ENV.SMTP_PORT, ENV.MAIL_WEB_PORT, ENV.SUOMIFI_SIMULATOR_PORT]) {
    if (await isPortOpen(Number(port))) throw new Error(`Port ${port} is in use; the chaos run needs its own services`);
  }
  fs.rmSync(config.dataDir, { recursive: true, force: true });
  privateDataDir(config.dataDir);
  const [workerEntry] = productionWorkerArgs(); // builds dist/ when the sources are newer
  // The production bundle with the short legal periods added, so decisions become final within the run.
  const bundlePath = path.join(config.dataDir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: testTimerInterceptorModules(env),
  });
  fs.writeFileSync(bundlePath, code);
  env.WORKFLOW_BUNDLE_PATH = bundlePath;

  const services: RunningService[] = [];
  let components: Component[] = [];
  let client: Client | undefined;
  try {
    services.push(await startOfficialMailSimulators(config), await startTrustServices(config));
    const startedAt = new Date();
    components = startChaosStack({ config, env, workerEntry, apiEntry: path.join(ROOT, 'dist', 'api', 'main.js'), log });
    await waitForPort(Number(ENV.API_PORT), 'chaos API', 180_000);
    await connectStore(config.mongodb.uri);
    client = await connectTemporalClient(config);
    await waitForWorkerPolling(client, config.temporal.namespace, config.temporal.taskQueue, { since: startedAt, timeoutMs: 180_000 });
    const baseUrl = `http://127.0.0.1:${ENV.API_PORT}`;
    const run = randomUUID().slice(0, 8);
    log(`chaos: stack up; ${CONTRACTS} contracts, ${APPLICATIONS} applications, ${LETTERS} letters`);

    // A person with a signing link open throughout: a contract of its own, never signed (the deadline is weeks away).
    const watched = await untilAnswered('watched contract', async () => {
      const r = await fetchWithin(`${baseUrl}/api/contracts`, {
        method: 'POST',
        headers: { ...HR, 'Content-Type': 'application/json', 'Idempotency-Key': `chaos-watched-${run}` },
        body: JSON.stringify(contractBody(run, 9999)),
      });
      return r.status === 201 ? ((await r.json()) as { contractId: string }).contractId : undefined;
    });
    const watcher = watchPage(`${baseUrl}/s/${await invitationLink(config.smtp.webPort, `employee-9999-${run}@chaos.test`)}?lang=fi`);

    const started = Date.now();
    deadlineAt = started + DEADLINE_MS;
    const killer = startKilling(components);
    const done = { contracts: 0, applications: 0, batch: 0 };
    const counted = <T>(kind: keyof typeof done, work: Promise<T>) => work.finally(() => done[kind]++);
    const progress = setInterval(
      () =>
        log(
          `chaos: finished ${done.contracts}/${CONTRACTS} contracts, ${done.applications}/${APPLICATIONS} applications, ${done.batch}/1 batch`,
        ),
      60_000,
    );
    const results = await Promise.allSettled([
      Promise.allSettled(
        Array.from({ length: CONTRACTS }, (_, i) => counted('contracts', contractLife(baseUrl, client!, config.smtp.webPort, run, i))),
      ),
      Promise.allSettled(
        Array.from({ length: APPLICATIONS }, (_, i) =>
          counted('applications', applicationLife(baseUrl, client!, config.officialMail.messages.url, run, i)),
        ),
      ),
      counted('batch', letterBatchLife(baseUrl, client, run)),
    ]);
    clearInterval(progress);
    killer.stop();
    deadlineAt = Date.now() + 10 * 60_000; // for the checks below, which read through the stack too
    const workloadSeconds = (Date.now() - started) / 1000;
    const longestWatched = watcher.stop();
    log(`chaos: workload done in ${workloadSeconds.toFixed(0)} s; checking`);
    await client.workflow
      .getHandle(watched)
      .terminate('chaos run finished')
      .catch(() => undefined);

    const contracts = results[0].status === 'fulfilled' ? results[0].value : [];
    const applications = results[1].status === 'fulfilled' ? results[1].value : [];
    const batch = results[2].status === 'fulfilled' ? results[2].value : undefined;
    const failures = [...contracts, ...applications, ...(results[2].status === 'rejected' ? [results[2]] : [])]
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => String((r.reason as Error)?.message ?? r.reason));
    const doneContracts = contracts.flatMap((r) => (r.status === 'fulfilled' && r.value.status === 'completed' ? [r.value] : []));
    const doneApplications = applications.flatMap((r) => (r.status === 'fulfilled' && r.value.status === 'completed' ? [r.value] : []));

    // Duplicated mails: one idempotency key gives one Message-ID; the same Message-ID twice in the inbox is a mail sent twice.
    const mails = (await inbox(config.smtp.webPort)).filter((m) => m.to?.[0]?.address.endsWith(`-${run}@chaos.test`));
    const messageIds = mails.map((m) => m.messageId ?? m.headers?.['message-id'] ?? `no Message-ID: ${m.id}`);
    const duplicateMails = messageIds.length - new Set(messageIds).size;

    // Letters: the batch's and the decisions', as the simulator counted them.
    const counters = async (prefix: string) =>
      (await (await fetch(`${config.officialMail.messages.url}/sim/counters?prefix=${encodeURIComponent(prefix)}`)).json()) as {
        posts: number;
        accepted: number;
        distinctExternalIds: number;
        conflicts: number;
      };
    const letterCounts = batch ? await counters(`${batch.batchId}-`) : undefined;
    const decisionLetters = await Promise.all(doneApplications.map((a) => counters(`${a.applicationId}-`)));
    const letterPosts = (letterCounts?.posts ?? 0) + decisionLetters.reduce((s, c) => s + c.posts, 0);
    const letterDistinct = (letterCounts?.distinctExternalIds ?? 0) + decisionLetters.reduce((s, c) => s + c.distinctExternalIds, 0);
    const letterAccepted = (letterCounts?.accepted ?? 0) + decisionLetters.reduce((s, c) => s + c.accepted, 0);
    const duplicateLetters = letterAccepted - letterDistinct;

    // Signatures and sealed PDFs: each completed contract's sealed PDF and each signed decision, checked by pdfsig.
    const store = new ChunkedDocumentStore(50 * 1024 * 1024);
    const sealed = [
      ...doneContracts.map((c) => ({ versionId: c.sealedVersionId, expected: 3 })),
      ...doneApplications.map((a) => ({ versionId: a.decision?.versionId, expected: 1 })),
    ];
    let validPdfs = 0;
    let duplicateSignatures = 0;
    for (const { versionId, expected } of sealed) {
      if (!versionId) continue;
      const summary = summarisePdfsig(await pdfsig(await store.readVersion(versionId)));
      if (summary.signatures >= 1 && summary.valid === summary.signatures && summary.lastCoversWholeDocument) validPdfs++;
      duplicateSignatures += Math.max(0, summary.signatures - expected);
    }
    const contractIds = doneContracts.map((c) => c.contractId);
    const signedEvents = await AuditEventModel.aggregate<{ _id: unknown; n: number }>([
      { $match: { processId: { $in: contractIds }, action: 'contract.signed' } },
      { $group: { _id: { processId: '$processId', actor: '$actor' }, n: { $sum: 1 } } },
      { $match: { n: { $gt: 1 } } },
    ]);
    duplicateSignatures += signedEvents.reduce((sum, g) => sum + g.n - 1, 0);

    // Payments: one per final, approved decision.
    const finance = new LocalFinanceSimulator();
    let payments = 0;
    let duplicatePayments = 0;
    for (const application of doneApplications) {
      // By the order's key, "<case number>/<application id>": a case number given twice must not read as a payment made twice.
      const made = (await finance.paymentsFor(application.caseNumber!)).filter((payment) =>
        payment.idempotencyKey.endsWith(`/${application.applicationId}`),
      ).length;
      payments += made;
      duplicatePayments += Math.max(0, made - 1);
    }
    // Case numbers: each application its own (the registry's identity for a case).
    const duplicateCaseNumbers = doneApplications.length - new Set(doneApplications.map((a) => a.caseNumber)).size;

    // Audit events: the same thing recorded twice in a process, and every process's hash chain walked.
    const audit = new AuditLog();
    const repeatedActions = new Map<string, number>();
    let brokenChains = 0;
    let auditEvents = 0;
    for (const processId of [...contractIds, ...doneApplications.map((a) => a.applicationId)]) {
      const events = await audit.forProcess(processId);
      auditEvents += events.length;
      for (const action of repeatedEvents(events)) repeatedActions.set(action, (repeatedActions.get(action) ?? 0) + 1);
      if (!(await audit.verifyChain(processId)).intact) brokenChains++;
    }
    const duplicateAudit = [...repeatedActions.values()].reduce((a, b) => a + b, 0);

    const personal = outages.sort((a, b) => b.ms - a.ms);
    const longestPersonal = Math.max(longestWatched, personal[0]?.ms ?? 0);
    const temporalLog = fs.existsSync(path.join(config.dataDir, 'temporal.log'))
      ? fs.readFileSync(path.join(config.dataDir, 'temporal.log'), 'utf8')
      : '';
    const sqliteTrouble = /database disk image is malformed|SQLITE_CORRUPT|file is not a database/i.test(temporalLog);
    const ok = (pass: boolean) => (pass ? '✅' : '❌');
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const kills = Object.entries(killer.kills)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    const restarts = components.map((c) => `${c.name} ${c.restarts()}`).join(', ');
    const settings = ['BENCH_CHAOS_SCALE', 'BENCH_CHAOS_DEADLINE_MIN'].filter((name) => process.env[name]);
    const command = `${settings.map((name) => `${name}=${process.env[name]} `).join('')}npm run bench -- chaos`;
    return [
      '## Chaos: contracts, decisions and a letter batch while components are killed',
      '',
      `\`${command}\`: ${CONTRACTS} employment contracts signed by both signers through their links, ${APPLICATIONS} grant applications taken to a signed decision (and on to finality and payment; the law's periods pass in seconds) and a ${LETTERS.toLocaleString('en')}-letter batch, all at once, on a stack of the run's own (the Temporal dev server on SQLite, FerretDB, MailDev, the worker and the API as production runs them, the simulators). Every ${KILL_EVERY_MS[0] / 1000}–${KILL_EVERY_MS[1] / 1000} s a randomly chosen one of the five got SIGKILL (its whole process group); the worker and the API came back under \`npm start\`'s supervisor, the three services under the run's own (1 s after they died).`,
      '',
      '| measure | value | target |',
      '| --- | --- | --- |',
      `| kills (SIGKILL) | ${kills} over ${s(workloadSeconds * 1000)} | |`,
      `| restarts seen by the supervisors | ${restarts} | |`,
      `| contracts completed | ${doneContracts.length} of ${CONTRACTS} | all ${ok(doneContracts.length === CONTRACTS)} |`,
      `| applications completed (decided, signed, final, paid) | ${doneApplications.length} of ${APPLICATIONS} | all ${ok(doneApplications.length === APPLICATIONS)} |`,
      `| letter batch | ${batch ? `${batch.state.status}: ${letterCounts?.accepted ?? 0} of ${LETTERS} accepted` : 'not finished'} | all ${ok(letterCounts?.accepted === LETTERS)} |`,
      `| duplicated mails (same Message-ID twice, of ${mails.length}) | ${duplicateMails} | 0 ${ok(duplicateMails === 0)} |`,
      `| letters: simulator POSTs / distinct ids / accepted; duplicated | ${letterPosts} / ${letterDistinct} / ${letterAccepted}; ${duplicateLetters} | 0 ${ok(duplicateLetters === 0)} |`,
      `| duplicated signatures (pdfsig beyond those expected, and repeated contract.signed events) | ${duplicateSignatures} | 0 ${ok(duplicateSignatures === 0)} |`,
      `| payments / duplicated | ${payments} / ${duplicatePayments} | 0 ${ok(duplicatePayments === 0)} |`,
      `| case numbers given to two applications | ${duplicateCaseNumbers} | 0 ${ok(duplicateCaseNumbers === 0)} |`,
      `| duplicated audit events (same action, actor, document and details twice in a process, of ${auditEvents}) | ${duplicateAudit}${repeatedActions.size ? ` (${[...repeatedActions].map(([a, n]) => `${a} ${n}`).join(', ')})` : ''} | 0 ${ok(duplicateAudit === 0)} |`,
      `| audit hash chains that do not verify | ${brokenChains} | 0 ${ok(brokenChains === 0)} |`,
      `| sealed PDFs valid in pdfsig | ${validPdfs} of ${sealed.length} | all ${ok(validPdfs === sealed.length)} |`,
      `| longest time a person's page did not answer | ${s(longestPersonal)} (the open signing page reloaded every 0.5 s: ${s(longestWatched)}; slowest press or page load retried through a kill: ${personal[0] ? `${s(personal[0].ms)}, ${personal[0].who}` : 'none'}) | |`,
      `| the dev server's SQLite after its kills | ${sqliteTrouble ? 'the log reports a damaged database' : 'reopened each time (no corruption in its log)'} | |`,
      '',
      failures.length ? `Did not complete (first 5 of ${failures.length}): ${failures.slice(0, 5).join('; ')}` : '',
      `Load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores at the end of this run.`,
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n');
  } finally {
    await client?.connection.close().catch(() => undefined);
    await disconnectStore().catch(() => undefined);
    for (const component of [...components].reverse()) await component.stop().catch(() => undefined);
    await stopServices(services);
  }
}
