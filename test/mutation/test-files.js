// Where the dry run's record of test name → test file lives: in Stryker's sandbox (the working
// directory of its test runners), so every runner of the run reads the same one.
const { join } = require('path');

const TEST_FILES_RECORD = join(process.cwd(), '.stryker-test-files.jsonl');

module.exports = { TEST_FILES_RECORD };
