'use strict';
// One real n8n for all e2e test files: the version N8N_VERSION names (default 2.41.1; see
// n8n-version.js), provided by scripts/provide-n8n.sh (installed on the first run, ~6-7 min; cached
// afterwards), this package built, packed and installed into its user folder
// the way n8n's Community Nodes screen installs packages, the credential and every example workflow
// imported, `n8n start` running with an owner account. The Pomelo emulator runs in this (jest's
// main) process; test files reach n8n through its CLI and REST API and the emulator through its
// admin routes. State for the test files: the JSON file named by POMELO_E2E_STATE_FILE.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { N8n, provideN8n, installPackage, run, exampleFiles, loadExample, credential, startEmulator } = require('../../../harness');
const { N8N_VERSION, E2E_WORK_DIR, N8N_ENV } = require('./n8n-version');

const log = (m) => process.stderr.write(`[e2e setup] ${m}\n`);

module.exports = async function globalSetup() {
	const started = Date.now();
	const since = (t) => `${((Date.now() - t) / 1000).toFixed(1)}s`;
	const workDir = E2E_WORK_DIR;
	fs.rmSync(workDir, { recursive: true, force: true });
	fs.mkdirSync(workDir, { recursive: true });

	let t = Date.now();
	log(`providing n8n ${N8N_VERSION} (first run on a machine: ~6-7 minutes)`);
	const bin = await provideN8n();
	log(`n8n ${N8N_VERSION}: ${bin} (${since(t)})`);

	t = Date.now();
	if (process.env.POMELO_E2E_SKIP_BUILD !== '1') {
		await run('npm', ['run', 'build', '--silent']);
		log(`npm run build (${since(t)})`);
	}

	// A key that would stand out anywhere it leaked to.
	const apiKey = `pk-e2e-${crypto.randomBytes(18).toString('hex')}`;
	const emulator = await startEmulator({ apiKey });
	globalThis.__POMELO_E2E__ = { emulator };
	log(`emulator: ${emulator.baseUrl}, images ${emulator.imageBaseUrl}`);

	const n8n = await N8n.create({ bin, workDir, logLevel: 'debug', env: N8N_ENV });
	globalThis.__POMELO_E2E__.n8n = n8n;
	try {
		t = Date.now();
		const installedAt = await installPackage(n8n.userFolder, { build: false });
		log(`package installed into ${installedAt} (${since(t)})`);

		t = Date.now();
		await n8n.importCredentials([credential({ apiKey, baseUrl: emulator.baseUrl })]);
		const examples = {};
		const workflows = exampleFiles().map((file) => {
			const outDir = path.join(n8n.filesDir, path.basename(file, '.json'));
			fs.mkdirSync(outDir, { recursive: true });
			const workflow = loadExample(file, { filesDir: outDir });
			examples[file] = { id: workflow.id, name: workflow.name, outDir };
			return workflow;
		});
		await n8n.importWorkflow(workflows);
		log(`imported the credential and ${workflows.length} examples (${since(t)})`);

		t = Date.now();
		await n8n.start();
		await n8n.setupOwner();
		log(`n8n started at ${n8n.baseUrl} with an owner account (${since(t)})`);

		const state = {
			n8nVersion: N8N_VERSION,
			bin,
			workDir,
			userFolder: n8n.userFolder,
			filesDir: n8n.filesDir,
			logDir: n8n.logDir,
			port: n8n.port,
			baseUrl: n8n.baseUrl,
			apiKey,
			emulator: { baseUrl: emulator.baseUrl, imageBaseUrl: emulator.imageBaseUrl },
			examples,
		};
		// Outside the folders the leak checks scan (user/, logs/, files/).
		const stateFile = path.join(workDir, 'state.json');
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
		process.env.POMELO_E2E_STATE_FILE = stateFile;
		log(`ready in ${since(started)}`);
	} catch (error) {
		n8n.printLogs();
		await n8n.stop();
		await emulator.close();
		throw error;
	}
};
