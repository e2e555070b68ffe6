/**
 * The stream guard of image downloads, on plain Node streams: whole images pass byte for byte;
 * anything cut short, too large or not an image fails the stream instead of ending it (a stalled
 * body fails by Request Timeout, the download's deadline: test/engine/faults.test.ts).
 */
import { PassThrough, Readable } from 'stream';

import { encodePng } from '../../emulator';
import type { ByteStream } from '../../nodes/Pomelo/helpers/image-format';
import { PomeloError } from '../../nodes/Pomelo/helpers/pomelo-error';
import { guardImageStream, type GuardLimits } from '../../nodes/Pomelo/transport/image-guard';
import { pomeloNodeRef } from '../helpers/node-ref';

const png = encodePng({ width: 40, height: 30, seed: 7 });
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1), Buffer.from([0xff, 0xd9])]);

function chunks(bytes: Buffer, size: number): Buffer[] {
	const list: Buffer[] = [];
	for (let offset = 0; offset < bytes.length; offset += size) list.push(bytes.subarray(offset, offset + size));
	return list;
}

const node = pomeloNodeRef;

function limits(overrides: Partial<GuardLimits> = {}): GuardLimits {
	return {
		maxBytes: 1024 * 1024,
		activity: 'Downloading image 1 of 1',
		fail: (failure) => new PomeloError(node, { errorClass: 'download', ...failure }),
		...overrides,
	};
}

/** Reads the guarded stream to its end, as prepareBinaryData would; failures go through explain. */
async function consume(body: Readable, guardLimits: GuardLimits) {
	const guarded = guardImageStream(body as unknown as ByteStream, guardLimits);
	const explain = (error: unknown) => {
		throw guarded.explain(error);
	};
	const format = await guarded.format.catch(explain);
	const read = async () => {
		const parts: Buffer[] = [];
		for await (const chunk of guarded.stream) parts.push(chunk);
		return Buffer.concat(parts);
	};
	const bytes = await read().catch(explain);
	return { format, bytes, byteCount: guarded.byteCount() };
}

async function failureOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(PomeloError);
	return error as PomeloError;
}

describe('whole images pass through unchanged', () => {
	test.each([1, 7, 24, 100, 65536])('a PNG in chunks of %i bytes', async (size) => {
		const { format, bytes, byteCount } = await consume(Readable.from(chunks(png, size)), limits({ expectedBytes: png.length }));
		expect(bytes.equals(png)).toBe(true);
		expect(format).toEqual({ mimeType: 'image/png', extension: 'png', width: 40, height: 30 });
		// The item's fileSize: the node's own count, whatever n8n's binary data service reports.
		expect(byteCount).toBe(png.length);
	});

	test('a JPEG (no trailer check) in chunks, with a declared length', async () => {
		const { format, bytes, byteCount } = await consume(Readable.from(chunks(jpeg, 10)), limits({ expectedBytes: jpeg.length }));
		expect(bytes.equals(jpeg)).toBe(true);
		expect(byteCount).toBe(jpeg.length);
		expect(format.mimeType).toBe('image/jpeg');
	});

	test('an image exactly at the size limit', async () => {
		const { bytes } = await consume(Readable.from([png]), limits({ maxBytes: png.length }));
		expect(bytes.length).toBe(png.length);
	});
});

describe('the format is known from the first 30 bytes', () => {
	test('a PNG body that has sent 30 bytes so far: type and size, before the rest arrives', async () => {
		const body = new Readable({ read() {} });
		const guarded = guardImageStream(body as unknown as ByteStream, limits());
		body.push(png.subarray(0, 30));
		expect(await guarded.format).toEqual({ mimeType: 'image/png', extension: 'png', width: 40, height: 30 });
		guarded.close();
	});
});

describe('after the download', () => {
	test('an error the body emits once the image was read (a late abort) does not crash n8n', async () => {
		const body = Readable.from([png]);
		const { bytes } = await consume(body, limits());
		expect(bytes.equals(png)).toBe(true);
		expect(() => body.emit('error', new Error('aborted'))).not.toThrow();
	});
});

describe('broken downloads fail the stream', () => {
	test('a PNG without its IEND trailer (no Content-Length) is cut short, retryable', async () => {
		const failure = await failureOf(consume(Readable.from([png.subarray(0, png.length - 12)]), limits()));
		expect(failure).toMatchObject({ errorClass: 'download', retryable: true });
		expect(failure.message).toBe(`Downloading image 1 of 1: the download was cut short after ${png.length - 12} bytes`);
		expect(failure.description).toBe('The image is incomplete, so it was not passed on.');
	});

	test('fewer bytes than Content-Length is cut short, naming both counts', async () => {
		const failure = await failureOf(consume(Readable.from([jpeg.subarray(0, 100)]), limits({ expectedBytes: jpeg.length })));
		expect(failure.message).toBe(`Downloading image 1 of 1: the download was cut short after 100 of ${jpeg.length} bytes`);
	});

	// An HTTP response body is a plain Readable (read through Readable.from); any other stream (a
	// Duplex such as PassThrough) goes through compose. Both must break the same way.
	const bodies: Array<[string, () => { body: Readable; send: (bytes: Buffer) => void; breakOff: (error: Error) => void }]> = [
		[
			'a plain Readable',
			() => {
				const body = new Readable({ read() {} });
				return { body, send: (bytes) => body.push(bytes), breakOff: (error) => body.destroy(error) };
			},
		],
		[
			'a Duplex',
			() => {
				const body = new PassThrough();
				return { body, send: (bytes) => body.write(bytes), breakOff: (error) => body.destroy(error) };
			},
		],
	];

	test.each(bodies)('%s: a connection that breaks mid-body is a download cut short, retryable', async (_kind, make) => {
		const { body, send, breakOff } = make();
		const result = consume(body, limits({ expectedBytes: png.length }));
		send(png.subarray(0, 300));
		setTimeout(() => breakOff(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 20);
		const failure = await failureOf(result);
		expect(failure).toMatchObject({ errorClass: 'download', retryable: true });
		expect(failure.message).toBe(
			`Downloading image 1 of 1: the download was cut short after 300 of ${png.length} bytes (the connection was closed)`,
		);
		expect(failure.description).toBe('The image is incomplete, so it was not passed on.');
	});

	test.each(bodies)('%s: a connection that breaks without a Content-Length names the bytes received', async (_kind, make) => {
		const { body, send, breakOff } = make();
		const result = consume(body, limits());
		send(png.subarray(0, 300));
		setTimeout(() => breakOff(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 20);
		const failure = await failureOf(result);
		expect(failure).toMatchObject({ errorClass: 'download', retryable: true });
		expect(failure.message).toBe('Downloading image 1 of 1: the download was cut short after 300 bytes (the connection was closed)');
	});

	test.each(bodies)('%s: a download that runs into the Request Timeout is a timeout naming it', async (_kind, make) => {
		const { body, send, breakOff } = make();
		const result = consume(body, limits({ timeoutMs: 30_000 }));
		send(png.subarray(0, 300));
		setTimeout(() => breakOff(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' })), 20);
		const failure = await failureOf(result);
		expect(failure).toMatchObject({ errorClass: 'timeout', retryable: true });
		expect(failure.message).toBe('Downloading image 1 of 1 timed out after 30 s without an answer');
	});

	test.each(bodies)('%s: a cancelled download stays a cancellation', async (_kind, make) => {
		const { body, send, breakOff } = make();
		const result = consume(body, limits());
		send(png.subarray(0, 300));
		setTimeout(() => breakOff(Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' })), 20);
		expect(await failureOf(result)).toMatchObject({ errorClass: 'cancelled', retryable: false });
	});

	test.each(bodies)('%s: closing a download closes the body at once, while the guard waits for bytes', async (_kind, make) => {
		const { body, send } = make();
		const guarded = guardImageStream(body as unknown as ByteStream, limits());
		send(png.subarray(0, 300));
		await guarded.format;
		// The reader takes the first bytes; the body sends nothing more, and the node gives the download
		// up (its store failed, a sibling failed) while the guard waits for the body's next bytes.
		const reader = guarded.stream[Symbol.asyncIterator]();
		expect((await reader.next()).value).toHaveLength(300);
		await new Promise((resolve) => setTimeout(resolve, 20));
		guarded.close();
		await new Promise((resolve) => body.once('close', resolve));
		expect(body.destroyed).toBe(true);
	});

	test('a body over the size limit fails before it is read to the end, not retried', async () => {
		let produced = 0;
		const big = Readable.from(
			(function* () {
				yield png.subarray(0, 64);
				for (let index = 0; index < 1000; index++) {
					produced += 1024;
					yield Buffer.alloc(1024);
				}
			})(),
		);
		const failure = await failureOf(consume(big, limits({ maxBytes: 10 * 1024 })));
		expect(failure).toMatchObject({ errorClass: 'download', retryable: false });
		expect(failure.message).toBe('Downloading image 1 of 1: the image is larger than the limit of 0.0 MB');
		expect(failure.description).toBe('Raise the node\'s "Max Image Size" option to accept larger images.');
		expect(produced).toBeLessThan(100 * 1024);
	});

	test.each([
		['an HTML page declared as such', Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'), 'text/html; charset=utf-8', 'it sent text/html'],
		['random bytes declared as a PNG', Buffer.alloc(2048, 0x42), 'image/png', 'the body is not an image although it was declared image/png'],
		['random bytes, no type', Buffer.alloc(2048, 0x42), undefined, 'unrecognised content'],
		['an empty body', Buffer.alloc(0), 'image/png', 'the body was empty'],
		['a short text', Buffer.from('Not found'), 'text/plain', 'it sent text/plain'],
		// A media type is case-insensitive and may carry parameters: the message names it plainly.
		['random bytes declared in capitals', Buffer.alloc(2048, 0x42), 'IMAGE/PNG ; charset=binary', 'the body is not an image although it was declared image/png'],
		['an HTML page declared in capitals', Buffer.from('<html></html>'), 'Text/HTML; charset=utf-8', 'it sent text/html'],
		// A declared type is cut at 60 characters.
		['a text with a very long type', Buffer.from('Not found'), `application/${'x'.repeat(100)}`, `it sent application/${'x'.repeat(48)}`],
		[
			'random bytes with a very long image type',
			Buffer.alloc(2048, 0x42),
			`image/${'x'.repeat(100)}`,
			`the body is not an image although it was declared image/${'x'.repeat(54)}`,
		],
	])('%s is not an image, not retried', async (_what, bytes, declaredType, reason) => {
		const failure = await failureOf(consume(Readable.from(bytes.length ? [bytes] : []), limits({ declaredType })));
		expect(failure).toMatchObject({ errorClass: 'download', retryable: false });
		expect(failure.message).toBe(`Downloading image 1 of 1: the server did not send an image (${reason})`);
	});
});
