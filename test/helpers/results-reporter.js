// Writes each jest run's totals into POMELO_TEST_RESULTS_DIR, so that .ci/run can print one closing
// "N passed, N failed" line for all of its runs.
const { writeFileSync } = require('fs');
const { join } = require('path');

class ResultsReporter {
	onRunComplete(_contexts, results) {
		const dir = process.env.POMELO_TEST_RESULTS_DIR;
		if (!dir) return;
		const { numPassedTests, numFailedTests, numRuntimeErrorTestSuites } = results;
		const file = join(dir, `jest-${process.pid}-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify({ numPassedTests, numFailedTests, numRuntimeErrorTestSuites }));
	}
}

module.exports = ResultsReporter;
