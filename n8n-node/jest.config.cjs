/**
 * Unit tests of the n8n node, run as CommonJS like n8n runs the node (the root jest runs
 * ESM and leaves n8n-node out). Shared sources are transpiled from shared/src. Same
 * network rule as everywhere: nothing leaves the machine, unused nock interceptors fail.
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	moduleNameMapper: {
		'^@leadtosheet/shared$': '<rootDir>/../shared/src/index.ts',
		'^@leadtosheet/shared/free-port$': '<rootDir>/../shared/src/free-port.ts',
		'^(\\.{1,2}/.*)\\.js$': '$1',
	},
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
	},
	setupFilesAfterEnv: ['<rootDir>/../test/setup/block-network.ts', '<rootDir>/test/setup/nock-per-file.ts'],
	reporters: ['default', '<rootDir>/../test/setup/summary-reporter.js'],
	testTimeout: 30000,
};
