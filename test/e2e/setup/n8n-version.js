'use strict';
// Which n8n the e2e run tests (N8N_VERSION, set by scripts/ci-e2e.sh: 2.41.1, then 1.123.81), and
// the few places where the harness talks to the two lines differently. What the tests assert about
// the node is the same on both.

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The n8n version the e2e suite runs against (scripts/provide-n8n.sh installs the same default). */
const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);

/** The e2e run's work folder: n8n's user folder, files, logs. One per version, so both stay readable. */
const E2E_WORK_DIR = path.join(ROOT, '.tmp', `e2e-n8n-${N8N_VERSION}`);

/**
 * Where n8n keeps binary data in mode "filesystem": n8n 2.x under `<user folder>/.n8n/storage`
 * (StorageConfig.storagePath), n8n 1.x under `<user folder>/.n8n/binaryData`
 * (n8n-core/dist/binary-data/binary-data.config.js).
 * @param {string} userFolder
 */
function binaryDataFolder(userFolder) {
	return path.join(userFolder, '.n8n', N8N_MAJOR >= 2 ? 'storage' : 'binaryData');
}

/**
 * Extra environment for every n8n command of the e2e run. n8n 1.123.81's default expression engine
 * ("vm", isolated-vm) evaluates `$('Node').item` to null, in any workflow (measured with a Code and
 * a Set node, no community node involved); the example workflows name files with it. Its "legacy"
 * engine evaluates it as 2.x does.
 */
/** @type {Record<string, string>} */
const N8N_ENV = N8N_MAJOR < 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {};

module.exports = { N8N_VERSION, N8N_MAJOR, E2E_WORK_DIR, N8N_ENV, binaryDataFolder };
