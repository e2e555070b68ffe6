'use strict';

module.exports = async function globalTeardown() {
	const shared = globalThis.__POMELO_E2E__;
	if (!shared) return;
	if (shared.n8n) {
		await shared.n8n.stop();
		process.stderr.write(`[e2e teardown] n8n stopped; its logs: ${shared.n8n.logDir}\n`);
	}
	if (shared.emulator) await shared.emulator.close();
};
