'use strict';
// Checksums (CRC-32 for PNG chunks, Adler-32 for zlib streams) and the seed hash / PRNG behind
// the emulator's deterministic images.

const zlib = require('zlib');

const ADLER_BASE = 65521;

// zlib.crc32 exists from Node 22.2; the table fallback keeps older runtimes working.
const crc32 = typeof zlib.crc32 === 'function' ? zlib.crc32 : tableCrc32;

/** @type {Uint32Array | undefined} */
let crcTable;
/** @param {Uint8Array} data */
function tableCrc32(data, initial = 0) {
	if (!crcTable) {
		crcTable = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c >>> 0;
		}
	}
	const table = crcTable;
	let crc = (initial ^ 0xffffffff) >>> 0;
	for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/**
 * 32-bit FNV-1a, used to turn a seed of any size into pattern parameters.
 * @param {unknown} value
 */
function hash32(value) {
	const text = String(value);
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * A Buffer of `length` deterministic pseudo-random bytes (xorshift32, written a word at a time).
 * @param {number} length
 * @param {unknown} seed
 */
function pseudoRandomBytes(length, seed) {
	const words = new Uint32Array(Math.ceil(length / 4)); // own, aligned memory for the word view
	let state = hash32(seed) || 0x9e3779b9;
	for (let i = 0; i < words.length; i++) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		words[i] = state;
	}
	return Buffer.from(words.buffer, 0, length);
}

/**
 * Adler-32 (the zlib stream trailer), in blocks so the sums never overflow.
 * @param {Uint8Array} data
 */
function adler32(data) {
	let a = 1;
	let b = 0;
	const NMAX = 5552; // largest run before b can overflow 2^32 (zlib's constant)
	for (let i = 0; i < data.length; ) {
		const end = Math.min(i + NMAX, data.length);
		for (; i < end; i++) {
			a += data[i];
			b += a;
		}
		a %= ADLER_BASE;
		b %= ADLER_BASE;
	}
	return (b * 65536 + a) >>> 0;
}

/**
 * Adler-32 of A+B from adler(A), adler(B) and B's length (zlib's adler32_combine).
 * @param {number} adlerA
 * @param {number} adlerB
 * @param {number} lengthB
 */
function adler32Combine(adlerA, adlerB, lengthB) {
	const rem = lengthB % ADLER_BASE;
	let sum1 = adlerA & 0xffff;
	let sum2 = (rem * sum1) % ADLER_BASE;
	sum1 += (adlerB & 0xffff) + ADLER_BASE - 1;
	sum2 += (adlerA >>> 16) + (adlerB >>> 16) + ADLER_BASE - rem;
	if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
	if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
	if (sum2 >= ADLER_BASE * 2) sum2 -= ADLER_BASE * 2;
	if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
	return (sum2 * 65536 + sum1) >>> 0;
}

module.exports = { crc32, adler32, adler32Combine, hash32, pseudoRandomBytes };
