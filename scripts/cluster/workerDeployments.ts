import { type Connection } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * The operator's side of Worker Versioning, as calls to the frontend (the
 * `temporal worker deployment …` commands of the CLI do the same): make a
 * version current, ramp a share of new processes to it, and see which
 * versions still have processes to drain.
 */

const IDENTITY = 'sinetti-cluster';

/** Retried while the version's workers have not yet reached the server: the server refuses a version with no pollers. */
async function untilAccepted(what: string, call: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await call();
      return;
    } catch (error) {
      if (Date.now() > until) throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function setCurrentVersion(
  connection: Connection,
  namespace: string,
  version: WorkerDeploymentVersion,
  timeoutMs = 60_000,
): Promise<void> {
  await untilAccepted(
    `making ${version.deploymentName}.${version.buildId} current`,
    () =>
      connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: IDENTITY,
      }),
    timeoutMs,
  );
}

/** Sends `percentage` of new processes (and of auto-upgrading ones' next steps) to `version`; 0 with no build id stops a ramp. */
export async function setRampingVersion(
  connection: Connection,
  namespace: string,
  version: WorkerDeploymentVersion,
  percentage: number,
  timeoutMs = 60_000,
): Promise<void> {
  await untilAccepted(
    `ramping ${version.deploymentName}.${version.buildId} to ${percentage} %`,
    () =>
      connection.workflowService.setWorkerDeploymentRampingVersion({
        namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        percentage,
        identity: IDENTITY,
      }),
    timeoutMs,
  );
}

export interface DeploymentState {
  currentBuildId?: string;
  rampingBuildId?: string;
  rampingPercentage: number;
  /** Each version's status (CURRENT, RAMPING, DRAINING, DRAINED, INACTIVE) and drainage (DRAINING while pinned processes remain). */
  versions: { buildId: string; status: string; drainage?: string }[];
}

export async function describeDeployment(
  connection: Connection,
  namespace: string,
  deploymentName: string,
): Promise<DeploymentState | undefined> {
  try {
    const { workerDeploymentInfo: info } = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    const routing = info?.routingConfig;
    return {
      currentBuildId: routing?.currentDeploymentVersion?.buildId ?? undefined,
      rampingBuildId: routing?.rampingDeploymentVersion?.buildId ?? undefined,
      rampingPercentage: routing?.rampingVersionPercentage ?? 0,
      versions: (info?.versionSummaries ?? []).map((summary) => ({
        buildId: summary.deploymentVersion?.buildId ?? '',
        status: enumName(temporal.api.enums.v1.WorkerDeploymentVersionStatus, summary.status, 'WORKER_DEPLOYMENT_VERSION_STATUS_'),
        drainage:
          summary.drainageInfo?.status != null
            ? enumName(temporal.api.enums.v1.VersionDrainageStatus, summary.drainageInfo.status, 'VERSION_DRAINAGE_STATUS_')
            : undefined,
      })),
    };
  } catch (error) {
    if (/not found/i.test(String(error))) return undefined;
    throw error;
  }
}

/** "DRAINING" for WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING. */
function enumName(values: Record<number, string>, value: number | null | undefined, prefix: string): string {
  return (value != null ? (values[value] ?? String(value)) : 'UNSPECIFIED').replace(prefix, '');
}
