'use strict';
// Runs the BUILT Pomelo node (dist/) through n8n-core's real execution engine (WorkflowExecute),
// the way test/helpers/engine.ts does for the sources: a Workflow with the node type, lifecycle
// hooks, additional data and a credentials helper that applies the credential's generic
// `authenticate` block (as n8n's CredentialsHelper does). Plain CommonJS, for bench/worker.js.
//
// N8N_USER_FOLDER must be set before this module is loaded (n8n-core writes its config there).

const path = require('node:path');
const { Container } = require('@n8n/di');
const { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, isExpression, Workflow } = require('n8n-workflow');

const ROOT = path.resolve(__dirname, '..', '..');
// BENCH_DIST: another build of the package to measure (e.g. a copy of dist/ from before a change).
const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(ROOT, 'dist');
const { Pomelo } = require(path.join(DIST, 'nodes', 'Pomelo', 'Pomelo.node.js'));
const { PomeloApi } = require(path.join(DIST, 'credentials', 'PomeloApi.credentials.js'));

const { ReferenceNode, REFERENCE_TYPE } = require('./reference-node');

const POMELO_TYPE = 'n8n-nodes-pomelo.pomelo';

class NodeTypes {
	constructor() {
		this.types = { [POMELO_TYPE]: new Pomelo(), [REFERENCE_TYPE]: new ReferenceNode() };
	}
	getByName(type) {
		return this.types[type];
	}
	getByNameAndVersion(type) {
		return this.types[type];
	}
	getKnownTypes() {
		return {};
	}
}

/** Resolves the credential's generic `authenticate` block with $credentials, like n8n does. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(data) {
		super();
		this.data = data;
		this.types = { pomeloApi: new PomeloApi() };
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.types[typeName];
		const resolve = (value) =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }) ?? '',
					)
				: value;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			requestOptions[section] ??= {};
			for (const [key, value] of Object.entries(entries)) requestOptions[section][resolve(key)] = resolve(value);
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		return { ...this.data[type] };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type) {
		return this.types[type].properties;
	}
}

/** n8n's default outside memory mode: binary data written to the file system (filesystem-v2). */
async function useFilesystemBinaryData() {
	await Container.get(BinaryDataService).init();
}

function additionalData(credentialsHelper, hooks, executionId) {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('no sub-workflows in the bench');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('no task runners in the bench');
		},
	};
}

let executionCounter = 0;

/**
 * Executes one node (the Pomelo node, or `type`) with `input` (JSON objects) as its input items.
 * Resolves with the node's output items (main output 0) and its error, if any.
 */
async function runPomelo({ parameters, input, credentials, type = POMELO_TYPE }) {
	const executionId = `bench-${++executionCounter}`;
	const node = {
		id: 'node-pomelo',
		name: 'Pomelo',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { pomeloApi: { id: 'cred-1', name: 'Pomelo account' } },
	};
	const workflowData = {
		id: 'wf-pomelo-bench',
		name: 'Pomelo bench',
		active: false,
		nodes: [node],
		connections: {},
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: [node],
		connections: {},
		nodeTypes: new NodeTypes(),
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let resolveFinished;
	const finished = new Promise((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node, data: { main: [input.map((json) => ({ json }))] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	};
	const execute = new WorkflowExecute(
		additionalData(new CredentialsHelper({ pomeloApi: credentials }), hooks, executionId),
		'manual',
		runExecutionData,
	);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const task = run.data.resultData.runData.Pomelo?.[0];
	return { items: task?.data?.main?.[0] ?? [], error: task?.error ?? run.data.resultData.error };
}

module.exports = { runPomelo, useFilesystemBinaryData, POMELO_TYPE, REFERENCE_TYPE, DIST };
