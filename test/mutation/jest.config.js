// Jest for StrykerJS only (stryker.config.mjs; npm test keeps ../../jest.config.js). The same tests and
// assertions; two things make a mutant affordable on two shared cores:
// - TypeScript is transpiled, not type-checked (tsconfig.json here: isolatedModules); type errors are
//   npm run lint's and tsc's job, and Stryker's instrumented copy is not meant to type-check anyway.
// - Stryker runs a mutant by handing jest a test-name pattern (the tests that cover it), and jest
//   would still load every test file (n8n-core, emulators) to skip its tests. The sequencer keeps
//   only the files that hold a matching test, from the names the dry run recorded, quickest first;
//   the environment skips a mutant's remaining tests once one has failed (it is killed).
const base = require('../../jest.config.js');

module.exports = {
	...base,
	rootDir: '../..',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/mutation/tsconfig.json' }] },
	setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/test/mutation/record-test-files.js'],
	testEnvironment: require.resolve('./environment.js'),
	testSequencer: '<rootDir>/test/mutation/sequencer.js',
};
