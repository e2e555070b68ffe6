import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import * as flux from './flux.operation';
import * as midjourney from './midjourney.operation';
import { optionsProperty } from './shared.description';
import type { PreparedItem } from './deliver';
import type { PomeloClient } from '../../transport/client';

export { flux, midjourney };

/** What the router needs of an operation: check an item before anything is sent, then run it. */
export interface Operation {
	prepare(this: IExecuteFunctions, itemIndex: number): Pick<PreparedItem, 'body' | 'imageCount'>;
	execute(this: IExecuteFunctions, item: PreparedItem, client: PomeloClient): Promise<INodeExecutionData[]>;
}

export const operations: Record<string, Operation> = { midjourney, flux };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Generate with Flux.1',
				value: 'flux',
				// n8n's lint wants actions in sentence case: only an all-capitals name keeps its capitals.
				action: 'Generate an image with FLUX.1',
				description: 'Create an image from a text prompt with Flux.1, with seed and negative prompt',
			},
			{
				name: 'Generate with Midjourney',
				value: 'midjourney',
				action: 'Generate images with midjourney',
				description: 'Create up to four artistic images from a text prompt with Midjourney',
			},
		],
		default: 'midjourney',
	},
	...midjourney.description,
	...flux.description,
	optionsProperty,
];
