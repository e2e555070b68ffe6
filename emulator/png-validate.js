'use strict';
// Strict PNG validation: proves a downloaded image is whole (every CRC, chunk order, image data
// inflating to exactly the size the header promises, valid filter bytes), not just that it starts
// like a PNG.

const zlib = require('zlib');
const { crc32 } = require('./checksums');
const { PNG_SIGNATURE, MAX_DIMENSION } = require('./png-encode');

/**
 * @typedef {{ width: number, height: number, bitDepth: number, colorType: number }} PngInfo
 */

/**
 * @param {Buffer} typeBuf
 * @param {Buffer} data
 */
function chunkCrc(typeBuf, data) {
	return crc32(data, crc32(typeBuf)) >>> 0;
}

/**
 * Signature check only: cheap, says nothing about whether the file is whole.
 * @param {unknown} buffer
 */
function isPng(buffer) {
	if (!(buffer instanceof Uint8Array) || buffer.length < 8) return false;
	return PNG_SIGNATURE.equals(buffer.subarray(0, 8));
}

// Allowed bit depths per colour type (PNG spec, table 11.1), and samples per pixel.
/** @type {Record<number, { channels: number, depths: number[] }>} */
const COLOUR_TYPES = {
	0: { channels: 1, depths: [1, 2, 4, 8, 16] },
	2: { channels: 3, depths: [8, 16] },
	3: { channels: 1, depths: [1, 2, 4, 8] },
	4: { channels: 2, depths: [8, 16] },
	6: { channels: 4, depths: [8, 16] },
};

// Adam7 passes: [xStart, yStart, xStep, yStep].
const ADAM7 = [
	[0, 0, 8, 8],
	[4, 0, 8, 8],
	[0, 4, 4, 8],
	[2, 0, 4, 4],
	[0, 2, 2, 4],
	[1, 0, 2, 2],
	[0, 1, 1, 2],
];

/**
 * Byte ranges of the scanline sequence: [{rows, rowBytes}] per (interlace) pass.
 * @param {number} width
 * @param {number} height
 * @param {number} bitsPerPixel
 * @param {boolean} interlaced
 */
function scanlinePasses(width, height, bitsPerPixel, interlaced) {
	const rowBytes = (/** @type {number} */ w) => Math.ceil((w * bitsPerPixel) / 8);
	if (!interlaced) return [{ rows: height, rowBytes: rowBytes(width) }];
	const passes = [];
	for (const [x0, y0, dx, dy] of ADAM7) {
		const w = Math.ceil((width - x0) / dx);
		const h = Math.ceil((height - y0) / dy);
		if (w > 0 && h > 0) passes.push({ rows: h, rowBytes: rowBytes(w) });
	}
	return passes;
}

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
	throw new Error(`Invalid PNG: ${message}`);
}

/**
 * Fully validates a PNG (signature, chunk order and CRCs, complete image data, filter bytes)
 * and returns its header facts. Throws an Error starting with "Invalid PNG:" otherwise.
 * @param {Uint8Array} input
 * @returns {PngInfo}
 */
function decodePngInfo(input) {
	if (!(input instanceof Uint8Array)) fail('input is not a Buffer');
	const buffer = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
	if (buffer.length < 8 || !PNG_SIGNATURE.equals(buffer.subarray(0, 8))) fail('bad signature');

	let offset = 8;
	/** @type {ReturnType<typeof parseHeader> | undefined} */
	let header;
	let sawPalette = false;
	let sawEnd = false;
	let idatState = 'none'; // none → open → closed: IDAT chunks must be consecutive
	/** @type {Buffer[]} */
	const idatParts = [];

	while (offset < buffer.length) {
		if (sawEnd) fail(`${buffer.length - offset} bytes after IEND`);
		if (buffer.length - offset < 12) fail(`truncated chunk header at byte ${offset}`);
		const length = buffer.readUInt32BE(offset);
		const typeBuf = buffer.subarray(offset + 4, offset + 8);
		const type = typeBuf.toString('latin1');
		if (!/^[A-Za-z]{4}$/.test(type)) fail(`bad chunk type at byte ${offset}`);
		if (length > MAX_DIMENSION) fail(`chunk ${type} length ${length} too large`);
		const dataStart = offset + 8;
		const dataEnd = dataStart + length;
		if (dataEnd + 4 > buffer.length) {
			fail(`chunk ${type} truncated: needs ${dataEnd + 4 - offset} bytes, ${buffer.length - offset} present`);
		}
		const data = buffer.subarray(dataStart, dataEnd);
		const storedCrc = buffer.readUInt32BE(dataEnd);
		if (chunkCrc(typeBuf, data) !== storedCrc) fail(`CRC mismatch in chunk ${type} at byte ${offset}`);

		if (!header && type !== 'IHDR') fail(`first chunk is ${type}, expected IHDR`);
		if (type !== 'IDAT' && idatState === 'open') idatState = 'closed';
		switch (type) {
			case 'IHDR':
				if (header) fail('second IHDR');
				header = parseHeader(data);
				break;
			case 'PLTE':
				if (idatState !== 'none') fail('PLTE after IDAT');
				sawPalette = true;
				break;
			case 'IDAT':
				if (idatState === 'closed') fail('IDAT chunks are not consecutive');
				idatState = 'open';
				idatParts.push(data);
				break;
			case 'IEND':
				if (length !== 0) fail('IEND has data');
				sawEnd = true;
				break;
			default:
				// Bit 5 of the first byte clear = critical chunk a decoder must understand.
				if ((typeBuf[0] & 0x20) === 0) fail(`unknown critical chunk ${type}`);
		}
		offset = dataEnd + 4;
	}

	if (!header) fail('no IHDR');
	if (!sawEnd) fail('missing IEND (file truncated?)');
	if (idatParts.length === 0) fail('no IDAT');
	if (header.colorType === 3 && !sawPalette) fail('palette image without PLTE');

	const bitsPerPixel = COLOUR_TYPES[header.colorType].channels * header.bitDepth;
	const passes = scanlinePasses(header.width, header.height, bitsPerPixel, header.interlace === 1);
	const expected = passes.reduce((sum, p) => sum + p.rows * (1 + p.rowBytes), 0);
	const pixels = inflateExactly(Buffer.concat(idatParts), expected);

	let p = 0;
	for (const pass of passes) {
		for (let row = 0; row < pass.rows; row++) {
			if (pixels[p] > 4) fail(`bad filter type ${pixels[p]} at scanline byte ${p}`);
			p += 1 + pass.rowBytes;
		}
	}

	return { width: header.width, height: header.height, bitDepth: header.bitDepth, colorType: header.colorType };
}

/** @param {Buffer} data */
function parseHeader(data) {
	if (data.length !== 13) fail(`IHDR length ${data.length}, expected 13`);
	const header = {
		width: data.readUInt32BE(0),
		height: data.readUInt32BE(4),
		bitDepth: data[8],
		colorType: data[9],
		interlace: data[12],
	};
	if (header.width < 1 || header.width > MAX_DIMENSION) fail(`bad width ${header.width}`);
	if (header.height < 1 || header.height > MAX_DIMENSION) fail(`bad height ${header.height}`);
	const colour = COLOUR_TYPES[header.colorType];
	if (!colour) fail(`bad colour type ${header.colorType}`);
	if (!colour.depths.includes(header.bitDepth)) {
		fail(`bit depth ${header.bitDepth} not allowed for colour type ${header.colorType}`);
	}
	if (data[10] !== 0) fail(`bad compression method ${data[10]}`);
	if (data[11] !== 0) fail(`bad filter method ${data[11]}`);
	if (header.interlace > 1) fail(`bad interlace method ${header.interlace}`);
	return header;
}

/**
 * @param {Buffer} compressed
 * @param {number} expected
 */
function inflateExactly(compressed, expected) {
	let pixels;
	try {
		// The cap stops a hostile stream from inflating without bound; one extra byte detects "too long".
		pixels = zlib.inflateSync(compressed, { maxOutputLength: expected + 1 });
	} catch (thrown) {
		// zlib's errors come from Node's own realm: not `instanceof Error` under jest.
		const error = /** @type {{ code?: string, message?: string } | null} */ (thrown);
		if (error?.code === 'ERR_BUFFER_TOO_LARGE') fail(`image data longer than the ${expected} bytes expected`);
		fail(`image data does not inflate (${error?.message})`);
	}
	if (pixels.length !== expected) fail(`image data inflates to ${pixels.length} bytes, expected ${expected}`);
	return pixels;
}

module.exports = { decodePngInfo, isPng };
