'use strict';
// Runs workflows through n8n-core's real execution engine (WorkflowExecute), with real HTTP and
// the credential's own `authenticate` block applied the way n8n's CredentialsHelper applies it.
// Plain CommonJS so that both the jest tests (test/helpers/engine.ts, on the sources) and the
// benchmark (bench/lib/engine.js, on dist/) use the same engine set-up.
// N8N_USER_FOLDER must be set before n8n-core is loaded: it writes its config there.
// Types: JSDoc, checked by tsc (test/tsconfig.json has checkJs for this file).

const { Container } = require('@n8n/di');
const { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { createRunExecutionData, ICredentialsHelper, isExpression, Workflow } = require('n8n-workflow');

/**
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 *
 * @typedef {object} RunOptions
 * @property {import('n8n-workflow').INode[]} nodes
 * @property {import('n8n-workflow').IConnections} [connections]
 * @property {Array<Record<string, unknown>>} input Items given to the first node.
 * @property {ICredentialDataDecryptedObject} credentials The data of every credential type the engine knows.
 * @property {import('n8n-workflow').WorkflowExecuteMode} [mode]
 * @property {(execution: { cancel: () => void }) => void} [onStart] Called once the execution is under way, e.g. to cancel it.
 *
 * @typedef {object} RunResult
 * @property {IRun} run
 * @property {(nodeName: string, outputIndex?: number) => import('n8n-workflow').INodeExecutionData[]} output
 *   Output items of a node's main output `outputIndex` (first run).
 * @property {(nodeName: string) => IRun['data']['resultData']['error']} error The error a node failed with, if any.
 */

/** @implements {INodeTypes} */
class NodeTypes {
	/** @param {Record<string, INodeType>} types */
	constructor(types) {
		this.types = types;
	}
	/** @param {string} type */
	getByName(type) {
		return this.types[type];
	}
	/** @param {string} type */
	getByNameAndVersion(type) {
		return this.types[type];
	}
	getKnownTypes() {
		return {};
	}
}

/** Like n8n's CredentialsHelper: resolves the generic `authenticate` block with $credentials. */
class CredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {Record<string, ICredentialType>} credentialTypes
	 * @param {Record<string, ICredentialDataDecryptedObject>} data
	 */
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
	/** @type {ICredentialsHelper['authenticate']} */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.credentialTypes[typeName];
		if (!authenticate || typeof authenticate === 'function' || !workflow || !node) {
			throw new Error(`engine: no declarative authenticate for ${typeName}`);
		}
		/** @param {string} value */
		const resolve = (value) =>
			isExpression(value)
				? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }) ?? '')
				: value;
		const options = /** @type {Record<string, Record<string, unknown>>} */ (/** @type {unknown} */ (requestOptions));
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			options[section] ??= {};
			for (const [key, value] of Object.entries(entries)) options[section][resolve(key)] = resolve(String(value));
		}
		return /** @type {IHttpRequestOptions} */ (requestOptions);
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	/** @returns {Promise<never>} */
	async getCredentials() {
		throw new Error('engine: only decrypted credentials are used');
	}
	/** @type {ICredentialsHelper['getDecrypted']} */
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const credentials = this.data[type];
		if (!credentials) throw new Error(`engine: no credentials of type ${type}`);
		return { ...credentials };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	/** @param {string} type */
	getCredentialsProperties(type) {
		return this.credentialTypes[type].properties;
	}
}

/** What an n8n instance gives an execution; its base URLs must be valid URLs. */
/**
 * @param {import('n8n-workflow').ICredentialsHelper} credentialsHelper
 * @param {import('n8n-core').ExecutionLifecycleHooks} hooks
 * @param {string} executionId
 * @returns {IWorkflowExecuteAdditionalData} what an execution needs of it here (the rest is unused)
 */
function additionalData(credentialsHelper, hooks, executionId) {
	const base = 'http://127.0.0.1:5678';
	/** @param {string} what */
	const unsupported = (what) => async () => {
		throw new Error(`engine: ${what} are not supported here`);
	};
	return /** @type {IWorkflowExecuteAdditionalData} */ (/** @type {unknown} */ ({
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
	}));
}

/** @type {Promise<void> | undefined} */
let binaryDataReady;

/** n8n's default outside memory mode: binary data written to the file system (filesystem-v2). */
async function useFilesystemBinaryData() {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
}

/** The bytes behind an item's binary property, read through n8n's binary data service. */
/**
 * @param {import('n8n-workflow').INodeExecutionData} item
 * @returns {Promise<Buffer>}
 */
async function binaryBuffer(item, property = 'data') {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`item has no binary property "${property}"`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

let executionCounter = 0;

/**
 * `nodeTypes`: type name → node instance; `credentialTypes`: name → credential instance.
 * `runWorkflow` executes a workflow from its first node with `input` as that node's input items.
 * @param {{ nodeTypes: Record<string, INodeType>, credentialTypes: Record<string, ICredentialType> }} options
 * @returns {{ runWorkflow(options: RunOptions): Promise<RunResult> }}
 */
function createEngine({ nodeTypes, credentialTypes }) {
	const types = new NodeTypes(nodeTypes);

	/**
	 * @param {RunOptions} options
	 * @returns {Promise<RunResult>}
	 */
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
		/** @type {(run: IRun) => void} */
		let resolveFinished = () => {};
		/** @type {Promise<IRun>} */
		const finished = new Promise((resolve) => (resolveFinished = resolve));
		hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
		const credentialData = Object.fromEntries(Object.keys(credentialTypes).map((name) => [name, credentials]));
		// n8n's own factory, as n8n builds a manual execution's data.
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{ node: nodes[0], data: { main: [input.map((json) => ({ json: /** @type {import('n8n-workflow').IDataObject} */ (json) }))] }, source: null },
				],
				waitingExecutionSource: null,
			},
		});
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
