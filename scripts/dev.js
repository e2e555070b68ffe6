#!/usr/bin/env node
'use strict';
// npm run dev: the n8n editor on http://127.0.0.1:5678 (N8N_PORT to change) with this package
// installed as a community package, the "Pomelo account" credential and every example workflow
// imported, and an owner account set up. Runs until Ctrl-C.
//
// Without POMELO_API_KEY the credential points at the project's emulator (started here); with it,
// at the real Pomelo API (POMELO_BASE_URL, default the seed's host). The examples write their
// images into ./output/. The n8n user folder is .tmp/dev (kept between runs: your own workflows
// stay; the examples and the credential are re-imported on every start).
// Options: --no-build skips `npm run build`; --fresh starts from an empty user folder.

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, freePort, exampleFiles, loadExample, step, elapsed, startApi, prepareN8n } = require('../harness');

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
async function portIsFree(port) {
	const net = require('node:net');
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function main() {
	const started = Date.now();
	const argv = process.argv.slice(2);
	const build = !argv.includes('--no-build');
	const fresh = argv.includes('--fresh');
	const port = Number(process.env.N8N_PORT || 5678);
	if (!(await portIsFree(port))) {
		const suggestion = await freePort();
		throw new Error(`port ${port} on 127.0.0.1 is in use; stop what runs there or run N8N_PORT=${suggestion} npm run dev`);
	}
	const outputDir = path.join(ROOT, 'output');
	fs.mkdirSync(outputDir, { recursive: true });

	const api = await startApi();
	/** @type {import('../harness').N8n | undefined} */
	let n8n;
	let stopping = false;
	/** @param {number} code */
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		step('stopping n8n...');
		if (n8n) await n8n.stop();
		await api.close();
		process.exit(code);
	};
	try {
		n8n = await prepareN8n({ workDir: path.join(ROOT, '.tmp', 'dev'), filesDir: outputDir, api, port, build, fresh });
		const workflows = exampleFiles().map((file) => loadExample(file, { filesDir: outputDir }));
		let t = Date.now();
		await n8n.importWorkflow(workflows);
		step(`imported ${workflows.length} example workflows (${elapsed(t)})`);

		t = Date.now();
		step('starting n8n...');
		await n8n.start();
		const owner = await n8n.setupOwner();
		step(`n8n is up (${elapsed(t)}); total ${elapsed(started)}`);

		console.log(`
n8n editor:   ${n8n.baseUrl}/
log in as:    ${owner.email}  /  ${owner.password}
credential:   "Pomelo account" → ${api.baseUrl}${api.emulator ? ' (the emulator)' : ''}
workflows:    ${workflows.map((w) => w.name).join('\n              ')}
images:       written by the examples into ${outputDir}
n8n logs:     ${n8n.logDir}
Press Ctrl-C to stop.`);
	} catch (error) {
		if (n8n) n8n.printLogs(process.stderr, 12_000);
		if (n8n) await n8n.stop();
		await api.close();
		throw error;
	}

	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));
	n8n.process?.on('exit', (code) => {
		if (stopping) return;
		console.error(`n8n exited (code ${code}); its log: ${n8n.logFile('n8n-start')}`);
		void api.close().then(() => process.exit(code || 1));
	});
}

main().catch((error) => {
	console.error(`\ndev failed: ${error && error.message ? error.message : error}`);
	process.exit(1);
});
