import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ReleaseSlot } from '../../helpers/concurrency';
import type { ParameterSpec } from '../../helpers/input';
import type { Generation } from '../../helpers/output';
import { parseGenerationResponse } from '../../helpers/response';
import { midjourneyResponseSchema } from '../../helpers/schemas';
import type { PomeloCredentials } from '../../transport/api';
import { runGeneration, type GenerationEndpoint } from './generate';
import { promptProperty } from './shared.description';

/** The seed's Midjourney parameter table. */
export const parameters: ParameterSpec[] = [
	{ apiName: 'prompt', property: 'prompt', label: 'Prompt', type: 'string', required: true },
	{ apiName: 'style', property: 'style', label: 'Style', type: 'string' },
	{ apiName: 'width', property: 'width', label: 'Width', type: 'integer', min: 1 },
	{ apiName: 'height', property: 'height', label: 'Height', type: 'integer', min: 1 },
	{ apiName: 'model', property: 'model', label: 'Model Version', type: 'string' },
	{ apiName: 'num_outputs', property: 'numOutputs', label: 'Number of Images', type: 'integer', min: 1, max: 4 },
];

const properties: INodeProperties[] = [
	promptProperty('A serene mountain landscape with a lake at sunset, photorealistic'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional parameters; only the ones added here are sent, Pomelo applies its defaults to the rest',
		options: [
			{
				displayName: 'Height',
				name: 'height',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 512,
				description: 'Height of the generated image in pixels (API parameter: height; default 512)',
			},
			{
				displayName: 'Model Version',
				name: 'model',
				type: 'string',
				default: '5',
				description: 'Midjourney model version to use (API parameter: model; default "5")',
			},
			{
				displayName: 'Number of Images',
				name: 'numOutputs',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 4, numberPrecision: 0 },
				default: 1,
				description:
					'Number of images to generate, 1 to 4 (API parameter: num_outputs; default 1). Each image becomes an output item.',
			},
			{
				displayName: 'Style',
				name: 'style',
				type: 'options',
				options: [
					{ name: 'Cute', value: 'cute' },
					{ name: 'Raw', value: 'raw' },
					{ name: 'Scenic', value: 'scenic' },
				],
				default: 'raw',
				description:
					'Style preset to use (API parameter: style). Use an expression to send any other preset.',
			},
			{
				displayName: 'Width',
				name: 'width',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 512,
				description: 'Width of the generated image in pixels (API parameter: width; default 512)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['midjourney'] } },
	properties,
);

export const endpoint: GenerationEndpoint = {
	path: '/api/v1/midjourney/generate',
	label: 'Midjourney generation',
	parameters,
	toGeneration(response: unknown, request: IDataObject): Generation {
		const answer = parseGenerationResponse(response, midjourneyResponseSchema, 'success', this.label);
		const { prompt, ...sent } = request;
		return {
			provider: 'midjourney',
			status: answer.status,
			prompt: answer.prompt ?? String(prompt),
			model: answer.model ?? String(request.model ?? '5'),
			createdAt: answer.images[0].created_at,
			parameters: sent,
			images: answer.images.map((image) => ({
				url: image.url,
				imageId: image.id,
				createdAt: image.created_at,
			})),
		};
	},
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	credentials: PomeloCredentials,
	releaseSlot: ReleaseSlot,
): Promise<INodeExecutionData[]> {
	return await runGeneration(this, itemIndex, credentials, endpoint, releaseSlot);
}
