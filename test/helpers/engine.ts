/**
 * The Pomelo node and credential from the sources, run through n8n-core's real execution engine
 * (harness/n8n-engine.js) over real HTTP, with a downstream node that reads the binary data.
 */
import { createHash } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { PomeloApi } from '../../credentials/PomeloApi.credentials';
import { Pomelo } from '../../nodes/Pomelo/Pomelo.node';
import { createEngine, type RunOptions as EngineRunOptions } from '../../harness';

export { binaryBuffer, useFilesystemBinaryData } from '../../harness';
export type { RunResult } from '../../harness';

export const POMELO_TYPE = 'n8n-nodes-pomelo.pomelo';
/** The type n8n gives the node's AI-tool variant (usableAsTool): the same node, run as an agent's tool. */
export const POMELO_TOOL_TYPE = 'n8n-nodes-pomelo.pomeloTool';
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

const engine = createEngine({
	nodeTypes: { [POMELO_TYPE]: new Pomelo(), [POMELO_TOOL_TYPE]: new Pomelo(), [SINK_TYPE]: new SinkNode() },
	credentialTypes: { pomeloApi: new PomeloApi() },
});

export interface PomeloNodeOptions {
	parameters: Record<string, unknown>;
	name?: string;
	onError?: INode['onError'];
	/** POMELO_TOOL_TYPE runs the node as an agent's tool. */
	type?: string;
}

export function pomeloNode({ parameters, name = 'Pomelo', onError, type = POMELO_TYPE }: PomeloNodeOptions): INode {
	return {
		id: `node-${name}`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { pomeloApi: { id: 'cred-1', name: 'Pomelo account' } },
		...(onError && { onError }),
	};
}

export type Operation = 'midjourney' | 'flux';
export type OnError = 'continueRegularOutput' | 'continueErrorOutput' | undefined;

/** The node's parameters with the prompt taken from each input item's `prompt`; Midjourney at 64×64. */
export function promptParameters(operation: Operation, options: IDataObject, fields: IDataObject = {}): IDataObject {
	return operation === 'midjourney'
		? { operation, prompt: '={{ $json.prompt }}', additionalFields: { width: 64, height: 64, ...fields }, options }
		: { operation, prompt: '={{ $json.prompt }}', options };
}

export function sinkNode(name = 'Sink'): INode {
	return { id: `node-${name}`, name, type: SINK_TYPE, typeVersion: 1, position: [200, 0], parameters: {} };
}

export interface RunOptions extends Omit<EngineRunOptions, 'credentials'> {
	credentials: { apiKey: string; baseUrl: string };
}

/** Executes the workflow from its first node with `input` as that node's input items. */
export async function runWorkflow(options: RunOptions) {
	return await engine.runWorkflow(options);
}

export interface PromptRunSpec {
	/** Default: Midjourney. */
	operation?: Operation;
	/** The Options collection. */
	options?: IDataObject;
	/** Default: continueRegularOutput (error items); undefined stops the run on the first error. */
	onError?: OnError;
	/** Extra Midjourney parameters (additionalFields). */
	fields?: IDataObject;
	credentials: RunOptions['credentials'];
	/** Cancels the execution after this many ms, so a node that never ends fails the test instead of hanging it. */
	watchdogMs?: number;
}

/** One Pomelo node run over one input item per prompt: its run, its output items and how long it took. */
export async function runPrompts(prompts: string[], spec: PromptRunSpec) {
	const { operation = 'midjourney', options = {}, fields, credentials, watchdogMs } = spec;
	const onError = 'onError' in spec ? spec.onError : 'continueRegularOutput';
	const started = Date.now();
	let watchdog: NodeJS.Timeout | undefined;
	const result = await runWorkflow({
		nodes: [pomeloNode({ parameters: promptParameters(operation, options, fields), onError })],
		input: prompts.map((prompt) => ({ prompt })),
		credentials,
		onStart: ({ cancel }) => {
			if (watchdogMs !== undefined) watchdog = setTimeout(cancel, watchdogMs);
		},
	});
	clearTimeout(watchdog);
	return { result, items: result.output('Pomelo'), elapsedMs: Date.now() - started };
}
