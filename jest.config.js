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
};
