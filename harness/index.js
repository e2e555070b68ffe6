'use strict';
// The one way tests, the demo, the dev editor and the bench start what they run against: the Pomelo
// emulator, a real n8n with this package installed (n8n.js, session.js, queue/), n8n-core's engine
// (n8n-engine.js) and the example workflows (examples.js, images.js). Not part of the package.
//
// The engine is loaded on first use: n8n-core writes its config under N8N_USER_FOLDER as it loads,
// so a caller sets that first, and callers that never run the engine (the demo) never load it.

const { startEmulator } = require('../emulator');

/**
 * @typedef {import('./n8n-engine').RunOptions} RunOptions
 * @typedef {import('./n8n-engine').RunResult} RunResult
 * @typedef {import('./examples').Workflow} Workflow
 */

module.exports = {
	startEmulator,
	...require('./n8n'),
	...require('./session'),
	...require('./examples'),
	...require('./images'),
	QueueCluster: require('./queue/cluster').QueueCluster,
	get createEngine() {
		return require('./n8n-engine').createEngine;
	},
	get CredentialsHelper() {
		return require('./n8n-engine').CredentialsHelper;
	},
	get additionalData() {
		return require('./n8n-engine').additionalData;
	},
	get useFilesystemBinaryData() {
		return require('./n8n-engine').useFilesystemBinaryData;
	},
	get binaryBuffer() {
		return require('./n8n-engine').binaryBuffer;
	},
};
