// Writes each jest run's totals into POMELO_TEST_RESULTS_DIR as <suite>-<pid>-<time>.json, so that
// .ci/run can print one closing line for all of its runs (scripts/test-summary.js). The suite name
// comes from the reporter's options in the jest config: ['.../results-reporter.js', { suite: 'unit' }].
const { writeFileSync } = require('fs');
const { join } = require('path');

class ResultsReporter {
	constructor(_globalConfig, options = {}) {
		this.suite = options.suite || 'jest';
	}

	onRunComplete(_contexts, results) {
		const dir = process.env.POMELO_TEST_RESULTS_DIR;
		if (!dir) return;
		const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites, wasInterrupted } = results;
		const file = join(dir, `${this.suite}-${process.pid}-${Date.now()}.json`);
		writeFileSync(
			file,
			JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites, wasInterrupted }),
		);
	}
}

module.exports = ResultsReporter;
