import { workerDeploymentOptions } from '../worker/deploymentVersion';

describe("a worker's deployment version from the environment", () => {
  it('is unversioned without SINETTI_DEPLOYMENT_NAME and SINETTI_BUILD_ID', () => {
    expect(workerDeploymentOptions({})).toBeUndefined();
  });

  it('polls for one deployment version when both are set', () => {
    expect(workerDeploymentOptions({ SINETTI_DEPLOYMENT_NAME: 'sinetti', SINETTI_BUILD_ID: 'wf-0123abcd' })).toEqual({
      version: { deploymentName: 'sinetti', buildId: 'wf-0123abcd' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });

  it.each([
    [{ SINETTI_DEPLOYMENT_NAME: 'sinetti' }, /both SINETTI_DEPLOYMENT_NAME and SINETTI_BUILD_ID/],
    [{ SINETTI_BUILD_ID: 'abc' }, /both SINETTI_DEPLOYMENT_NAME and SINETTI_BUILD_ID/],
    [{ SINETTI_DEPLOYMENT_NAME: 'sinetti', SINETTI_BUILD_ID: 'a b' }, /SINETTI_BUILD_ID: letters, digits/],
  ])('refuses %j, naming what to set', (env, message) => {
    expect(() => workerDeploymentOptions(env)).toThrow(message);
  });
});
