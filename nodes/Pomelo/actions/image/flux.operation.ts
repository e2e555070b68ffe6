import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { fieldError, readFieldValues, requestBody, requestFields } from '../../helpers/fields';
import type { Generation } from '../../helpers/output';
import type { PomeloClient } from '../../transport/client';
import { deliver, type PreparedItem } from './deliver';
import { additionalFields, promptProperty } from './shared.description';

/** Flux.1: POST /api/v1/flux.1, one image per request, with seed and negative prompt. */
export const PATH = '/api/v1/flux.1';
const ACTIVITY = 'Flux.1 generation';
const ASPECT_RATIO = /^\d+:\d+$/;

export const properties: INodeProperties[] = [
	promptProperty('A futuristic cityscape with flying cars and holographic billboards'),
	additionalFields([
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
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['flux'] } },
	properties,
);

const optionalNumber = z.number().optional().catch(undefined);

/** ISO 8601 for a unix time in seconds; undefined when absent or outside what a Date can hold. */
function unixSecondsToIso(seconds: number | undefined): string | undefined {
	if (seconds === undefined) return undefined;
	const date = new Date(seconds * 1000);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The documented answer; extra fields are tolerated. Only the image URLs are needed: metadata of
 * an unexpected type is dropped rather than throwing a paid generation away.
 */
export const answerSchema = z
	.object({
		id: z.string().optional().catch(undefined),
		created: optionalNumber,
		images: z
			.array(
				z.object({
					url: z.string().min(1),
					width: z.number().int().positive().optional().catch(undefined),
					height: z.number().int().positive().optional().catch(undefined),
				}),
			)
			.min(1, 'contains no images'),
		prompt: z.string().optional().catch(undefined),
		model: z.string().optional().catch(undefined),
		seed: z.number().int().optional().catch(undefined),
		status: z.literal('complete'),
	})
	.passthrough();

/** The item's fields, checked, as the API's request body; an aspect ratio is written width:height. */
export function prepare(this: IExecuteFunctions, itemIndex: number): Pick<PreparedItem, 'body' | 'imageCount'> {
	const body = requestBody(this.getNode(), itemIndex, properties, readFieldValues(this, itemIndex, properties));
	if (body.aspect_ratio !== undefined && !ASPECT_RATIO.test(String(body.aspect_ratio))) {
		const field = requestFields(properties).find((property) => property.name === 'aspectRatio')!;
		throw fieldError(this.getNode(), itemIndex, field, 'must look like width:height, e.g. 16:9', body.aspect_ratio);
	}
	return { body, imageCount: 1 };
}

/** What the answer says, completed by what was sent (the seed, when the answer has none). */
export function toGeneration(answer: z.infer<typeof answerSchema>, sent: IDataObject): Generation {
	const { prompt, ...parameters } = sent;
	return {
		provider: 'flux',
		generationId: answer.id,
		status: answer.status,
		prompt: answer.prompt ?? String(prompt),
		model: answer.model ?? 'flux.1',
		seed: answer.seed ?? (typeof sent.seed === 'number' ? sent.seed : undefined),
		createdAt: unixSecondsToIso(answer.created),
		parameters,
		images: answer.images.map((image) => ({ url: image.url, width: image.width, height: image.height })),
	};
}

export async function execute(
	this: IExecuteFunctions,
	item: PreparedItem,
	client: PomeloClient,
): Promise<INodeExecutionData[]> {
	const answer = await client.generate({
		path: PATH,
		body: item.body,
		activity: ACTIVITY,
		answer: answerSchema,
		finishedStatus: 'complete',
	});
	return await deliver(this, client, item, toGeneration(answer, item.body));
}
