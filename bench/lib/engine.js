'use strict';
// Runs the BUILT Pomelo node (dist/) through n8n-core's real execution engine, with the same engine
// set-up as the tests (harness/n8n-engine.js). Plain CommonJS, for bench/worker.js.
//
// N8N_USER_FOLDER must be set before this module is loaded (n8n-core writes its config there).

const path = require('node:path');

const { createEngine, useFilesystemBinaryData } = require('../../harness');
const { ReferenceNode, REFERENCE_TYPE } = require('./reference-node');

const ROOT = path.resolve(__dirname, '..', '..');
// BENCH_DIST: another build of the package to measure (e.g. a copy of dist/ from before a change).
const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(ROOT, 'dist');
const { Pomelo } = require(path.join(DIST, 'nodes', 'Pomelo', 'Pomelo.node.js'));
const { PomeloApi } = require(path.join(DIST, 'credentials', 'PomeloApi.credentials.js'));

const POMELO_TYPE = 'n8n-nodes-pomelo.pomelo';

const engine = createEngine({
	nodeTypes: { [POMELO_TYPE]: new Pomelo(), [REFERENCE_TYPE]: new ReferenceNode() },
	credentialTypes: { pomeloApi: new PomeloApi() },
});

/**
 * Executes one node (the Pomelo node, or `type`) with `input` (JSON objects) as its input items.
 * Resolves with the node's output items (main output 0) and its error, if any.
 */
async function runPomelo({ parameters, input, credentials, type = POMELO_TYPE }) {
	const node = {
		id: 'node-pomelo',
		name: 'Pomelo',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { pomeloApi: { id: 'cred-1', name: 'Pomelo account' } },
	};
	const result = await engine.runWorkflow({ nodes: [node], input, credentials });
	return { items: result.output('Pomelo'), error: result.error('Pomelo') ?? result.run.data.resultData.error };
}

module.exports = { runPomelo, useFilesystemBinaryData, POMELO_TYPE, REFERENCE_TYPE, DIST };
