/**
 * One jest run over every workspace: unit suites beside each package, end-to-end suites in test/.
 * n8n-node's unit suites are the exception: the node is CommonJS, so they run under their own
 * config (n8n-node/jest.config.cjs, `npm test -w n8n-node`, part of test:all).
 */
const workspaces = ['shared', 'sandbox', 'zapier-app', 'bridge', 'test'];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: workspaces.map((w) => `<rootDir>/${w}`),
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/n8n-node/dist/', '<rootDir>/zapier-app/dist/', '<rootDir>/bridge/dist/'],
  moduleNameMapper: {
    '^@leadtosheet/shared$': '<rootDir>/shared/src/index.ts',
    '^@leadtosheet/shared/got-transport$': '<rootDir>/shared/src/got-transport.ts',
    '^@leadtosheet/shared/contract-check$': '<rootDir>/shared/src/contract-check/index.ts',
    '^@leadtosheet/shared/cli-args$': '<rootDir>/shared/src/cli-args.ts',
    '^@leadtosheet/shared/free-port$': '<rootDir>/shared/src/free-port.ts',
    '^lts-sandbox$': '<rootDir>/sandbox/src/index.ts',
    '^lts-bridge$': '<rootDir>/bridge/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.tests.json' }],
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup/block-network.ts'],
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  testTimeout: 30000,
  // A fresh worker process for every test file: jest recycles a worker whose memory exceeds
  // this limit after each file, and any worker does. That keeps each file's nock (whose
  // interception is process-wide) to itself and stops ESM module-registry growth from
  // accumulating into an out-of-memory crash. One worker at a time: the end-to-end suites
  // run real servers and timing-sensitive retries on a 2-core machine.
  maxWorkers: 1,
  workerIdleMemoryLimit: '1MB',
};
