/** Tests run against the real dev stack started once in globalSetup. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 60000,
  // One test file at a time (they share the real stack), in a worker process that is replaced once it holds more than this
  // after a file: run in band, the suite's ~95 files grew one process past Node's heap limit.
  workerIdleMemoryLimit: '1500MB',
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
