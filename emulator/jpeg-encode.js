'use strict';
// Baseline JPEG for the emulator: greyscale, one flat shade per 8x8 block (DC coefficients only),
// a seed-dependent wave of shades across the blocks. Any size up to 65535x65535; any JPEG decoder
// reads it. Small Huffman tables of its own: DC category c has the 4-bit code c, and the AC table
// holds only end-of-block ("00").

const { MsbBitWriter } = require('./bit-writer');
const { hash32 } = require('./checksums');

const MAX_DIMENSION = 0xffff;

/**
 * @param {number} marker
 * @param {Buffer} payload
 */
function segment(marker, payload) {
	const header = Buffer.from([0xff, marker, 0, 0]);
	header.writeUInt16BE(payload.length + 2, 2);
	return Buffer.concat([header, payload]);
}

const JFIF = segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
const QUANTISATION = segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
const DC_TABLE = segment(
	0xc4,
	Buffer.from([0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
);
const AC_TABLE = segment(0xc4, Buffer.from([0x10, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01]));
const START_OF_SCAN = segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));

/**
 * @param {number} width
 * @param {number} height
 */
function frameHeader(width, height) {
	const payload = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
	payload.writeUInt16BE(height, 1);
	payload.writeUInt16BE(width, 3);
	return segment(0xc0, payload);
}

/**
 * Writes a DC difference: its category's code, then the category's bits of the value.
 * @param {import('./bit-writer').MsbBitWriter} writer
 * @param {number} difference
 */
function writeDcDifference(writer, difference) {
	const magnitude = Math.abs(difference);
	const category = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
	writer.write(category, 4);
	if (category > 0) writer.write(difference > 0 ? difference : difference + (1 << category) - 1, category);
}

/**
 * 0xFF in entropy-coded data is followed by 0x00.
 * @param {Buffer} data
 */
function stuffBytes(data) {
	const stuffed = [];
	let start = 0;
	for (let i = 0; i < data.length; i++) {
		if (data[i] === 0xff) {
			stuffed.push(data.subarray(start, i + 1), Buffer.from([0x00]));
			start = i + 1;
		}
	}
	stuffed.push(data.subarray(start));
	return Buffer.concat(stuffed);
}

/**
 * Encodes a greyscale baseline JPEG. Same {width, height, seed} → byte-identical output.
 * @param {import('./image-formats').EncodeOptions} options
 */
function encodeJpeg({ width, height, seed = 0 }) {
	for (const [name, value] of Object.entries({ width, height })) {
		if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
			throw new Error(`JPEG ${name} must be a whole number from 1 to ${MAX_DIMENSION}; got ${value}`);
		}
	}
	const h = hash32(seed);
	const phaseX = (h & 0xff) / 40;
	const phaseY = ((h >>> 8) & 0xff) / 40;
	const blocksWide = Math.ceil(width / 8);
	const blocksHigh = Math.ceil(height / 8);
	const writer = new MsbBitWriter(Math.ceil((blocksWide * blocksHigh * 14) / 8));
	let previous = 0;
	for (let by = 0; by < blocksHigh; by++) {
		for (let bx = 0; bx < blocksWide; bx++) {
			// DC = 8 × (block mean − 128) with a quantiser of 1.
			const dc = Math.round(700 * Math.sin(bx / 6 + phaseX) * Math.cos(by / 9 + phaseY));
			writeDcDifference(writer, dc - previous);
			previous = dc;
			writer.write(0b00, 2); // end of block: no AC coefficients
		}
	}
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		JFIF,
		QUANTISATION,
		frameHeader(width, height),
		DC_TABLE,
		AC_TABLE,
		START_OF_SCAN,
		stuffBytes(writer.finish()),
		Buffer.from([0xff, 0xd9]),
	]);
}

module.exports = { encodeJpeg };
