import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';

/**
 * Worker Versioning: a worker started with SINETTI_DEPLOYMENT_NAME and
 * SINETTI_BUILD_ID polls for that deployment version only, so an upgrade
 * is a new version beside the old one, made current (or ramped) by the
 * operator, while processes pinned to the old version finish on it (README
 * "Changing workflows safely"). Each workflow type declares PINNED or
 * AUTO_UPGRADE with setWorkflowOptions; the default below covers any that
 * does not. Without the two variables the worker is unversioned, as the
 * dev server and most tests run it.
 */
const environment = z.object({
  SINETTI_DEPLOYMENT_NAME: z.string().min(1).optional(),
  SINETTI_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'letters, digits, dot, dash and underscore only')
    .optional(),
});

export function workerDeploymentOptions(env: NodeJS.ProcessEnv = process.env): WorkerDeploymentOptions | undefined {
  const parsed = environment.safeParse(env);
  if (!parsed.success) throw new Error(`SINETTI_BUILD_ID: ${parsed.error.issues[0].message}`);
  const { SINETTI_DEPLOYMENT_NAME: deploymentName, SINETTI_BUILD_ID: buildId } = parsed.data;
  if (!deploymentName && !buildId) return undefined;
  if (!deploymentName || !buildId)
    throw new Error('Worker Versioning needs both SINETTI_DEPLOYMENT_NAME and SINETTI_BUILD_ID (or neither, for an unversioned worker)');
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}
