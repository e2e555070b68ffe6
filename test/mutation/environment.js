// n8n-core's tests run in Node's environment; under Stryker, once a test has failed for the active
// mutant (it is killed), the mutant's remaining tests are skipped instead of run: Stryker only needs
// one failure, and jest's own bail cannot be used in-process. Test files run one after another in
// one process (runInBand), and this module is loaded once for all of them, so it remembers.
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

let killedMutant;

class BailOnceKilled extends NodeEnvironment {
	handleTestEvent(event) {
		const activeMutant = process.env.__STRYKER_ACTIVE_MUTANT__;
		if (activeMutant === undefined) return;
		if (event.name === 'test_start' && killedMutant === activeMutant) event.test.mode = 'skip';
		if (event.name === 'test_done' && event.test.errors.length > 0) killedMutant = activeMutant;
	}
}

module.exports = BailOnceKilled;
