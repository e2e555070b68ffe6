import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { storeImage } from '../../helpers/binary';
import type { ReleaseSlot } from '../../helpers/concurrency';
import { inputError } from '../../helpers/errors';
import { buildRequestBody, type ParameterSpec } from '../../helpers/input';
import {
	generationToItems,
	imageFileName,
	type DeliveredImage,
	type Generation,
	type OutputSettings,
} from '../../helpers/output';
import { postGeneration, type PomeloCredentials } from '../../transport/api';
import { downloadImage } from '../../transport/download';
import { readOptions, readTransportSettings, type TransportSettings } from '../../transport/settings';

/** What differs between the API's generation endpoints. */
export interface GenerationEndpoint {
	path: string;
	/** "Midjourney generation", used in messages. */
	label: string;
	parameters: ParameterSpec[];
	toGeneration(response: unknown, request: IDataObject): Generation;
}

function readOutputSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): OutputSettings {
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (binaryPropertyName === '') {
		throw inputError(
			context.getNode(),
			`Item ${itemIndex}: "Put Output in Field" (binaryPropertyName) must not be empty`,
			itemIndex,
		);
	}
	return {
		binaryPropertyName,
		returnUrlsOnly: options.returnUrlsOnly === true,
		oneItemPerRequest: options.oneItemPerRequest === true,
	};
}

/** Downloads and stores every image of a generation in parallel; the first failure fails the item. */
async function deliverImages(
	context: IExecuteFunctions,
	generation: Generation,
	credentials: PomeloCredentials,
	settings: TransportSettings,
): Promise<DeliveredImage[]> {
	const settled = await Promise.allSettled(
		generation.images.map(async (image, index) => {
			const describe = `Downloading image ${index + 1} of ${generation.images.length}`;
			return await downloadImage(context, credentials, settings, image.url, describe, async (stream) => {
				const fileName = imageFileName(generation, image, index, stream.extension);
				return { image, binary: await storeImage(context, stream, fileName), format: stream };
			});
		}),
	);
	const failed = settled.find((result) => result.status === 'rejected');
	if (failed) throw failed.reason;
	return settled.map((result) => (result as PromiseFulfilledResult<DeliveredImage>).value);
}

/**
 * parameters → request body → API → checked answer → images → items, for one input item. Once the
 * API has answered, `releaseSlot` lets the next item's generation start while the images download.
 */
export async function runGeneration(
	context: IExecuteFunctions,
	itemIndex: number,
	credentials: PomeloCredentials,
	endpoint: GenerationEndpoint,
	releaseSlot: ReleaseSlot,
): Promise<INodeExecutionData[]> {
	const options = readOptions(context, itemIndex);
	const output = readOutputSettings(context, itemIndex, options);
	const settings = readTransportSettings(options);
	const values: IDataObject = {
		prompt: context.getNodeParameter('prompt', itemIndex, ''),
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	const body = buildRequestBody(context.getNode(), itemIndex, endpoint.parameters, values);
	const response = await postGeneration(
		context,
		credentials,
		settings,
		endpoint.path,
		body,
		endpoint.label,
	);
	releaseSlot();
	const generation = endpoint.toGeneration(response, body);
	const delivered: DeliveredImage[] = output.returnUrlsOnly
		? generation.images.map((image) => ({ image }))
		: await deliverImages(context, generation, credentials, settings);
	return generationToItems(generation, delivered, itemIndex, output);
}
