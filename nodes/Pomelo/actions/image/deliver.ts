import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ImageStream } from '../../helpers/image-format';
import {
	generationToItems,
	imageFileName,
	type DeliveredImage,
	type Generation,
	type OutputSettings,
} from '../../helpers/output';
import type { PomeloClient } from '../../transport/client';
import { downloadImage } from '../../transport/download';

/** One input item, checked before anything is sent. */
export interface PreparedItem {
	index: number;
	body: IDataObject;
	/** Images this request asks for: counted against "Max Images per Execution". */
	imageCount: number;
	output: OutputSettings;
}

/**
 * Stores a checked image stream with n8n's binary data service (on disk in n8n's default mode,
 * chunk by chunk), labelled with the format read from its bytes.
 */
async function storeImage(context: IExecuteFunctions, image: ImageStream, fileName: string): Promise<IBinaryData> {
	return await context.helpers.prepareBinaryData(
		// A Node Readable at run time (the response composed with the checks); typed loosely because
		// community nodes may not import 'stream'.
		image.stream as unknown as Buffer,
		fileName,
		image.mimeType,
	);
}

/**
 * Downloads and stores every image of a generation; the first failure aborts the item's other
 * downloads, and nothing of the item is passed on.
 */
async function storeImages(context: IExecuteFunctions, client: PomeloClient, generation: Generation) {
	const count = generation.images.length;
	const settled = await Promise.allSettled(
		generation.images.map(async (image, index): Promise<DeliveredImage> => {
			const activity = `Downloading image ${index + 1} of ${count}`;
			return await downloadImage(client, image.url, activity, async (stream) => {
				const fileName = imageFileName(generation, image, index, stream.extension);
				return { image, binary: await storeImage(context, stream, fileName), format: stream };
			});
		}),
	);
	const failed = settled.find((result) => result.status === 'rejected');
	if (failed) throw failed.reason;
	return settled.map((result) => (result as PromiseFulfilledResult<DeliveredImage>).value);
}

/** The last steps of every operation: a finished generation's images, stored, as output items. */
export async function deliver(
	context: IExecuteFunctions,
	client: PomeloClient,
	item: PreparedItem,
	generation: Generation,
): Promise<INodeExecutionData[]> {
	const delivered = item.output.returnUrlsOnly
		? generation.images.map((image) => ({ image }))
		: await storeImages(context, client, generation);
	return generationToItems(generation, delivered, item.index, item.output);
}
