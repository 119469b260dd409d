import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../../common/failureConverter';
import { WORKFLOWS_PATH } from '../../../worker/createWorker';
import { testTimerInterceptorModules } from '../../../worker/testTimers';

/**
 * The previous build of Sinetti's workflows for the rolling-upgrade test:
 * today's workflows with one change taken out again, the statement guarded
 * by `if (patched(<guard>))` in `file`. Build B is today's code, so the two
 * builds differ by exactly that change, as an upgrade that ships it does.
 * Returns the bundle's path, for a worker's WORKFLOW_BUNDLE_PATH.
 */
export async function bundleBeforePatch(file: string, guard: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: testTimerInterceptorModules(),
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => {
      config.module?.rules?.push({
        test: path.resolve(file),
        enforce: 'pre',
        use: [{ loader: require.resolve('./beforePatchLoader.js'), options: { guard } }],
      });
      return config;
    },
  });
  const bundlePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-build-a-')), 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  return bundlePath;
}
