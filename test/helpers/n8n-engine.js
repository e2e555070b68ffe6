'use strict';
// Runs workflows through n8n-core's real execution engine (WorkflowExecute), with real HTTP and
// the credential's own `authenticate` block applied the way n8n's CredentialsHelper applies it.
// Plain CommonJS so that both the jest tests (test/helpers/engine.ts, on the sources) and the
// benchmark (bench/lib/engine.js, on dist/) use the same engine set-up.
// N8N_USER_FOLDER must be set before n8n-core is loaded: it writes its config there.

const { Container } = require('@n8n/di');
const { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ICredentialsHelper, isExpression, Workflow } = require('n8n-workflow');

class NodeTypes {
	constructor(types) {
		this.types = types;
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

/** Like n8n's CredentialsHelper: resolves the generic `authenticate` block with $credentials. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(credentialTypes, data) {
		super();
		this.credentialTypes = credentialTypes;
		this.data = data;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.credentialTypes[typeName];
		if (!authenticate || typeof authenticate === 'function' || !workflow || !node) {
			throw new Error(`engine: no declarative authenticate for ${typeName}`);
		}
		const resolve = (value) =>
			isExpression(value)
				? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }) ?? '')
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
		throw new Error('engine: only decrypted credentials are used');
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const credentials = this.data[type];
		if (!credentials) throw new Error(`engine: no credentials of type ${type}`);
		return { ...credentials };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type) {
		return this.credentialTypes[type].properties;
	}
}

/** What an n8n instance gives an execution; its base URLs must be valid URLs. */
function additionalData(credentialsHelper, hooks, executionId) {
	const base = 'http://127.0.0.1:5678';
	const unsupported = (what) => async () => {
		throw new Error(`engine: ${what} are not supported here`);
	};
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
		executeWorkflow: unsupported('sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: unsupported('task runners'),
	};
}

let binaryDataReady;

/** n8n's default outside memory mode: binary data written to the file system (filesystem-v2). */
async function useFilesystemBinaryData() {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
}

/** The bytes behind an item's binary property, read through n8n's binary data service. */
async function binaryBuffer(item, property = 'data') {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`item has no binary property "${property}"`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

let executionCounter = 0;

/**
 * `nodeTypes`: type name → node instance; `credentialTypes`: name → credential instance.
 * `runWorkflow` executes a workflow from its first node with `input` as that node's input items.
 */
function createEngine({ nodeTypes, credentialTypes }) {
	const types = new NodeTypes(nodeTypes);

	async function runWorkflow({ nodes, connections = {}, input, credentials, mode = 'manual', onStart }) {
		const executionId = String(++executionCounter);
		const workflowData = {
			id: 'wf-pomelo',
			name: 'Pomelo engine run',
			active: false,
			nodes,
			connections,
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			isArchived: false,
			activeVersionId: null,
		};
		const workflow = new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes,
			connections,
			nodeTypes: types,
			active: false,
			settings: {},
		});
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		let resolveFinished;
		const finished = new Promise((resolve) => (resolveFinished = resolve));
		hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
		const credentialData = Object.fromEntries(Object.keys(credentialTypes).map((name) => [name, credentials]));
		const runExecutionData = {
			version: 1,
			startData: {},
			resultData: { runData: {} },
			executionData: {
				contextData: {},
				metadata: {},
				nodeExecutionStack: [{ node: nodes[0], data: { main: [input.map((json) => ({ json }))] }, source: null }],
				waitingExecution: {},
				waitingExecutionSource: null,
			},
		};
		const execute = new WorkflowExecute(
			additionalData(new CredentialsHelper(credentialTypes, credentialData), hooks, executionId),
			mode,
			runExecutionData,
		);
		const promise = execute.processRunExecutionData(workflow);
		onStart?.({ cancel: () => promise.cancel() });
		await promise;
		const run = await finished;
		return {
			run,
			output: (nodeName, outputIndex = 0) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [],
			error: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.error,
		};
	}

	return { runWorkflow };
}

module.exports = { createEngine, CredentialsHelper, additionalData, useFilesystemBinaryData, binaryBuffer };
