/** Unit, emulator and engine-level tests: npm run test:unit (test/unit, test/emulator.test.ts) and test:engine (test/engine); the real-n8n tests have jest.e2e.config.js. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/engine/**/*.test.ts', '<rootDir>/test/emulator.test.ts'],
	setupFiles: ['<rootDir>/test/helpers/jest.setup.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/helpers/every-test-asserts.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	reporters: ['default', ['<rootDir>/test/helpers/results-reporter.js', { suite: 'unit' }]],
	testTimeout: 30000,
};
