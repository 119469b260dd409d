/**
 * The suite's cluster subset (`npm run test:cluster`, which starts the
 * cluster and points TEMPORAL_ADDRESS at it): every process end to end,
 * the admin's lists (visibility on PostgreSQL), the worker kills, replay,
 * and the cluster's own fault and rolling-upgrade tests in test/cluster.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  // Nine server processes beside the workers share the machine's cores: the cluster answers slower than the dev server.
  testTimeout: 180_000,
  testMatch: [
    '<rootDir>/test/{employmentContract,minutesReview,formToDecision,officialLetter,letterBatch,organisationSeal}.test.ts',
    '<rootDir>/test/{admin,employmentContractAdmin,minutesAdmin}.test.ts',
    '<rootDir>/test/*WorkerRestart.test.ts',
    '<rootDir>/test/replay.test.ts',
    '<rootDir>/test/cluster/*.cluster.ts',
  ],
};
