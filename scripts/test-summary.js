// Sums the results that the test runs left in a folder (jest: *.json from
// test/helpers/results-reporter.js; node's test runner: *.tap) into one closing line.
const { readdirSync, readFileSync } = require('fs');
const { join } = require('path');

const dir = process.argv[2];
let passed = 0;
let failed = 0;
for (const file of readdirSync(dir)) {
	const text = readFileSync(join(dir, file), 'utf8');
	if (file.endsWith('.json')) {
		const result = JSON.parse(text);
		passed += result.numPassedTests;
		failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
	} else if (file.endsWith('.tap')) {
		passed += Number(/^# pass (\d+)$/m.exec(text)?.[1] ?? 0);
		failed += Number(/^# fail (\d+)$/m.exec(text)?.[1] ?? 0);
	}
}
console.log(`${passed} passed, ${failed} failed`);
