/**
 * Real-n8n end-to-end tests (npm run test:e2e): one n8n 2.41.1 with this package installed as a
 * community package, started once in test/e2e/setup/global-setup.js and shared by the test files,
 * which run one at a time (they share n8n, its database and the emulator).
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/every-test-asserts.ts'],
	globalSetup: '<rootDir>/test/e2e/setup/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/setup/global-teardown.js',
	reporters: ['default', '<rootDir>/test/e2e/setup/n8n-log-reporter.js', ['<rootDir>/test/helpers/results-reporter.js', { suite: 'e2e' }]],
	maxWorkers: 1,
	testTimeout: 300000,
	slowTestThreshold: 120,
};
