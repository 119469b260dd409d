import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { createApplicationActivities } from '../activities/applicationActivities';
import { createContractActivities } from '../activities/contractActivities';
import { createDocumentActivities } from '../activities/documentActivities';
import { createLetterActivities } from '../activities/letterActivities';
import { createMinutesActivities } from '../activities/minutesActivities';
import { officialMailServices } from '../integrations/officialMailServices';
import { AuditLog } from '../audit/auditLog';
import { sinettiDataConverter } from '../common/payloadKeys';
import { SinettiConfig } from '../config/config';
import { Mailer } from '../mail/mailer';
import { ParticipantLinks } from '../links/signerLinks';
import { Archive } from '../store/archive';
import { Applications } from '../store/applications';
import { ChunkedDocumentStore } from '../store/documentStore';
import { LocalFinanceSimulator } from '../integrations/finance/financeSystem';
import { Letters } from '../store/letters';
import { EmploymentContracts } from '../store/employmentContracts';
import { MinutesReviews } from '../store/minutesReviews';
import { SignaturePlans } from '../store/signaturePlans';
import { loadSigningCredentials } from './signingCredentials';
import { bulkTaskQueue } from '../workflows/taskQueues';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Every activity of every process, wired to the real services the configuration names. */
export async function createActivities(config: SinettiConfig) {
  const credentials = await loadSigningCredentials(config);
  const mailer = new Mailer(config.smtp.url, config.smtp.from);
  const store = new ChunkedDocumentStore(config.maxDocumentBytes);
  const plans = new SignaturePlans();
  const audit = new AuditLog();
  const officialMail = officialMailServices(config);
  const activities = {
    ...createDocumentActivities({ store, plans, audit, credentials, organization: config.organization }),
    ...createContractActivities({
      store, plans, audit, credentials, organization: config.organization, publicUrl: config.publicUrl,
      contracts: new EmploymentContracts(), links: new ParticipantLinks(), mail: mailer, archive: new Archive(),
      attachmentLimitBytes: config.mailAttachmentLimitBytes,
    }),
    ...createLetterActivities({ store, audit, organization: config.organization, ...officialMail.deps }),
    ...createMinutesActivities({
      store, plans, audit, credentials, organization: config.organization, publicUrl: config.publicUrl,
      reviews: new MinutesReviews(), links: new ParticipantLinks(), mail: mailer, archive: new Archive(),
    }),
    ...createApplicationActivities({
      applications: new Applications(), store, audit, links: new ParticipantLinks(), mail: mailer, letters: new Letters(), archive: new Archive(),
      finance: new LocalFinanceSimulator(), organization: config.organization, publicUrl: config.publicUrl,
    }),
  };
  return { activities, close: () => { mailer.close(); officialMail.close(); } };
}

/**
 * One worker on Sinetti's task queue. Tests pass a prebuilt workflow bundle
 * so each suite bundles once; the worker process lets the SDK bundle.
 */
export async function createWorker(config: SinettiConfig, connection: NativeConnection, extra: Partial<WorkerOptions> = {}) {
  const { activities, close } = await createActivities(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    dataConverter: sinettiDataConverter(config),
    ...(extra.workflowBundle ? {} : { workflowsPath: WORKFLOWS_PATH }),
    ...extra,
  });
  return { worker, close };
}

/**
 * A worker for bulk work only (workflows/taskQueues.ts): activities, no
 * workflows. The worker process runs it beside the main one, or on its own
 * with SINETTI_WORKER_ROLE=bulk, tuned for throughput (worker/nodeOptions.ts).
 */
export async function createBulkWorker(config: SinettiConfig, connection: NativeConnection, extra: Partial<WorkerOptions> = {}) {
  const { activities, close } = await createActivities(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: bulkTaskQueue(config.temporal.taskQueue),
    activities,
    dataConverter: sinettiDataConverter(config),
    ...extra,
  });
  return { worker, close };
}
