// For a mutant run (jest given -t with the names of the tests that cover the mutant), only the test
// files holding one of those tests, as the dry run recorded them, quickest first (with the bail in
// environment.js, a mutant that a quick test kills costs only that test). Without a pattern,
// without a record, or if no recorded name matches, every file, as jest would.
const { existsSync, readFileSync } = require('fs');
const Sequencer = require('@jest/test-sequencer').default;
const { TEST_FILES_RECORD } = require('./test-files');

let recorded;
const recordedTests = () => {
	if (recorded === undefined && existsSync(TEST_FILES_RECORD)) {
		const lines = readFileSync(TEST_FILES_RECORD, 'utf8').split('\n').filter(Boolean);
		recorded = lines.map((line) => JSON.parse(line));
	}
	return recorded ?? [];
};

class FilesWithMatchingTests extends Sequencer {
	constructor(options) {
		super(options);
		this.testNamePattern = options.globalConfig.testNamePattern;
	}

	async sort(tests) {
		const sorted = await super.sort(tests);
		if (!this.testNamePattern) return sorted;
		// The way jest-circus matches a test's full name against -t.
		const pattern = new RegExp(this.testNamePattern, 'i');
		const msByFile = new Map();
		for (const test of recordedTests().filter((t) => pattern.test(t.name))) {
			msByFile.set(test.file, (msByFile.get(test.file) ?? 0) + test.ms);
		}
		if (msByFile.size === 0) return sorted;
		return sorted.filter((test) => msByFile.has(test.path)).sort((a, b) => msByFile.get(a.path) - msByFile.get(b.path));
	}
}

module.exports = FilesWithMatchingTests;
