'use strict';
// What `npm run demo` and `npm run dev` share: the API to talk to (the emulator, or the real Pomelo
// API when POMELO_API_KEY is set), and a real n8n with this package installed as a community package.

const fs = require('node:fs');
const { N8n, provideN8n, installPackage } = require('./n8n');
const { credential, DEFAULT_BASE_URL } = require('./examples');
const { startEmulator } = require('../emulator');

/** @param {string} message */
function step(message) {
	process.stderr.write(`» ${message}\n`);
}

/** @param {number} since a Date.now() */
function elapsed(since) {
	return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/**
 * The API the credential points at. With POMELO_API_KEY set: the real Pomelo API at POMELO_BASE_URL
 * (default: the seed's host). Otherwise the project's emulator on free loopback ports.
 */
async function startApi() {
	const apiKey = process.env.POMELO_API_KEY;
	if (apiKey) {
		const baseUrl = process.env.POMELO_BASE_URL || DEFAULT_BASE_URL;
		step(`using the Pomelo API at ${baseUrl} (POMELO_API_KEY is set)`);
		return { apiKey, baseUrl, emulator: null, close: async () => {} };
	}
	const emulator = await startEmulator({ apiKey: `emulator-key-${Math.random().toString(36).slice(2, 10)}` });
	step(`started the Pomelo emulator at ${emulator.baseUrl} (images from ${emulator.imageBaseUrl}); set POMELO_API_KEY to use the real API`);
	return { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, emulator, close: () => emulator.close() };
}

/**
 * Provides n8n (installing it on the first run), builds and installs this package into a fresh user
 * folder under `workDir`, and imports the credential. Resolves with the N8n instance (not started).
 * @param {{ workDir: string, filesDir?: string, api: { apiKey: string, baseUrl: string }, port?: number, build?: boolean, fresh?: boolean }} options
 */
async function prepareN8n({ workDir, filesDir, api, port, build = true, fresh = true }) {
	let t = Date.now();
	step('providing n8n 2.41.1 (the first run installs it into ~/.cache/n8n-nodes-pomelo: about 6-7 minutes)');
	const bin = await provideN8n();
	step(`n8n ready (${elapsed(t)}): ${bin}`);

	if (fresh) fs.rmSync(workDir, { recursive: true, force: true });
	const n8n = await N8n.create({ bin, workDir, filesDir, port });
	t = Date.now();
	step(`${build ? 'building, packing' : 'packing'} and installing n8n-nodes-pomelo into ${n8n.userFolder}/.n8n/nodes`);
	await installPackage(n8n.userFolder, { build });
	step(`package installed (${elapsed(t)})`);

	t = Date.now();
	await n8n.importCredentials([credential({ apiKey: api.apiKey, baseUrl: api.baseUrl })]);
	step(`imported the "Pomelo account" credential (${elapsed(t)})`);
	return n8n;
}

module.exports = { step, elapsed, startApi, prepareN8n };
