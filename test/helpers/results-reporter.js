// Writes each jest run's totals into POMELO_TEST_RESULTS_DIR as <suite>-<pid>-<time>.json, so that
// .ci/run can print one closing line for all of its runs (scripts/test-summary.js). The suite is the
// npm script that ran jest (test:unit → unit, test:engine → engine, test:e2e → e2e), else the
// reporter's `suite` option in the jest config; a `variant` option names one of several runs of the
// same suite (the e2e suite once per n8n version: e2e@2.41.1, e2e@1.123.81).
const { writeFileSync } = require('fs');
const { join } = require('path');

class ResultsReporter {
	constructor(_globalConfig, options = {}) {
		const script = /^test:(.+)$/.exec(process.env.npm_lifecycle_event || '');
		this.suite = `${script ? script[1] : options.suite || 'jest'}${options.variant ? `@${options.variant}` : ''}`;
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
