import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { ImageStream } from '../transport/download';

/**
 * Stores a checked image stream with n8n's binary data service (on disk in n8n's default mode,
 * chunk by chunk), labelled with the format read from its bytes.
 */
export async function storeImage(
	context: IExecuteFunctions,
	image: ImageStream,
	fileName: string,
): Promise<IBinaryData> {
	return await context.helpers.prepareBinaryData(
		// A Node Readable at run time (the response composed with the checks); typed loosely because
		// community nodes may not import 'stream'.
		image.stream as unknown as Buffer,
		fileName,
		image.mimeType,
	);
}
