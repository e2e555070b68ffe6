import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as image from './actions/image';
import { router } from './actions/router';
import { addRunSummaryHint } from './helpers/hints';
import { isToolRun, toToolResult, TOOL_DESCRIPTION } from './helpers/tool-mode';

export class Pomelo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pomelo',
		name: 'pomelo',
		icon: { light: 'file:pomelo.svg', dark: 'file:pomelo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "flux" ? "Flux.1: generate" : "Midjourney: generate" }}',
		description: 'Generate images with Midjourney or Flux.1 through the Pomelo API',
		defaults: { name: 'Pomelo' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pomeloApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Image', value: 'image' }],
				default: 'image',
			},
			...image.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const [items] = await router.call(this);
		const toolRun = isToolRun(this);
		addRunSummaryHint(this, items, toolRun);
		return [toolRun ? toToolResult(items) : items];
	}
}
