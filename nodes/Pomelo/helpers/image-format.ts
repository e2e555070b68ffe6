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

/** Bytes needed to recognise a format and read PNG/GIF dimensions. */
export const SNIFF_BYTES = 24;

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
	if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
		return { mimeType: 'image/jpeg', extension: 'jpg' };
	}
	if (head.length >= 10 && /^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) {
		return {
			mimeType: 'image/gif',
			extension: 'gif',
			width: head.readUInt16LE(6),
			height: head.readUInt16LE(8),
		};
	}
	if (
		head.length >= 12 &&
		head.toString('latin1', 0, 4) === 'RIFF' &&
		head.toString('latin1', 8, 12) === 'WEBP'
	) {
		return { mimeType: 'image/webp', extension: 'webp' };
	}
	return undefined;
}
