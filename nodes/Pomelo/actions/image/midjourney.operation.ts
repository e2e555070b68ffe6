import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { readFieldValues, requestBody } from '../../helpers/fields';
import type { Generation } from '../../helpers/output';
import type { PomeloClient } from '../../transport/client';
import { deliver, type PreparedItem } from './deliver';
import { additionalFields, promptProperty } from './shared.description';

/** Midjourney: POST /api/v1/midjourney/generate, up to four images per request. */
export const PATH = '/api/v1/midjourney/generate';
const ACTIVITY = 'Midjourney generation';
const DEFAULT_MODEL = '5';

export const properties: INodeProperties[] = [
	promptProperty('A serene mountain landscape with a lake at sunset, photorealistic'),
	additionalFields([
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
			default: DEFAULT_MODEL,
			description: `Midjourney model version to use (API parameter: model; default "${DEFAULT_MODEL}")`,
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
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['midjourney'] } },
	properties,
);

/**
 * The documented answer; extra fields are tolerated. Only the image URLs are needed: metadata of
 * an unexpected type is dropped rather than throwing a paid generation away.
 */
export const answerSchema = z
	.object({
		status: z.literal('success'),
		images: z
			.array(
				z.object({
					url: z.string().min(1),
					id: z.string().optional().catch(undefined),
					created_at: z.string().optional().catch(undefined),
				}),
			)
			.min(1, 'contains no images'),
		prompt: z.string().optional().catch(undefined),
		model: z.string().optional().catch(undefined),
	})
	.passthrough();

/** The item's fields, checked, as the API's request body. */
export function prepare(this: IExecuteFunctions, itemIndex: number): Pick<PreparedItem, 'body' | 'imageCount'> {
	const body = requestBody(this.getNode(), itemIndex, properties, readFieldValues(this, itemIndex, properties));
	return { body, imageCount: Number(body.num_outputs ?? 1) };
}

/** What the answer says, completed by what was sent. */
export function toGeneration(answer: z.infer<typeof answerSchema>, sent: IDataObject): Generation {
	const { prompt, ...parameters } = sent;
	return {
		provider: 'midjourney',
		status: answer.status,
		prompt: answer.prompt ?? String(prompt),
		model: answer.model ?? String(sent.model ?? DEFAULT_MODEL),
		createdAt: answer.images[0].created_at,
		parameters,
		images: answer.images.map((image) => ({ url: image.url, imageId: image.id, createdAt: image.created_at })),
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
		finishedStatus: 'success',
	});
	return await deliver(this, client, item, toGeneration(answer, item.body));
}
