import type { INodeProperties } from 'n8n-workflow';

import * as flux from './flux.operation';
import * as midjourney from './midjourney.operation';
import { optionsProperty } from './shared.description';

export { flux, midjourney };

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
