/** Image formats the node recognises from their first bytes, never from a server's header. */
export interface ImageFormat {
	mimeType: string;
	extension: string;
	width?: number;
	height?: number;
}

/**
 * The part of Node's Readable the image checks rely on. Community nodes may not import 'stream',
 * so the checks are built with the response's own `compose` instead of a Transform class.
 */
export interface ByteStream extends AsyncIterable<Buffer> {
	compose(transform: (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>): ByteStream;
	read(size?: number): unknown;
	destroy(error?: Error): void;
	emit(event: 'error', error: Error): boolean;
	on(event: 'error', listener: (error: Error) => void): unknown;
	once(event: 'error', listener: (error: Error) => void): unknown;
}

/** A downloaded image on its way to the binary store. */
export interface ImageStream extends ImageFormat {
	/** The checked image bytes; fails instead of ending if the download breaks. */
	stream: ByteStream;
	/** Bytes read so far: the image's size once the stream has ended. */
	byteCount(): number;
}

/**
 * Bytes the download guard holds back before recognising a format: enough for PNG, GIF and WebP
 * dimensions. JPEG's are read from whatever the guard already holds (its first chunk, usually the
 * whole head of the file); a frame header beyond that gives no dimensions rather than more buffering.
 */
export const SNIFF_BYTES = 30;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A zero-length IEND chunk with its CRC: every complete PNG ends with these 12 bytes. */
export const PNG_TRAILER = Buffer.from([
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

export function sniffImageFormat(head: Buffer): ImageFormat | undefined {
	if (head.length >= 24 && head.subarray(0, 8).equals(PNG_SIGNATURE)) {
		return {
			mimeType: 'image/png',
			extension: 'png',
			width: head.readUInt32BE(16),
			height: head.readUInt32BE(20),
		};
	}
	// (A byte past the end of a Buffer reads as undefined, so the byte tests need no length check.)
	if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
		return { mimeType: 'image/jpeg', extension: 'jpg', ...jpegDimensions(head) };
	}
	if (head.length >= 10 && /^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) {
		return {
			mimeType: 'image/gif',
			extension: 'gif',
			width: head.readUInt16LE(6),
			height: head.readUInt16LE(8),
		};
	}
	if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') {
		return { mimeType: 'image/webp', extension: 'webp', ...webpDimensions(head) };
	}
	return undefined;
}

type Dimensions = { width: number; height: number } | undefined;

/** Start Of Frame markers (SOF0-SOF15, except DHT C4, JPG C8 and DAC CC) carry the frame size. */
const isStartOfFrame = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** A JPEG's size from its frame header, walking the segments in the bytes given (only those). */
function jpegDimensions(head: Buffer): Dimensions {
	let offset = 2;
	while (offset + 4 <= head.length && head[offset] === 0xff) {
		const marker = head[offset + 1];
		if (marker === 0xff) {
			offset += 1; // a fill byte before the marker
		} else if (isStartOfFrame(marker)) {
			if (offset + 9 > head.length) return undefined;
			// A height of 0 is defined later in the file (DNL): not known from the head.
			return positive(head.readUInt16BE(offset + 7), head.readUInt16BE(offset + 5));
		} else if (marker === 0xda || marker === 0xd9) {
			return undefined; // image data (or the end) before any frame header
		} else {
			offset += 2 + head.readUInt16BE(offset + 2);
		}
	}
	return undefined;
}

/** A WebP's size from its first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webpDimensions(head: Buffer): Dimensions {
	const chunk = head.toString('latin1', 12, 16);
	if (chunk === 'VP8 ' && head.length >= 30 && head.readUIntBE(23, 3) === 0x9d012a) {
		return positive(head.readUInt16LE(26) & 0x3fff, head.readUInt16LE(28) & 0x3fff);
	}
	if (chunk === 'VP8L' && head.length >= 25 && head[20] === 0x2f) {
		const bits = head.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X' && head.length >= 30) {
		return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1 };
	}
	return undefined;
}

function positive(width: number, height: number): Dimensions {
	return width > 0 && height > 0 ? { width, height } : undefined;
}
