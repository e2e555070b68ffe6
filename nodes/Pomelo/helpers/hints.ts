import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

/** Where the failed items went, which the hint points the user to. */
export type FailureDestination = 'errorOutput' | 'items' | 'agent';

function plural(count: number, word: string) {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function formatBytes(bytes: number) {
	if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The images an output item describes: itself, or its `images` (One Item per Request). */
function imagesOf(json: IDataObject): IDataObject[] {
	if (Array.isArray(json.images)) return json.images as IDataObject[];
	return typeof json.url === 'string' ? [json] : [];
}

function errorClassOf(json: IDataObject): string {
	return String((json.error as IDataObject).errorClass ?? 'unknown');
}

const FAILURE_POINTER: Record<FailureDestination, string> = {
	errorOutput: 'see the error output',
	items: 'see their error items',
	agent: 'the agent received the error text',
};

/**
 * One line for the output panel: "5 images from 5 prompts, 11.2 MB", "3 image URLs from 3 prompts
 * (not downloaded)", or "2 of 5 items failed: moderation 1, rate_limit 1; see the error output".
 */
export function runSummary(
	inputCount: number,
	output: INodeExecutionData[],
	failuresGoTo: FailureDestination,
): NodeExecutionHint {
	const failed = output.filter((item) => item.json.error !== undefined);
	if (failed.length > 0) {
		const byClass = new Map<string, number>();
		for (const item of failed) {
			const errorClass = errorClassOf(item.json);
			byClass.set(errorClass, (byClass.get(errorClass) ?? 0) + 1);
		}
		const classes = [...byClass].map(([name, count]) => `${name} ${count}`).join(', ');
		return {
			type: 'warning',
			location: 'outputPane',
			message: `${failed.length} of ${plural(inputCount, 'item')} failed: ${classes}; ${FAILURE_POINTER[failuresGoTo]}`,
		};
	}
	const images = output.flatMap((item) => imagesOf(item.json));
	const bytes = images.reduce((sum, image) => sum + (typeof image.fileSize === 'number' ? image.fileSize : 0), 0);
	const prompts = plural(inputCount, 'prompt');
	const message =
		bytes > 0
			? `${plural(images.length, 'image')} from ${prompts}, ${formatBytes(bytes)}`
			: `${plural(images.length, 'image URL')} from ${prompts} (not downloaded)`;
	return { type: 'info', location: 'outputPane', message };
}

/** Where this run's failed items went: to the agent, the error output, or the regular output. */
function failureDestination(context: IExecuteFunctions, toolRun: boolean): FailureDestination {
	if (toolRun) return 'agent';
	return context.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'items';
}

/** Shows the summary under the node's output, where the running n8n offers execution hints (older ones do not). */
export function addRunSummaryHint(context: IExecuteFunctions, output: INodeExecutionData[], toolRun: boolean): void {
	const addExecutionHints = (context as Partial<IExecuteFunctions>).addExecutionHints;
	const inputCount = context.getInputData().length;
	if (typeof addExecutionHints !== 'function' || inputCount === 0) return;
	addExecutionHints.call(context, runSummary(inputCount, output, failureDestination(context, toolRun)));
}
