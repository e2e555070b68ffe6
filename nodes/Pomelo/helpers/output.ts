import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ImageFormat } from './image-format';

/** A finished generation, whichever endpoint produced it. */
export interface Generation {
	provider: 'midjourney' | 'flux';
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

/** An image of the generation, with its stored bytes unless only URLs are returned. */
export interface DeliveredImage {
	image: GeneratedImage;
	binary?: IBinaryData;
	format?: ImageFormat;
}

export function imageFileName(generation: Generation, image: GeneratedImage, index: number, extension: string) {
	const id = (generation.generationId ?? image.imageId ?? 'image').replace(/[^A-Za-z0-9_-]/g, '_');
	return `pomelo-${generation.provider}-${id}-${index}.${extension}`;
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

/** Turns a finished generation and its delivered images into output items: one per image, or one for the request. */
export function generationToItems(
	generation: Generation,
	delivered: DeliveredImage[],
	itemIndex: number,
	output: OutputSettings,
): INodeExecutionData[] {
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
