'use strict';
// GIF89a for the emulator: 16 seed-dependent colours in diagonal bands. The LZW stream uses
// literal codes only, with a clear code every 12 pixels so the code width stays 5 bits: simple,
// any decoder reads it, about 5.4 bits per pixel. Any size up to 65535x65535.

const { LsbBitWriter } = require('./bit-writer');
const { hash32 } = require('./checksums');

const MAX_DIMENSION = 0xffff;
const MIN_CODE_SIZE = 4; // 16 colours
const CLEAR = 1 << MIN_CODE_SIZE;
const END = CLEAR + 1;
const CODE_WIDTH = MIN_CODE_SIZE + 1;
const LITERALS_PER_CLEAR = 12; // the table never reaches 32 entries, so the width never grows

/** @param {number} h */
function palette(h) {
	const colours = Buffer.alloc(16 * 3);
	for (let i = 0; i < 16; i++) {
		const angle = (i / 16) * Math.PI * 2 + (h & 0xff) / 40;
		colours[i * 3] = Math.round(128 + 127 * Math.sin(angle));
		colours[i * 3 + 1] = Math.round(128 + 127 * Math.sin(angle + 2.1));
		colours[i * 3 + 2] = Math.round(128 + 127 * Math.sin(angle + 4.2));
	}
	return colours;
}

/** LZW data split into sub-blocks of at most 255 bytes, then the zero-length terminator. */
/** @param {Buffer} data */
function subBlocks(data) {
	const pieces = [];
	for (let start = 0; start < data.length; start += 255) {
		const piece = data.subarray(start, start + 255);
		pieces.push(Buffer.from([piece.length]), piece);
	}
	pieces.push(Buffer.from([0]));
	return Buffer.concat(pieces);
}

/**
 * Encodes a GIF89a. Same {width, height, seed} → byte-identical output.
 * @param {import('./image-formats').EncodeOptions} options
 */
function encodeGif({ width, height, seed = 0 }) {
	for (const [name, value] of Object.entries({ width, height })) {
		if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
			throw new Error(`GIF ${name} must be a whole number from 1 to ${MAX_DIMENSION}; got ${value}`);
		}
	}
	const h = hash32(seed);
	const band = 8 + ((h >>> 8) & 15);
	const writer = new LsbBitWriter(Math.ceil((width * height * CODE_WIDTH * 13) / 12 / 8) + 16);
	let sinceClear = LITERALS_PER_CLEAR;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			if (sinceClear === LITERALS_PER_CLEAR) {
				writer.write(CLEAR, CODE_WIDTH);
				sinceClear = 0;
			}
			writer.write(Math.floor((x + y) / band) & 15, CODE_WIDTH);
			sinceClear += 1;
		}
	}
	writer.write(END, CODE_WIDTH);

	const screen = Buffer.alloc(13);
	screen.write('GIF89a', 0, 'latin1');
	screen.writeUInt16LE(width, 6);
	screen.writeUInt16LE(height, 8);
	screen[10] = 0xf3; // global colour table of 16 entries, 8 bits per primary
	const descriptor = Buffer.alloc(10);
	descriptor[0] = 0x2c;
	descriptor.writeUInt16LE(width, 5);
	descriptor.writeUInt16LE(height, 7);
	return Buffer.concat([
		screen,
		palette(h),
		descriptor,
		Buffer.from([MIN_CODE_SIZE]),
		subBlocks(writer.finish()),
		Buffer.from([0x3b]),
	]);
}

module.exports = { encodeGif };
