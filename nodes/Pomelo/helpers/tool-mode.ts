import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** Asked once per node run: `getNode()` copies the whole node each time, and items ask it one by one. */
const toolRuns = new WeakMap<IExecuteFunctions, boolean>();

/**
 * Whether this run is an AI Agent's tool call. n8n derives the tool variant of a node with
 * `usableAsTool` under the type `<type>Tool` (n8n-nodes-pomelo.pomeloTool) and runs the node's own
 * `execute` for it; older agents call it through a context whose `isToolExecution()` says so.
 */
export function isToolRun(context: IExecuteFunctions): boolean {
	let toolRun = toolRuns.get(context);
	if (toolRun === undefined) {
		const isToolExecution = (context as Partial<IExecuteFunctions>).isToolExecution;
		toolRun =
			context.getNode().type.endsWith('Tool') ||
			(typeof isToolExecution === 'function' && isToolExecution.call(context) === true);
		toolRuns.set(context, toolRun);
	}
	return toolRun;
}

/**
 * The tool variant's description (`usableAsTool.replacements`): in the node panel, and the text
 * offered when the tool's description is set manually. It tells a model when to call the tool and
 * what comes back.
 */
export const TOOL_DESCRIPTION =
	'Generates images from a text prompt with Midjourney or Flux.1 (Pomelo API). Returns, per image, ' +
	'its public URL with width, height, prompt, model and (Flux.1) seed. If Pomelo refuses the prompt, ' +
	'returns a short error with what to do next, such as rephrasing the prompt.';

/** What a model can use of an image: where it is and how it was made. No file, nothing binary. */
const IMAGE_FIELDS = ['url', 'width', 'height', 'imageIndex', 'imageId'];
const GENERATION_FIELDS = ['provider', 'model', 'prompt', 'seed', 'generationId', 'imageCount'];

/** What the model should do about a failure, by error class (README, "As an AI Agent's tool"). */
const WHAT_TO_DO: Record<string, string> = {
	moderation: 'Rephrase the prompt without the refused content and call the tool again, or tell the user.',
	input: 'Correct the named field and call the tool again.',
	invalid_request: 'Correct the named parameter and call the tool again.',
	rate_limit: 'Pomelo is busy; tell the user to try again later. Do not call the tool again now.',
	authentication: 'The Pomelo credential in n8n is not valid; tell the user. Do not call the tool again.',
};
const DEFAULT_WHAT_TO_DO = 'The image could not be made; tell the user. Do not call the tool again now.';

function pick(json: IDataObject, fields: string[]): IDataObject {
	const picked: IDataObject = {};
	for (const field of fields) if (json[field] !== undefined) picked[field] = json[field];
	return picked;
}

function toolError(json: IDataObject): IDataObject {
	const error = json.error as IDataObject;
	const errorClass = String(error.errorClass ?? 'unknown');
	return {
		error: error.message,
		errorClass,
		...(error.param !== undefined && { param: error.param }),
		whatToDo: WHAT_TO_DO[errorClass] ?? DEFAULT_WHAT_TO_DO,
	};
}

/**
 * The node's output items as an agent's tool result (n8n gives the model the items' JSON and drops
 * binary data): per image its URL, size and seed, prompt and model; per failed item a short error
 * with its class and what to do next.
 */
export function toToolResult(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => {
		const { json } = item;
		let result: IDataObject;
		if (json.error !== undefined) {
			result = toolError(json);
		} else if (Array.isArray(json.images)) {
			result = { ...pick(json, GENERATION_FIELDS), images: (json.images as IDataObject[]).map((image) => pick(image, IMAGE_FIELDS)) };
		} else {
			result = { ...pick(json, IMAGE_FIELDS), ...pick(json, GENERATION_FIELDS) };
		}
		return { json: result, pairedItem: item.pairedItem };
	});
}
