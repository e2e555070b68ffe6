// During Stryker's dry run (no active mutant yet), record each test's full name, file and time, one
// JSON line each, for the sequencer. Mutant runs record nothing.
/* global beforeEach, afterEach, expect */
const { appendFileSync } = require('fs');
const { TEST_FILES_RECORD } = require('./test-files');

// Stryker puts its namespace among jest's globals; run by hand, this config records nothing.
const underStryker = typeof __strykerGlobalNamespace__ !== 'undefined';
const isDryRun = process.env.__STRYKER_ACTIVE_MUTANT__ === undefined;

if (underStryker && isDryRun) {
	let startedAt = 0;
	beforeEach(() => {
		startedAt = Date.now();
	});
	afterEach(() => {
		const { currentTestName, testPath } = expect.getState();
		const line = { name: currentTestName, file: testPath, ms: Date.now() - startedAt };
		appendFileSync(TEST_FILES_RECORD, JSON.stringify(line) + '\n');
	});
}
