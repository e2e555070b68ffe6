'use strict';
// PNG encoding for the emulator's images: 8-bit RGB, valid CRCs, deterministic for a seed.
// Both image kinds build their zlib stream by hand from cached pieces, because benchmarks push
// hundreds of images through the emulator and its CPU time competes with the code under test.

const zlib = require('zlib');
const { crc32, adler32, adler32Combine, hash32, pseudoRandomBytes } = require('./checksums');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_DIMENSION = 0x7fffffff;

/**
 * @typedef {(out: Buffer, offset: number) => void} DataWriter
 * @typedef {number | string} Seed same seed (and size) → same bytes
 */

/**
 * Writes one chunk (length, type, data via writeData, CRC) at `offset`; returns the next offset.
 * @param {Buffer} out
 * @param {number} offset
 * @param {string} type
 * @param {number} dataLength
 * @param {DataWriter} writeData
 */
function writeChunk(out, offset, type, dataLength, writeData) {
	out.writeUInt32BE(dataLength, offset);
	out.write(type, offset + 4, 'latin1');
	writeData(out, offset + 8);
	const crc = crc32(out.subarray(offset + 4, offset + 8 + dataLength));
	out.writeUInt32BE(crc >>> 0, offset + 8 + dataLength);
	return offset + 12 + dataLength;
}

// --- Pattern images -----------------------------------------------------------------------
// Colourful, seed-dependent pattern: red follows the columns, green the rows, blue diagonal
// stripes. Rows after the first use PNG filter "Up": their difference to the row above is the
// same 3 bytes across the row, so there are only a handful of distinct filtered rows. Each is
// deflated once (level 1, ending on a byte-aligned sync flush) and cached; an image is then the
// concatenation of those segments, which keeps a 1024x1024 image well under a millisecond.

const SYNC_FLUSH = { level: 1, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]); // BFINAL stored block, length 0
const ZLIB_HEADER = Buffer.from([0x78, 0x01]); // deflate, 32K window; a multiple of 31 as zlib requires
/** @type {Map<string, { deflated: Buffer, adler: number, length: number }>} "width:stripe:dGreen" → segment */
const rowSegments = new Map();
const MAX_ROW_SEGMENTS = 1024;

/**
 * @param {number} width
 * @param {number} height
 * @param {Seed} seed
 */
function patternParameters(width, height, seed) {
	const h = hash32(seed);
	const phaseR = (h & 0xff) / 40;
	const phaseG = ((h >>> 8) & 0xff) / 40;
	return {
		red: (/** @type {number} */ x) => Math.round(128 + 127 * Math.sin((x / width) * Math.PI * 2 + phaseR)),
		green: (/** @type {number} */ y) => Math.round(128 + 127 * Math.sin((y / height) * Math.PI * 2 + phaseG)),
		stripe: 1 + ((h >>> 16) & 7), // blue moves one stripe step per pixel, right and down
		blueOffset: (h >>> 24) & 0xff,
	};
}

/**
 * @param {number} width
 * @param {number} stripe
 * @param {number} dGreen
 */
function upRowSegment(width, stripe, dGreen) {
	const key = `${width}:${stripe}:${dGreen}`;
	let segment = rowSegments.get(key);
	if (!segment) {
		const row = Buffer.allocUnsafe(1 + width * 3);
		row[0] = 2; // filter Up
		row.fill(Buffer.from([0, dGreen, stripe]), 1); // red is constant down a column
		segment = { deflated: zlib.deflateRawSync(row, SYNC_FLUSH), adler: adler32(row), length: row.length };
		if (rowSegments.size >= MAX_ROW_SEGMENTS) dropOldest(rowSegments);
		rowSegments.set(key, segment);
	}
	return segment;
}

/**
 * Forgets a cache's oldest entry (a Map keeps insertion order).
 * @param {Map<string, unknown>} cache
 */
function dropOldest(cache) {
	const oldest = cache.keys().next();
	if (!oldest.done) cache.delete(oldest.value);
}

/**
 * zlib stream of the pattern image's scanlines.
 * @param {number} width
 * @param {number} height
 * @param {Seed} seed
 */
function patternZlibStream(width, height, seed) {
	const { red, green, stripe, blueOffset } = patternParameters(width, height, seed);
	const firstRow = Buffer.allocUnsafe(1 + width * 3);
	firstRow[0] = 0; // filter None: literal pixels
	const g0 = green(0);
	for (let x = 0, p = 1; x < width; x++) {
		firstRow[p++] = red(x);
		firstRow[p++] = g0;
		firstRow[p++] = (x * stripe + blueOffset) & 0xff;
	}
	const parts = [ZLIB_HEADER, zlib.deflateRawSync(firstRow, SYNC_FLUSH)];
	let adler = adler32(firstRow);
	let previousGreen = g0;
	for (let y = 1; y < height; y++) {
		const g = green(y);
		const segment = upRowSegment(width, stripe, (g - previousGreen) & 0xff);
		previousGreen = g;
		parts.push(segment.deflated);
		adler = adler32Combine(adler, segment.adler, segment.length);
	}
	const trailer = Buffer.allocUnsafe(4);
	trailer.writeUInt32BE(adler, 0);
	parts.push(FINAL_EMPTY_BLOCK, trailer);
	return Buffer.concat(parts);
}

// --- Noise images -------------------------------------------------------------------------
// Noise is incompressible, so it is stored (deflate "stored" blocks) rather than compressed.
// To keep multi-megabyte images cheap, every image of a size shares one pseudo-random template;
// only the first scanline comes from the image's own seed, which keeps images distinct and
// deterministic while the per-image work is one copy plus a CRC.

const STORED_BLOCK_MAX = 65535;
/** @type {Map<string, { raw: Buffer, restAdler: number }>} "WxH" → template; a few sizes at most */
const noiseTemplates = new Map();
const MAX_NOISE_TEMPLATES = 4;

/**
 * @param {number} width
 * @param {number} height
 */
function noiseTemplate(width, height) {
	const key = `${width}x${height}`;
	let template = noiseTemplates.get(key);
	if (!template) {
		const stride = 1 + width * 3;
		const raw = pseudoRandomBytes(stride * height, `noise-template:${key}`);
		for (let y = 0; y < height; y++) raw[y * stride] = 0; // every row needs a valid filter byte
		template = { raw, restAdler: adler32(raw.subarray(stride)) };
		if (noiseTemplates.size >= MAX_NOISE_TEMPLATES) dropOldest(noiseTemplates);
		noiseTemplates.set(key, template);
	}
	return template;
}

/** @param {number} rawLength */
function storedZlibLength(rawLength) {
	return 2 + Math.max(1, Math.ceil(rawLength / STORED_BLOCK_MAX)) * 5 + rawLength + 4;
}

/**
 * Writes the zlib stream (stored blocks) of firstRow+rest into `out` at `o`, without copying twice.
 * @param {Buffer} out
 * @param {number} o
 * @param {Buffer} firstRow
 * @param {Buffer} rest
 * @param {number} adler
 */
function writeStoredZlibStream(out, o, firstRow, rest, adler) {
	const total = firstRow.length + rest.length;
	const blocks = Math.max(1, Math.ceil(total / STORED_BLOCK_MAX));
	out[o++] = 0x78; // deflate, 32K window
	out[o++] = 0x01; // "fastest" level flag; header is a multiple of 31 as zlib requires
	let consumed = 0;
	for (let block = 0; block < blocks; block++) {
		const length = Math.min(STORED_BLOCK_MAX, total - consumed);
		out[o] = block === blocks - 1 ? 1 : 0; // BFINAL, BTYPE=00 (stored)
		out.writeUInt16LE(length, o + 1);
		out.writeUInt16LE(~length & 0xffff, o + 3);
		o += 5;
		const end = consumed + length;
		if (consumed < firstRow.length) {
			const take = Math.min(end, firstRow.length);
			firstRow.copy(out, o, consumed, take);
			o += take - consumed;
			consumed = take;
		}
		if (consumed < end) {
			rest.copy(out, o, consumed - firstRow.length, end - firstRow.length);
			o += end - consumed;
			consumed = end;
		}
	}
	out.writeUInt32BE(adler, o);
}

/**
 * @typedef {{ length: number, write: DataWriter }} Idat
 */

/**
 * IDAT writer for a noise image.
 * @param {number} width
 * @param {number} height
 * @param {Seed} seed
 * @returns {Idat}
 */
function noiseIdat(width, height, seed) {
	const { raw, restAdler } = noiseTemplate(width, height);
	const stride = 1 + width * 3;
	const firstRow = pseudoRandomBytes(stride, `noise:${seed}`);
	firstRow[0] = 0;
	const rest = raw.subarray(stride);
	const adler = adler32Combine(adler32(firstRow), restAdler, rest.length);
	return {
		length: storedZlibLength(raw.length),
		write: (out, offset) => writeStoredZlibStream(out, offset, firstRow, rest, adler),
	};
}

/**
 * @param {Buffer} data
 * @returns {Idat}
 */
function bufferIdat(data) {
	return { length: data.length, write: (out, offset) => void data.copy(out, offset) };
}

/**
 * @param {string} name
 * @param {number} value
 */
function assertDimension(name, value) {
	if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
		throw new RangeError(`encodePng: ${name} must be a positive integer, got ${value}`);
	}
}

/**
 * Encodes an 8-bit RGB PNG. Same {width, height, seed, noise} → byte-identical output.
 * noise: incompressible pixels stored uncompressed, for big-download tests (1200x1200 ≈ 4.3 MB).
 * @param {{ width: number, height: number, seed?: Seed, noise?: boolean }} options
 */
function encodePng({ width, height, seed = 0, noise = false }) {
	assertDimension('width', width);
	assertDimension('height', height);
	const idat = noise ? noiseIdat(width, height, seed) : bufferIdat(patternZlibStream(width, height, seed));

	// One allocation for the whole file: noise images are megabytes, extra copies show in benchmarks.
	const png = Buffer.allocUnsafe(PNG_SIGNATURE.length + (12 + 13) + (12 + idat.length) + 12);
	let offset = PNG_SIGNATURE.copy(png, 0);
	offset = writeChunk(png, offset, 'IHDR', 13, (out, at) => {
		out.writeUInt32BE(width, at);
		out.writeUInt32BE(height, at + 4);
		out[at + 8] = 8; // bit depth
		out[at + 9] = 2; // colour type RGB
		out[at + 10] = 0; // compression
		out[at + 11] = 0; // filter method
		out[at + 12] = 0; // no interlace
	});
	offset = writeChunk(png, offset, 'IDAT', idat.length, idat.write);
	writeChunk(png, offset, 'IEND', 0, () => {});
	return png;
}

module.exports = { encodePng, PNG_SIGNATURE, MAX_DIMENSION };
