// Mutation testing (npm run mutate; not part of npm test, it takes long): StrykerJS changes the
// node's code one small edit at a time and runs the unit and engine tests against each change; a
// change that no test notices "survives". Results and the incremental cache stay in .tmp/stryker/
// (a later run re-tests only what changed). Narrow a run with --mutate, e.g.
//   npm run mutate -- --mutate 'nodes/Pomelo/transport/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'jest',
	jest: {
		// npm test's jest config, transpiled instead of type-checked and with only the test files a
		// mutant needs loaded (see test/mutation/jest.config.js).
		configFile: 'test/mutation/jest.config.js',
		// Jest's related-test search does not find the engine tests from the node's files (they load the
		// node through test/helpers), so every test runs once and per-test coverage picks them per mutant.
		enableFindRelatedTests: false,
		// Unit and engine tests. Not the emulator's own tests (they never load nodes/), not the
		// 1,000-item soak (it covers every line, so it would run for every mutant, for no extra kills),
		// and not the package checks (they build and scan dist/, which Stryker's instrumented copy fails).
		// POMELO_MUTATE_TESTS picks a stage, so that each run re-tests (through the incremental file) only
		// what the stage before left alive: 'unit' (minutes), 'quick' (unit and engine tests, less the
		// two suites that wait out real timeouts and Retry-After: faults and money-safety, 59 of the
		// engine's 68 s), unset: all of them.
		config: {
			testMatch:
				process.env.POMELO_MUTATE_TESTS === 'unit'
					? ['<rootDir>/test/unit/**/*.test.ts']
					: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/engine/**/*.test.ts'],
			testPathIgnorePatterns: [
				'/node_modules/',
				'<rootDir>/test/engine/soak.test.ts',
				'<rootDir>/test/unit/package-checks/',
				...(process.env.POMELO_MUTATE_TESTS === 'quick'
					? ['<rootDir>/test/engine/faults.test.ts', '<rootDir>/test/engine/money-safety.test.ts']
					: []),
			],
		},
	},
	mutate: ['nodes/**/*.ts'],
	// Not copied into Stryker's sandbox: build output, reports, docs and the bench.
	ignorePatterns: ['/.tmp', '/dist', '/output', '/docs', '/bench'],
	coverageAnalysis: 'perTest',
	// Two cores: one mutant at a time each.
	concurrency: 2,
	// A mutant that makes the node wait forever is a timeout (counted as detected), after the
	// test's own time × 1.5 + 5 s (plus the dry run's overhead per run).
	timeoutFactor: 1.5,
	timeoutMS: 5000,
	incremental: true,
	incrementalFile: '.tmp/stryker/incremental.json',
	tempDirName: '.tmp/stryker/sandbox',
	cleanTempDir: 'always',
	ignoreStatic: true,
	reporters: ['progress', 'clear-text', 'html', 'json'],
	htmlReporter: { fileName: '.tmp/stryker/report.html' },
	jsonReporter: { fileName: '.tmp/stryker/report.json' },
	clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
	thresholds: { high: 90, low: 80, break: null },
};
