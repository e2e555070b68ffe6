'use strict';
// When an e2e test failed: prints the end of every log of the shared n8n (its `start` process and
// each CLI command), n8n's own view of what went wrong. All of them stay in
// .tmp/e2e-n8n-<version>/logs.

const fs = require('node:fs');
const path = require('node:path');

const { E2E_WORK_DIR } = require('./n8n-version');

const LOG_DIR = path.join(E2E_WORK_DIR, 'logs');

class N8nLogReporter {
	onRunComplete(_contexts, results) {
		const failed = results.numFailedTests > 0 || results.numFailedTestSuites > 0 || results.numRuntimeErrorTestSuites > 0;
		if (!failed || !fs.existsSync(LOG_DIR)) return;
		const perFile = Number(process.env.POMELO_E2E_LOG_CHARS || 4000);
		// eslint-disable-next-line no-control-regex
		const strip = (t) => t.replace(/\x1b\[[0-9;]*m/g, '');
		let out = `\n----- n8n logs, the last ${perFile} characters of each (all of them: ${LOG_DIR}) -----\n`;
		for (const file of fs.readdirSync(LOG_DIR).sort()) {
			const text = strip(fs.readFileSync(path.join(LOG_DIR, file), 'utf8'));
			out += `==> ${file} <==\n${text.length > perFile ? `…${text.slice(-perFile)}` : text}\n`;
		}
		const screenshot = path.join(LOG_DIR, '..', 'browser-failure.png');
		if (fs.existsSync(screenshot)) out += `(the browser's view when its test failed: ${screenshot})\n`;
		process.stderr.write(`${out}----- end of n8n logs -----\n`);
	}
}

module.exports = N8nLogReporter;
