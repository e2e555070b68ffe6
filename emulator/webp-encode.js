'use strict';
// Lossless WebP (VP8L) for the emulator: two colours in seed-dependent squares. Every channel but
// green has a one-symbol prefix code (zero bits per pixel) and green a two-symbol one (one bit per
// pixel), so an image is about width × height / 8 bytes. Any size up to 16384x16384.

const { LsbBitWriter } = require('./bit-writer');
const { hash32 } = require('./checksums');

const MAX_DIMENSION = 16384;

/** A "simple" prefix code of one or two 8-bit symbols (two symbols: ascending, codes 0 and 1). */
/**
 * @param {import('./bit-writer').LsbBitWriter} writer
 * @param {number[]} symbols
 */
function writeSimpleCode(writer, symbols) {
	writer.write(1, 1); // simple code
	writer.write(symbols.length - 1, 1);
	writer.write(1, 1); // first symbol has 8 bits
	for (const symbol of symbols) writer.write(symbol, 8);
}

/**
 * Encodes a lossless WebP. Same {width, height, seed} → byte-identical output.
 * @param {import('./image-formats').EncodeOptions} options
 */
function encodeWebp({ width, height, seed = 0 }) {
	for (const [name, value] of Object.entries({ width, height })) {
		if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
			throw new Error(`WebP ${name} must be a whole number from 1 to ${MAX_DIMENSION}; got ${value}`);
		}
	}
	const h = hash32(seed);
	const square = 16 + (h & 31);
	const shift = (h >>> 5) & 0xff;
	const greens = [(h >>> 13) & 0x7f, 0x80 | ((h >>> 20) & 0x7f)]; // ascending
	const writer = new LsbBitWriter(Math.ceil((width * height) / 8) + 32);
	writer.write(0x2f, 8); // VP8L signature
	writer.write(width - 1, 14);
	writer.write(height - 1, 14);
	writer.write(0, 1); // alpha not used
	writer.write(0, 3); // version 0
	writer.write(0, 1); // no transform
	writer.write(0, 1); // no colour cache
	writer.write(0, 1); // one set of prefix codes for the whole image
	writeSimpleCode(writer, greens);
	writeSimpleCode(writer, [(h >>> 3) & 0xff]); // red
	writeSimpleCode(writer, [(h >>> 11) & 0xff]); // blue
	writeSimpleCode(writer, [0xff]); // alpha
	writeSimpleCode(writer, [0]); // distance (never used)
	for (let y = 0; y < height; y++) {
		const row = Math.floor((y + shift) / square);
		for (let x = 0; x < width; x++) writer.write((Math.floor((x + shift) / square) + row) & 1, 1);
	}
	const data = writer.finish();
	const padding = data.length & 1;
	const file = Buffer.alloc(20 + data.length + padding);
	file.write('RIFF', 0, 'latin1');
	file.writeUInt32LE(12 + data.length + padding, 4);
	file.write('WEBPVP8L', 8, 'latin1');
	file.writeUInt32LE(data.length, 16);
	data.copy(file, 20);
	return file;
}

module.exports = { encodeWebp };
