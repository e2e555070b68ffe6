import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadImage } from '../transport/download';
import type { PomeloCredentials } from '../transport/api';
import type { TransportSettings } from '../transport/settings';
import type { ImageFormat } from './image-format';

/** A finished generation, whichever endpoint produced it. */
export interface Generation {
	provider: 'midjourney' | 'flux.1';
	generationId?: string;
	status: string;
	prompt: string;
	model: string;
	createdAt?: string;
	seed?: number;
	/** What was sent, besides the prompt, so that a result can be reproduced. */
	parameters: IDataObject;
	images: GeneratedImage[];
}

export interface GeneratedImage {
	url: string;
	imageId?: string;
	createdAt?: string;
	width?: number;
	height?: number;
}

export interface OutputSettings {
	binaryPropertyName: string;
	returnUrlsOnly: boolean;
	oneItemPerRequest: boolean;
}

interface DeliveredImage {
	image: GeneratedImage;
	binary?: IBinaryData;
	format?: ImageFormat;
}

function fileName(generation: Generation, image: GeneratedImage, index: number, extension: string) {
	const id = (generation.generationId ?? image.imageId ?? 'image').replace(/[^A-Za-z0-9_-]/g, '_');
	const provider = generation.provider.replace(/[^a-z0-9]/g, '');
	return `pomelo-${provider}-${id}-${index}.${extension}`;
}

function generationJson(generation: Generation): IDataObject {
	return {
		provider: generation.provider,
		...(generation.generationId !== undefined && { generationId: generation.generationId }),
		status: generation.status,
		prompt: generation.prompt,
		model: generation.model,
		...(generation.seed !== undefined && { seed: generation.seed }),
		...(generation.createdAt !== undefined && { createdAt: generation.createdAt }),
		imageCount: generation.images.length,
		parameters: generation.parameters,
	};
}

function imageJson(delivered: DeliveredImage, index: number): IDataObject {
	const { image, binary, format } = delivered;
	// Dimensions read from the bytes beat what the API said, which beats nothing.
	const width = format?.width ?? image.width;
	const height = format?.height ?? image.height;
	return {
		imageIndex: index,
		...(image.imageId !== undefined && { imageId: image.imageId }),
		url: image.url,
		...(image.createdAt !== undefined && { imageCreatedAt: image.createdAt }),
		...(width !== undefined && { width }),
		...(height !== undefined && { height }),
		...(binary && { fileName: binary.fileName, mimeType: binary.mimeType, fileSize: binary.bytes }),
	};
}

async function deliverImage(
	context: IExecuteFunctions,
	generation: Generation,
	image: GeneratedImage,
	index: number,
	credentials: PomeloCredentials,
	settings: TransportSettings,
): Promise<DeliveredImage> {
	const describe = `Downloading image ${index + 1} of ${generation.images.length}`;
	return await downloadImage(context, credentials, settings, image.url, describe, async (stream) => {
		const binary = await context.helpers.prepareBinaryData(
			// A Node Readable at run time (the response, composed with the checks).
			stream.stream as unknown as Buffer,
			fileName(generation, image, index, stream.extension),
			stream.mimeType,
		);
		return { image, binary, format: stream };
	});
}

/** Downloads every image of a request in parallel; the first failure fails the item. */
async function deliverAll(
	context: IExecuteFunctions,
	generation: Generation,
	credentials: PomeloCredentials,
	settings: TransportSettings,
): Promise<DeliveredImage[]> {
	const settled = await Promise.allSettled(
		generation.images.map(async (image, index) =>
			await deliverImage(context, generation, image, index, credentials, settings),
		),
	);
	const failed = settled.find((result) => result.status === 'rejected');
	if (failed) throw failed.reason;
	return settled.map((result) => (result as PromiseFulfilledResult<DeliveredImage>).value);
}

/** Turns a finished generation into output items: one per image, or one for the request. */
export async function generationToItems(
	context: IExecuteFunctions,
	generation: Generation,
	itemIndex: number,
	credentials: PomeloCredentials,
	settings: TransportSettings,
	output: OutputSettings,
): Promise<INodeExecutionData[]> {
	const delivered: DeliveredImage[] = output.returnUrlsOnly
		? generation.images.map((image) => ({ image }))
		: await deliverAll(context, generation, credentials, settings);
	const common = generationJson(generation);
	const pairedItem = { item: itemIndex };

	if (output.oneItemPerRequest) {
		const binary: Record<string, IBinaryData> = {};
		const images = delivered.map((entry, index) => {
			const json = imageJson(entry, index);
			if (entry.binary) {
				const property = `${output.binaryPropertyName}_${index}`;
				binary[property] = entry.binary;
				json.binaryProperty = property;
			}
			return json;
		});
		return [
			{
				json: { ...common, images },
				...(Object.keys(binary).length > 0 && { binary }),
				pairedItem,
			},
		];
	}

	return delivered.map((entry, index) => ({
		json: { ...common, ...imageJson(entry, index) },
		...(entry.binary && { binary: { [output.binaryPropertyName]: entry.binary } }),
		pairedItem,
	}));
}
