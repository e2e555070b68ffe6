import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ReleaseSlot } from '../../helpers/concurrency';
import type { ParameterSpec } from '../../helpers/input';
import type { Generation } from '../../helpers/output';
import { parseGenerationResponse } from '../../helpers/response';
import { fluxResponseSchema } from '../../helpers/schemas';
import { unixSecondsToIso } from '../../helpers/time';
import type { PomeloCredentials } from '../../transport/api';
import { runGeneration, type GenerationEndpoint } from './generate';
import { promptProperty } from './shared.description';

/** The seed's Flux.1 parameter table. */
export const parameters: ParameterSpec[] = [
	{ apiName: 'prompt', property: 'prompt', label: 'Prompt', type: 'string', required: true },
	{ apiName: 'negative_prompt', property: 'negativePrompt', label: 'Negative Prompt', type: 'string' },
	{ apiName: 'style', property: 'style', label: 'Style', type: 'string' },
	{ apiName: 'seed', property: 'seed', label: 'Seed', type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
	{ apiName: 'steps', property: 'steps', label: 'Steps', type: 'integer', min: 1, max: 50 },
	{
		apiName: 'aspect_ratio',
		property: 'aspectRatio',
		label: 'Aspect Ratio',
		type: 'string',
		pattern: { regex: /^\d+:\d+$/, hint: 'width:height, e.g. 16:9' },
	},
];

const properties: INodeProperties[] = [
	promptProperty('A futuristic cityscape with flying cars and holographic billboards'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional parameters; only the ones added here are sent, Pomelo applies its defaults to the rest',
		options: [
			{
				displayName: 'Aspect Ratio',
				name: 'aspectRatio',
				type: 'options',
				options: [
					{ name: '1:1', value: '1:1' },
					{ name: '16:9', value: '16:9' },
					{ name: '4:3', value: '4:3' },
				],
				default: '1:1',
				description:
					'Aspect ratio of the output image (API parameter: aspect_ratio). Use an expression for any other ratio, written width:height.',
			},
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'e.g. blurry, low quality, distorted',
				description: "Text prompt specifying what you don't want in the image (API parameter: negative_prompt)",
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 0,
				description:
					'Random seed for reproducible image generation (API parameter: seed). The seed used is always in the output, so a liked image can be made again.',
			},
			{
				displayName: 'Steps',
				name: 'steps',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
				default: 30,
				description: 'Number of denoising steps, up to 50 (API parameter: steps; default 30)',
			},
			{
				displayName: 'Style',
				name: 'style',
				type: 'options',
				options: [
					{ name: 'Anime', value: 'anime' },
					{ name: 'Digital Art', value: 'digital-art' },
					{ name: 'Photorealistic', value: 'photorealistic' },
				],
				default: 'photorealistic',
				description:
					'Style preset (API parameter: style). Use an expression to send any other preset.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['flux'] } },
	properties,
);

export const endpoint: GenerationEndpoint = {
	path: '/api/v1/flux.1',
	label: 'Flux.1 generation',
	parameters,
	toGeneration(response: unknown, request: IDataObject): Generation {
		const answer = parseGenerationResponse(response, fluxResponseSchema, 'complete', this.label);
		const { prompt, ...sent } = request;
		const seed = answer.seed ?? (typeof request.seed === 'number' ? request.seed : undefined);
		return {
			provider: 'flux.1',
			generationId: answer.id,
			status: answer.status,
			prompt: answer.prompt ?? String(prompt),
			model: answer.model ?? 'flux.1',
			seed,
			createdAt: unixSecondsToIso(answer.created),
			parameters: sent,
			images: answer.images.map((image) => ({
				url: image.url,
				width: image.width,
				height: image.height,
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
