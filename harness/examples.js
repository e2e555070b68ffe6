'use strict';
// The example workflows in examples/ and the credential they reference.

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, CREDENTIAL_TYPE } = require('./n8n');

/**
 * A workflow as exported by n8n (JSON read freely: its parameters are the nodes' own).
 * @typedef {{ id: string, name: string, nodes: WorkflowNode[], connections: Record<string, any>, [key: string]: unknown }} Workflow
 * @typedef {{ id: string, name: string, type: string, typeVersion: number, parameters: Record<string, any>, [key: string]: unknown }} WorkflowNode
 */

const EXAMPLES_DIR = path.join(ROOT, 'examples');
/** The folder the examples' Read/Write Files nodes write to, as shipped (n8n's Docker image user). */
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files/pomelo';
/** The credential every example references. */
const CREDENTIAL_ID = 'pomeloAccount001';
const CREDENTIAL_NAME = 'Pomelo account';
/** The API host of the seed document: the credential's default base URL. */
const DEFAULT_BASE_URL = 'https://api.pomeloapi.example.com';

/** @type {Readonly<Record<'pipeline' | 'midjourney' | 'flux' | 'moderation' | 'agent', string>>} */
const EXAMPLES = Object.freeze({
	pipeline: '01-scheduled-content-pipeline.json',
	midjourney: '02-midjourney-variations.json',
	flux: '03-flux-fixed-seed.json',
	moderation: '04-error-handling-moderation.json',
	agent: '05-ai-agent-social-post.json',
});
/** The OpenAI credential the agent example's chat model references (an `openAiApi` credential). */
const OPENAI_CREDENTIAL = Object.freeze({ id: 'openAiAccount001', name: 'OpenAI account', type: 'openAiApi' });

function exampleFiles() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => /^\d\d-.*\.json$/.test(f))
		.sort();
}

/**
 * An example as shipped, with its output folder moved to `filesDir` (the folder n8n is allowed to
 * write to, N8N_RESTRICT_FILE_ACCESS_TO). Nothing else changes.
 * @param {string} file
 * @param {{ filesDir?: string }} [options]
 * @returns {Workflow}
 */
function loadExample(file, { filesDir } = {}) {
	const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
	const workflow = JSON.parse(text);
	if (filesDir) {
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-base.readWriteFile' && typeof node.parameters.fileName === 'string') {
				node.parameters.fileName = node.parameters.fileName.split(EXAMPLE_FILES_DIR).join(filesDir);
			}
		}
	}
	return workflow;
}

/**
 * The credential to import with `n8n import:credentials` (n8n encrypts `data` on import).
 * @param {{ apiKey: string, baseUrl: string }} data
 */
function credential({ apiKey, baseUrl }) {
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: CREDENTIAL_TYPE,
		data: { apiKey, baseUrl },
	};
}

module.exports = {
	EXAMPLES_DIR,
	EXAMPLE_FILES_DIR,
	EXAMPLES,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	OPENAI_CREDENTIAL,
	DEFAULT_BASE_URL,
	exampleFiles,
	loadExample,
	credential,
};
