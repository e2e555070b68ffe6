// Sums the results that the test runs left in a folder into one closing line, and says whether the
// run was green. Usage: node scripts/test-summary.js <folder> <expected suite>...
//   jest: <suite>-*.json, written by test/helpers/results-reporter.js;
//   node's test runner: <suite>-*.tap (scripts/queue/run.sh).
// Red (exit 1, "FAILED") when a test failed or was cancelled (a failing `before` hook cancels the
// tests after it), when a suite failed outside its tests (a failing hook, a file that did not load),
// or when an expected suite left no results at all (e.g. jest's globalSetup threw, or an earlier
// command of `npm test` failed, so the later ones never ran).
const { readdirSync, readFileSync } = require('fs');
const { join } = require('path');

/**
 * @typedef {{ passed: number, failed: number, skipped: number, cancelled: number, suiteErrors: number }} Counts
 */

/**
 * Counts from a jest results file (see results-reporter.js).
 * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number, numRuntimeErrorTestSuites: number, wasInterrupted: boolean }} result
 * @returns {Counts}
 */
function fromJest(result) {
	return {
		passed: result.numPassedTests,
		failed: result.numFailedTests,
		skipped: result.numPendingTests + result.numTodoTests,
		cancelled: 0,
		// A file whose beforeAll/afterAll threw, or that did not load, or an interrupted run.
		suiteErrors: result.numRuntimeErrorTestSuites + (result.wasInterrupted ? 1 : 0),
	};
}

/**
 * Counts from a node:test TAP file.
 * @param {string} text
 * @returns {Counts & { complete: boolean }}
 */
function fromTap(text) {
	const count = (/** @type {string} */ name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
	// Top-level "not ok" lines are failing files or suites. One whose tests all passed failed in a
	// hook (an `after` that threw): node's runner counts no failed test for it.
	const failingTopLevel = (text.match(/^not ok \d+/gm) ?? []).length;
	const failed = count('fail');
	const cancelled = count('cancelled');
	return {
		passed: count('pass'),
		failed,
		skipped: count('skipped') + count('todo'),
		cancelled,
		suiteErrors: failed + cancelled === 0 ? failingTopLevel : 0,
		// A TAP file without its closing counts: the runner was killed before it finished.
		complete: /^# tests \d+$/m.test(text),
	};
}

/**
 * @param {string} dir
 * @param {string[]} expectedSuites
 */
function summarise(dir, expectedSuites) {
	/** @type {Counts} */
	const totals = { passed: 0, failed: 0, skipped: 0, cancelled: 0, suiteErrors: 0 };
	const reported = new Set();
	/** @type {Record<string, Pick<Counts, 'passed' | 'failed' | 'skipped'>>} Per suite (e2e@2.41.1 and e2e@1.123.81 apart) */
	const perSuite = {};
	for (const file of readdirSync(dir).sort()) {
		const suite = file.split('-')[0];
		const text = readFileSync(join(dir, file), 'utf8');
		let counts;
		if (file.endsWith('.json')) counts = fromJest(JSON.parse(text));
		else if (file.endsWith('.tap')) {
			counts = fromTap(text);
			if (!counts.complete) continue; // as good as no results
		} else continue;
		reported.add(suite);
		for (const key of /** @type {Array<keyof Counts>} */ (Object.keys(totals))) totals[key] += counts[key];
		const ofSuite = (perSuite[suite] ??= { passed: 0, failed: 0, skipped: 0 });
		for (const key of /** @type {Array<keyof typeof ofSuite>} */ (Object.keys(ofSuite))) ofSuite[key] += counts[key];
	}
	const missing = expectedSuites.filter((suite) => !reported.has(suite));
	const red = totals.failed + totals.cancelled + totals.suiteErrors + missing.length > 0;
	const line =
		`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped, ${totals.cancelled} cancelled, ` +
		`${totals.suiteErrors} suite errors outside tests, ${missing.length} suites without results` +
		`${missing.length ? ` (${missing.join(', ')})` : ''}: ${red ? 'FAILED' : 'OK'}`;
	const suiteLines = Object.entries(perSuite).map(([suite, c]) => `  ${suite}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
	return { line, red, suiteLines };
}

if (require.main === module) {
	const [dir, ...expectedSuites] = process.argv.slice(2);
	const { line, red, suiteLines } = summarise(dir, expectedSuites);
	for (const suiteLine of suiteLines) console.log(suiteLine);
	console.log(line);
	process.exitCode = red ? 1 : 0;
}

module.exports = { summarise };
