import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';

/**
 * Declares how a process type moves between builds under Worker Versioning
 * (worker/deploymentVersion.ts): PINNED finishes on the build it started on;
 * AUTO_UPGRADE moves to the current build at its next step, so each change
 * to it is guarded by patched(). An unversioned worker (the dev server, most
 * tests) must not report a behaviour, so the declaration applies only on a
 * worker that runs as a deployment version.
 */
export function declareVersioning<A extends unknown[], R>(workflow: (...args: A) => Promise<R>, behavior: VersioningBehavior): void {
  setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {}), workflow);
}
