import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createApplicationActivities } from '../activities/applicationActivities';
import { createContractActivities } from '../activities/contractActivities';
import { createDocumentActivities } from '../activities/documentActivities';
import { createLetterActivities } from '../activities/letterActivities';
import { createMinutesActivities } from '../activities/minutesActivities';
import { officialMailServices } from '../integrations/officialMailServices';
import { AuditLog } from '../audit/auditLog';
import { sinettiDataConverter } from '../common/payloadKeys';
import { type SinettiConfig } from '../config/config';
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
import { createLongTermValidityServices, loadSigningCredentials } from './signingCredentials';
import { testTimerInterceptorModules } from './testTimers';
import { failingActivityMarks } from './failingActivityMarks';
import { nameTokenizerFor } from '../application/nameTokens';
import { bulkTaskQueue, webhooksTaskQueue } from '../workflows/taskQueues';
import { createWebhookActivities } from '../activities/webhookActivities';
import { createMessagesPasswordRotationActivities } from '../activities/messagesPasswordRotationActivities';
import { createArchiveTransferActivities } from '../activities/archiveTransferActivities';
import { createArchiveTimestampActivities, keepArchivedDocument } from '../activities/archiveTimestampActivities';
import { WebhookDeliveries } from '../store/webhookDeliveries';
import { WebhookSubscriptions } from '../store/webhookSubscriptions';
import { loadPayloadCodec } from '../common/payloadKeys';

import { workerDeploymentOptions } from './deploymentVersion';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Every activity of every process, wired to the real services the configuration names. */
export async function createActivities(config: SinettiConfig) {
  const credentials = await loadSigningCredentials(config);
  const longTermValidity = await createLongTermValidityServices(config);
  const mailer = new Mailer(config.smtp.url, config.smtp.from);
  const store = new ChunkedDocumentStore(config.maxDocumentBytes);
  const plans = new SignaturePlans();
  const audit = new AuditLog();
  const officialMail = officialMailServices(config);
  // Every archived document gets a keeper that renews its document timestamp before the proof lapses.
  const archive = new Archive(keepArchivedDocument(config.organization, config.temporal.taskQueue));
  const activities = {
    ...createDocumentActivities({ store, plans, audit, credentials, longTermValidity, organization: config.organization }),
    ...createContractActivities({
      store,
      plans,
      audit,
      credentials,
      longTermValidity,
      organization: config.organization,
      publicUrl: config.publicUrl,
      contracts: new EmploymentContracts(),
      links: new ParticipantLinks(),
      mail: mailer,
      archive,
      attachmentLimitBytes: config.mailAttachmentLimitBytes,
    }),
    ...createLetterActivities({
      store,
      audit,
      organization: config.organization,
      ...officialMail.deps,
      nameTokens: (names) => nameTokenizerFor(config).tokensOf(names),
    }),
    ...createMinutesActivities({
      store,
      plans,
      audit,
      credentials,
      longTermValidity,
      organization: config.organization,
      publicUrl: config.publicUrl,
      reviews: new MinutesReviews(),
      links: new ParticipantLinks(),
      mail: mailer,
      archive,
    }),
    ...createApplicationActivities({
      applications: new Applications(),
      store,
      audit,
      links: new ParticipantLinks(),
      mail: mailer,
      letters: new Letters(),
      archive,
      finance: new LocalFinanceSimulator(),
      organization: config.organization,
      publicUrl: config.publicUrl,
    }),
    ...createArchiveTransferActivities({
      store,
      audit,
      archive: new Archive(),
      organization: config.organization,
      destination: config.archiveTransfer.directory,
    }),
    ...createArchiveTimestampActivities({
      store,
      archive,
      longTermValidity,
      marginMs: config.retimestamping.marginMs,
      taskQueue: config.temporal.taskQueue,
    }),
    ...createMessagesPasswordRotationActivities({ credentials: officialMail.deps.credentials, messages: officialMail.deps.messages }),
    ...createWebhookActivities({
      deliveries: new WebhookDeliveries(),
      subscriptions: new WebhookSubscriptions(loadPayloadCodec(config)),
      publicUrl: config.publicUrl,
      requestTimeoutMs: config.webhooks.requestTimeoutMs,
    }),
  };
  return {
    activities,
    close: () => {
      mailer.close();
      officialMail.close();
    },
  };
}

export type WorkerRole = 'all' | 'processes' | 'bulk';

/**
 * The workers one process runs for its role, sharing one set of activities
 * (one mailer, one set of service clients): the processes' worker on
 * Sinetti's task queue (workflows and their activities) and the bulk worker
 * on the bulk queue beside it (workflows/taskQueues.ts: activities only).
 * Tests pass a prebuilt workflow bundle so each suite bundles once.
 */
export async function createWorkers(
  config: SinettiConfig,
  connection: NativeConnection,
  options: {
    role: WorkerRole;
    processes?: Partial<WorkerOptions>;
    bulk?: Partial<WorkerOptions>;
    webhooks?: Partial<WorkerOptions>;
    env?: NodeJS.ProcessEnv;
  },
) {
  const { activities, close } = await createActivities(config);
  // Both queues' workers belong to one deployment version: a build ships its workflows and its bulk activities together.
  const deployment = workerDeploymentOptions(options.env);
  const activityInterceptors = [failingActivityMarks([webhooksTaskQueue(config.temporal.taskQueue)])];
  const common = {
    connection,
    namespace: config.temporal.namespace,
    activities,
    interceptors: { activity: activityInterceptors },
    dataConverter: sinettiDataConverter(config),
    ...(deployment ? { workerDeploymentOptions: deployment } : {}),
  };
  const workers: Worker[] = [];
  if (options.role !== 'bulk') {
    const extra = options.processes ?? {};
    const testTimers = testTimerInterceptorModules();
    const bundling = extra.workflowBundle
      ? {}
      : {
          workflowsPath: WORKFLOWS_PATH,
          ...(testTimers.length ? { interceptors: { activity: activityInterceptors, workflowModules: testTimers } } : {}),
        };
    workers.push(await Worker.create({ ...common, taskQueue: config.temporal.taskQueue, ...bundling, ...extra }));
  }
  if (options.role !== 'processes') {
    workers.push(await Worker.create({ ...common, taskQueue: bulkTaskQueue(config.temporal.taskQueue), ...options.bulk }));
  }
  if (options.role !== 'bulk') {
    // Webhook deliveries (workflows/webhookDelivery.ts) beside the processes, on their own queue and slots;
    // few cached sandboxes: a delivery's history is a handful of events, cheap to replay when it wakes.
    const bundle = options.processes?.workflowBundle;
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: webhooksTaskQueue(config.temporal.taskQueue),
        ...(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH }),
        maxConcurrentActivityTaskExecutions: 32,
        maxCachedWorkflows: 100,
        ...options.webhooks,
      }),
    );
  }
  return { workers, close };
}
