import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ImageStream } from '../../helpers/image-format';
import { redactStrings } from '../../helpers/redact';
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
 * chunk by chunk), labelled with the format read from its bytes. Its size in bytes is the node's
 * own count: n8n 2.x's service also sets `bytes`, n8n 1.x's only the text form (`fileSize`, "23.4 kB").
 */
async function storeImage(context: IExecuteFunctions, image: ImageStream, fileName: string): Promise<IBinaryData> {
	const binary = await context.helpers.prepareBinaryData(
		// A Node Readable at run time (the response composed with the checks); typed loosely because
		// community nodes may not import 'stream'.
		image.stream as unknown as Buffer,
		fileName,
		image.mimeType,
	);
	return { ...binary, bytes: image.byteCount() };
}

/**
 * Holds every image of an item until all of them have answered with image bytes, so that an image
 * that fails before its body (refused, hung, not an image) leaves nothing of the item stored;
 * rejects when a sibling failed.
 */
function allAnswered(count: number, itemFailed: AbortSignal): (index: number) => Promise<void> {
	const answered = new Set<number>();
	let release!: () => void;
	const all = new Promise<void>((resolve) => (release = resolve));
	const failed = new Promise<void>((_, reject) =>
		itemFailed.addEventListener('abort', () => reject(new Error('another image of the item failed')), { once: true }),
	);
	failed.catch(() => undefined);
	return async (index) => {
		answered.add(index);
		if (answered.size === count) release();
		await Promise.race([all, failed]);
	};
}

/**
 * Downloads and stores every image of a generation; the first failure aborts the item's other
 * downloads, and nothing of the item is passed on.
 */
async function storeImages(context: IExecuteFunctions, client: PomeloClient, generation: Generation) {
	const count = generation.images.length;
	const itemFailed = new AbortController();
	const answered = allAnswered(count, itemFailed.signal);
	const failures: unknown[] = [];
	// All images of the item take their download slots together: none waits on a sibling's slot.
	const delivered = await client.run.limits.downloads.run(
		async () =>
			await Promise.all(
				generation.images.map(async (image, index): Promise<DeliveredImage | undefined> => {
					const activity = `Downloading image ${index + 1} of ${count}`;
					try {
						return await downloadImage(
							client,
							image.url,
							activity,
							async (stream) => {
								await answered(index);
								const fileName = imageFileName(generation, image, index, stream.extension);
								return {
									image,
									binary: await storeImage(context, stream, fileName),
									format: stream,
								};
							},
							itemFailed.signal,
						);
					} catch (error) {
						failures.push(error);
						itemFailed.abort();
						return undefined;
					}
				}),
			),
		count,
	);
	// The first failure is the item's; the others are the aborts it caused.
	if (failures.length > 0) throw failures[0];
	return delivered as DeliveredImage[];
}

/** "Return URLs Only" hands URLs to the next node: only http(s) ones. */
function checkedUrls(client: PomeloClient, generation: Generation): DeliveredImage[] {
	return generation.images.map((image) => {
		let protocol = '';
		try {
			protocol = new URL(image.url).protocol;
		} catch {
			protocol = '';
		}
		if (protocol !== 'http:' && protocol !== 'https:') {
			throw client.fail({
				errorClass: 'invalid_response',
				message: `Pomelo's answer has an image URL that is not an http(s) URL: "${client.redact(image.url).slice(0, 80)}"`,
			});
		}
		return { image };
	});
}

/**
 * The last steps of every operation: a finished generation's images, stored, as output items. An
 * answer with more images than were asked for is refused (each would be downloaded and stored);
 * a key the API echoed in its answer never reaches the output.
 */
export async function deliver(
	context: IExecuteFunctions,
	client: PomeloClient,
	item: PreparedItem,
	generation: Generation,
): Promise<INodeExecutionData[]> {
	if (generation.images.length > item.imageCount) {
		throw client.fail({
			errorClass: 'invalid_response',
			generationId: generation.generationId,
			message: `Pomelo's answer lists ${generation.images.length} images for a request of ${item.imageCount}; none was downloaded`,
		});
	}
	const delivered = item.output.returnUrlsOnly
		? checkedUrls(client, generation)
		: await storeImages(context, client, generation);
	const items = generationToItems(generation, delivered, item.index, item.output);
	return items.map((entry) => ({
		...entry,
		json: redactStrings(entry.json, (text) => client.redact(text)),
	}));
}
