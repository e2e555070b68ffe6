/**
 * Runs workflows through n8n-core's real execution engine (WorkflowExecute), with the Pomelo node
 * and credential from the sources, real HTTP, and the credential's own `authenticate` block
 * applied the way n8n's CredentialsHelper applies it.
 */
import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IConnections,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	isExpression,
	NodeConnectionTypes,
	Workflow,
} from 'n8n-workflow';
import { createHash } from 'crypto';

import { PomeloApi } from '../../credentials/PomeloApi.credentials';
import { Pomelo } from '../../nodes/Pomelo/Pomelo.node';

export const POMELO_TYPE = 'n8n-nodes-pomelo.pomelo';
export const SINK_TYPE = 'test.sink';

/**
 * A downstream node, as Drive or S3 would be: it reads every binary property through n8n's
 * helpers and reports what it received, so tests see what the next node gets.
 */
class SinkNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sink',
		name: 'sink',
		group: ['output'],
		version: 1,
		description: 'Reads the binary data it receives',
		defaults: { name: 'Sink' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let index = 0; index < items.length; index++) {
			const received: IDataObject = {};
			for (const property of Object.keys(items[index].binary ?? {})) {
				const buffer = await this.helpers.getBinaryDataBuffer(index, property);
				received[property] = {
					bytes: buffer.length,
					sha256: createHash('sha256').update(buffer).digest('hex'),
					base64: buffer.toString('base64'),
				};
			}
			output.push({ json: { received, upstream: items[index].json }, pairedItem: { item: index } });
		}
		return [output];
	}
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[POMELO_TYPE]: new Pomelo(),
		[SINK_TYPE]: new SinkNode(),
	};

	getByName(nodeType: string): INodeType {
		return this.types[nodeType];
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.types[nodeType];
	}

	getKnownTypes() {
		return {};
	}
}

/** Like n8n's CredentialsHelper: resolves the generic `authenticate` block with $credentials. */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types: Record<string, ICredentialType> = { pomeloApi: new PomeloApi() };

	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.types[typeName];
		if (!authenticate || typeof authenticate === 'function' || !workflow || !node) {
			throw new Error(`test credentials helper: no declarative authenticate for ${typeName}`);
		}
		const resolve = (value: string) =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(node, value, 'internal', {
							$credentials: credentials,
						}) ?? '',
					)
				: value;
		const target = requestOptions as unknown as Record<string, Record<string, string>>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			target[section] ??= {};
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[section][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(_nodeCredentials: INodeCredentialsDetails, _type: string): Promise<never> {
		throw new Error('not used by the engine for decrypted credentials');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = this.data[type];
		if (!credentials) throw new Error(`no test credentials of type ${type}`);
		return { ...credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.types[type].properties;
	}
}

let binaryDataReady: Promise<void> | undefined;

/** Stores binary data on disk, as n8n does by default outside memory mode. */
export async function useFilesystemBinaryData(): Promise<void> {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
}

export interface PomeloNodeOptions {
	parameters: Record<string, unknown>;
	name?: string;
	onError?: INode['onError'];
	retryOnFail?: boolean;
}

export function pomeloNode({ parameters, name = 'Pomelo', onError }: PomeloNodeOptions): INode {
	return {
		id: `node-${name}`,
		name,
		type: POMELO_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { pomeloApi: { id: 'cred-1', name: 'Pomelo account' } },
		...(onError && { onError }),
	};
}

export function sinkNode(name = 'Sink'): INode {
	return { id: `node-${name}`, name, type: SINK_TYPE, typeVersion: 1, position: [200, 0], parameters: {} };
}

export interface RunOptions {
	nodes: INode[];
	connections?: IConnections;
	/** Items given to the first node. */
	input: Array<Record<string, unknown>>;
	credentials: { apiKey: string; baseUrl: string };
	mode?: WorkflowExecuteMode;
	/** Called once the execution is under way, e.g. to cancel it. */
	onStart?: (execution: { cancel: () => void }) => void;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's main output `outputIndex` (first run). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node failed with, if any. */
	error(nodeName: string): IRun['data']['resultData']['error'];
}

export function additionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData {
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
			throw new Error('sub-workflows are not part of these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('task runners are not part of these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

/** Executes the workflow from its first node with `input` as that node's input items. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const executionId = String(++executionCounter);
	const workflowData: IWorkflowBase = {
		id: 'wf-pomelo-test',
		name: 'Pomelo engine test',
		active: false,
		nodes: options.nodes,
		connections: options.connections ?? {},
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: options.nodes,
		connections: workflowData.connections,
		nodeTypes: new TestNodeTypes(),
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks(options.mode ?? 'manual', executionId, workflowData);
	let resolveFinished!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
	const credentialsHelper = new TestCredentialsHelper({ pomeloApi: options.credentials });

	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [
				{
					node: options.nodes[0],
					data: { main: [options.input.map((json) => ({ json: json as IDataObject }))] },
					source: null,
				},
			],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(
		additionalData(credentialsHelper, hooks, executionId),
		options.mode ?? 'manual',
		runExecutionData,
	);
	const promise = execute.processRunExecutionData(workflow);
	options.onStart?.({ cancel: () => promise.cancel() });
	await promise;
	const run = await finished;
	return {
		run,
		output(nodeName, outputIndex = 0) {
			return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
		},
		error(nodeName) {
			return run.data.resultData.runData[nodeName]?.[0]?.error as RunResult['error'] extends (
				...args: never[]
			) => infer R
				? R
				: never;
		},
	};
}

/** The bytes behind an output item's binary property, read through n8n's binary data service. */
export async function binaryBuffer(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`item has no binary property "${property}"`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}
