'use strict';
// The order of the e2e files: workflows.test.ts last, because its API-key checks scan everything
// that n8n stored and logged during the whole run (every execution of every file); the other files
// in path order.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = 'workflows.test.ts';

class E2eSequencer extends Sequencer {
	sort(tests) {
		const isLast = (test) => test.path.endsWith(`/${LAST}`);
		return [...tests].sort((a, b) => Number(isLast(a)) - Number(isLast(b)) || a.path.localeCompare(b.path));
	}
}

module.exports = E2eSequencer;
