'use strict';
// The image formats the emulator serves (PNG by default; JPEG, WebP or GIF on request with a prompt
// directive such as "[format:jpeg]"), and imageInfo(): format and size read back from a file's bytes,
// so tests can check what reached n8n's binary store without trusting the node's own reading.

const { encodePng, decodePngInfo } = require('./png');
const { encodeJpeg } = require('./jpeg-encode');
const { encodeWebp } = require('./webp-encode');
const { encodeGif } = require('./gif-encode');

/**
 * @typedef {'png' | 'jpeg' | 'webp' | 'gif'} ImageFormatName
 * @typedef {{ width: number, height: number, seed?: number | string }} EncodeOptions Same seed (and size) → same bytes; default 0.
 * @typedef {{ mimeType: string, extension: string, encode: (options: EncodeOptions) => Buffer }} ImageFormat
 * @typedef {{ format: ImageFormatName, mimeType: string, width: number, height: number }} ImageInfo
 */

/** @type {Record<ImageFormatName, ImageFormat>} */
const IMAGE_FORMATS = {
	png: { mimeType: 'image/png', extension: 'png', encode: encodePng },
	jpeg: { mimeType: 'image/jpeg', extension: 'jpg', encode: encodeJpeg },
	webp: { mimeType: 'image/webp', extension: 'webp', encode: encodeWebp },
	gif: { mimeType: 'image/gif', extension: 'gif', encode: encodeGif },
};
/** The formats the emulator serves; a prompt picks one with "[format:jpeg]" (png is the default). */
const FORMAT_NAMES = Object.freeze(/** @type {ImageFormatName[]} */ (Object.keys(IMAGE_FORMATS)));
const FORMAT_DIRECTIVE = /\[format:(png|jpe?g|webp|gif)\]/i;

/**
 * The format a prompt asks for with "[format:NAME]" (the first one wins), or 'png'.
 * @param {string} prompt
 * @returns {ImageFormatName}
 */
function formatFromPrompt(prompt) {
	const match = FORMAT_DIRECTIVE.exec(String(prompt));
	if (!match) return 'png';
	const name = match[1].toLowerCase();
	return name === 'jpg' ? 'jpeg' : /** @type {ImageFormatName} */ (name);
}

/** @param {Buffer} bytes */
function jpegSize(bytes) {
	let offset = 2;
	while (offset + 9 < bytes.length && bytes[offset] === 0xff) {
		const marker = bytes[offset + 1];
		const length = bytes.readUInt16BE(offset + 2);
		// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
		if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
			return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
		}
		offset += 2 + length;
	}
	throw new Error('Invalid JPEG: no frame header');
}

/** @param {Buffer} bytes */
function webpSize(bytes) {
	const chunk = bytes.toString('latin1', 12, 16);
	if (chunk === 'VP8L' && bytes[20] === 0x2f) {
		const bits = bytes.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
	if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
	throw new Error(`Invalid WebP: unknown chunk "${chunk}"`);
}

/**
 * Format and size read from a file's bytes: a PNG (fully validated), JPEG, WebP or GIF; throws for anything else.
 * @param {Buffer} bytes
 * @returns {ImageInfo}
 */
function imageInfo(bytes) {
	/** @type {ImageFormatName} */
	let format;
	let size;
	if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) {
		format = 'png';
		size = decodePngInfo(bytes);
	} else if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) throw new Error('Invalid JPEG: no end marker');
		format = 'jpeg';
		size = jpegSize(bytes);
	} else if (bytes.length >= 30 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
		if (bytes.readUInt32LE(4) + 8 !== bytes.length) throw new Error('Invalid WebP: RIFF size does not match the file');
		format = 'webp';
		size = webpSize(bytes);
	} else if (bytes.length >= 13 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) {
		if (bytes[bytes.length - 1] !== 0x3b) throw new Error('Invalid GIF: no trailer');
		format = 'gif';
		size = { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
	} else {
		throw new Error('Not a PNG, JPEG, WebP or GIF');
	}
	return { format, mimeType: IMAGE_FORMATS[format].mimeType, width: size.width, height: size.height };
}

module.exports = { IMAGE_FORMATS, FORMAT_NAMES, formatFromPrompt, imageInfo };
