import { PNG_TRAILER, SNIFF_BYTES, sniffImageFormat, type ByteStream, type ImageFormat } from '../helpers/image-format';
import { PomeloError, type Failure } from '../helpers/pomelo-error';
import { failureFromTransportError } from './socket-errors';

export interface GuardLimits {
	maxBytes: number;
	/** Content-Length of the response, when the server sent one. */
	expectedBytes?: number;
	/** Content-Type of the response, only used to explain a refusal. */
	declaredType?: string;
	/** Request Timeout, to name a connection that broke off as a timeout when it was one. */
	timeoutMs?: number;
	activity: string;
	/** Builds the error of a failed check: `download` unless another class is given. */
	fail: (failure: Omit<Failure, 'errorClass'> & Partial<Pick<Failure, 'errorClass'>>) => PomeloError;
}

export interface GuardedImage {
	/** The image bytes, failing instead of ending when a check fails. */
	stream: ByteStream;
	/** Settles once the first bytes are in: the format, or the reason they are not an image. */
	format: Promise<ImageFormat>;
	/**
	 * The failure behind an error of the stream. A connection that breaks mid-body reaches the
	 * stream's readers as the raw socket error: this names it as a download cut short.
	 */
	explain(error: unknown): Error;
	/** Bytes that passed the checks so far: the image's size once the stream has ended. */
	byteCount(): number;
	/**
	 * Ends the download unread: closes the connection and the stream. Destroying the stream alone
	 * would reach the connection only once the body sends its next bytes, maybe never.
	 */
	close(): void;
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Last bytes seen, copied so that no whole chunk stays referenced. */
function lastBytes(previous: Buffer, chunk: Buffer): Buffer {
	const size = PNG_TRAILER.length;
	const joined = chunk.length >= size ? chunk : Buffer.concat([previous, chunk]);
	return Buffer.from(joined.subarray(Math.max(0, joined.length - size)));
}

function notAnImage(limits: GuardLimits, head: Buffer): PomeloError {
	const declared = limits.declaredType?.split(';')[0].trim().toLowerCase();
	let what: string;
	if (head.length === 0) what = 'the body was empty';
	else if (declared && !declared.startsWith('image/')) what = `it sent ${declared.slice(0, 60)}`;
	else what = declared ? `the body is not an image although it was declared ${declared.slice(0, 60)}` : 'unrecognised content';
	return limits.fail({
		message: `${limits.activity}: the server did not send an image (${what})`,
	});
}

/** `Readable.from`, which every Readable class has (community nodes may not import 'stream'). */
type ReadableFrom = (source: AsyncIterable<Buffer>, options: { objectMode: boolean }) => ByteStream;

/**
 * The body passed through `check`, read one chunk at a time as n8n's binary store asks for it:
 * `Readable.from(check(body))`, reached through the body's own class. `body.compose(check)` does
 * the same through a pipe and two more streams, and doubled the event loop's worst delays while
 * images stream in (bench, Performance); it remains for a body that is not a plain Readable.
 */
function pulled(body: ByteStream, check: (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>): ByteStream {
	const from = (body.constructor as { from?: ReadableFrom }).from;
	const plainReadable = typeof from === 'function' && typeof (body as Partial<{ write: unknown }>).write !== 'function';
	return plainReadable ? from.call(body.constructor, check(body), { objectMode: false }) : body.compose(check);
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

	// Errors of the body reach the reader through the composed stream; this listener only makes
	// sure that one emitted after the reader has gone (a late abort) is not an uncaught error.
	body.on('error', () => undefined);

	let received = 0;

	const recognise = (head: Buffer): ImageFormat => {
		const found = sniffImageFormat(head);
		if (!found) throw notAnImage(limits, head);
		announce(found);
		return found;
	};

	/** A body that broke off: the connection was closed, reset or aborted mid-way. */
	const brokenOff = (error: unknown): Error => {
		if (error instanceof PomeloError) return error;
		const failure = failureFromTransportError(error, limits.activity, limits.timeoutMs ?? 0);
		if (failure.errorClass === 'cancelled' || failure.errorClass === 'timeout') return limits.fail(failure);
		const of = limits.expectedBytes !== undefined ? ` of ${limits.expectedBytes}` : '';
		return limits.fail({
			retryable: true,
			message: `${limits.activity}: the download was cut short after ${received}${of} bytes (the connection was closed)`,
			description: 'The image is incomplete, so it was not passed on.',
		});
	};

	async function* check(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
		let head = Buffer.alloc(0);
		let tail = Buffer.alloc(0);
		let found: ImageFormat | undefined;
		try {
			for await (let chunk of source) {
				received += chunk.length;
				if (received > limits.maxBytes) {
					throw limits.fail({
						message: `${limits.activity}: the image is larger than the limit of ${megabytes(limits.maxBytes)}`,
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
		} catch (error) {
			throw brokenOff(error);
		}
		if (!found) {
			found = recognise(head);
			tail = lastBytes(tail, head);
			yield head;
		}
		const short = limits.expectedBytes !== undefined && received < limits.expectedBytes;
		if (short || (found.mimeType === 'image/png' && !tail.equals(PNG_TRAILER))) {
			throw limits.fail({
				retryable: true,
				message: `${limits.activity}: the download was cut short after ${received}${short ? ` of ${limits.expectedBytes}` : ''} bytes`,
				description: 'The image is incomplete, so it was not passed on.',
			});
		}
	}

	const stream = pulled(body, check);
	stream.once('error', refuse);
	// Start pulling, so that the format is known before the consumer is attached.
	stream.read(0);
	const close = () => {
		body.destroy();
		stream.destroy();
	};
	return { stream, format, explain: brokenOff, byteCount: () => received, close };
}
