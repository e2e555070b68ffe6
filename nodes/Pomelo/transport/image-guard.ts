import type { Failure } from '../helpers/errors';
import { PNG_TRAILER, SNIFF_BYTES, sniffImageFormat, type ImageFormat } from '../helpers/image-format';
import { AttemptFailure } from './retry';

/**
 * The part of Node's Readable that the guard relies on. Community nodes may not import 'stream',
 * so the guard is built with the response's own `compose` instead of a Transform class.
 */
export interface ByteStream extends AsyncIterable<Buffer> {
	compose(transform: (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>): ByteStream;
	read(size?: number): unknown;
	destroy(error?: Error): void;
	once(event: 'error', listener: (error: Error) => void): unknown;
}

export interface GuardLimits {
	maxBytes: number;
	/** Content-Length of the response, when the server sent one. */
	expectedBytes?: number;
	describe: string;
}

export interface GuardedImage {
	/** The image bytes, failing instead of ending when a check fails. */
	stream: ByteStream;
	/** Settles once the first bytes are in: the format, or the reason they are not an image. */
	format: Promise<ImageFormat>;
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function downloadFailure(failure: Omit<Failure, 'errorClass'>): AttemptFailure {
	return new AttemptFailure({ errorClass: 'download', ...failure });
}

/** Last bytes seen, copied so that no whole chunk stays referenced. */
function lastBytes(previous: Buffer, chunk: Buffer): Buffer {
	const size = PNG_TRAILER.length;
	const joined = chunk.length >= size ? chunk : Buffer.concat([previous, chunk]);
	return Buffer.from(joined.subarray(Math.max(0, joined.length - size)));
}

/**
 * Passes an image download through while checking it: the first bytes must be an image, the size
 * must stay under the limit, and the body must be complete (Content-Length reached, a PNG ends
 * with IEND). Any breach fails the stream, so a broken file is never stored as a binary item.
 * Bytes flow through in chunks; nothing is held whole.
 */
export function guardImageStream(body: ByteStream, limits: GuardLimits): GuardedImage {
	let announce!: (format: ImageFormat) => void;
	let refuse!: (error: Error) => void;
	const format = new Promise<ImageFormat>((resolve, reject) => {
		announce = resolve;
		refuse = reject;
	});
	// Nobody may be waiting for the format when a later check fails.
	format.catch(() => undefined);

	const recognise = (head: Buffer): ImageFormat => {
		const found = sniffImageFormat(head);
		if (!found) {
			throw downloadFailure({
				retryable: false,
				message: `${limits.describe}: the server did not send an image (${head.length === 0 ? 'empty body' : 'unrecognised content'})`,
			});
		}
		announce(found);
		return found;
	};

	async function* check(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
		let received = 0;
		let head = Buffer.alloc(0);
		let tail = Buffer.alloc(0);
		let found: ImageFormat | undefined;
		for await (let chunk of source) {
			received += chunk.length;
			if (received > limits.maxBytes) {
				throw downloadFailure({
					retryable: false,
					message: `${limits.describe}: the image is larger than the limit of ${megabytes(limits.maxBytes)}`,
					description: 'Raise the node\'s "Max Image Size" option to accept larger images.',
				});
			}
			if (!found) {
				head = Buffer.concat([head, chunk]);
				if (head.length < SNIFF_BYTES) continue;
				found = recognise(head);
				chunk = head;
			}
			tail = lastBytes(tail, chunk);
			yield chunk;
		}
		if (!found) {
			found = recognise(head);
			tail = lastBytes(tail, head);
			yield head;
		}
		const short = limits.expectedBytes !== undefined && received < limits.expectedBytes;
		if (short || (found.mimeType === 'image/png' && !tail.equals(PNG_TRAILER))) {
			throw downloadFailure({
				retryable: true,
				message: `${limits.describe}: the download was cut short after ${received} bytes${short ? ` of ${limits.expectedBytes}` : ''}`,
				description: 'The image is incomplete, so it was not passed on.',
			});
		}
	}

	const stream = body.compose(check);
	stream.once('error', refuse);
	// Start pulling, so that the format is known before the consumer is attached.
	stream.read(0);
	return { stream, format };
}
