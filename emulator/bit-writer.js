'use strict';
// Bit writers for the emulator's image encoders: LSB-first (GIF's LZW codes, WebP lossless) and
// MSB-first (JPEG's entropy-coded data).

class LsbBitWriter {
	constructor(expectedBytes = 1024) {
		this.buffer = Buffer.alloc(Math.max(16, expectedBytes));
		this.length = 0;
		this.accumulator = 0;
		this.bits = 0;
	}

	/**
	 * Writes the low `count` bits of `value` (count ≤ 24), least significant first.
	 * @param {number} value
	 * @param {number} count
	 */
	write(value, count) {
		this.accumulator |= (value & ((1 << count) - 1)) << this.bits;
		this.bits += count;
		while (this.bits >= 8) {
			this.pushByte(this.accumulator & 0xff);
			this.accumulator >>>= 8;
			this.bits -= 8;
		}
	}

	/** @param {number} byte */
	pushByte(byte) {
		if (this.length === this.buffer.length) {
			const bigger = Buffer.alloc(this.buffer.length * 2);
			this.buffer.copy(bigger);
			this.buffer = bigger;
		}
		this.buffer[this.length++] = byte;
	}

	/** The bytes written, the last one padded with zero bits. */
	finish() {
		if (this.bits > 0) this.pushByte(this.accumulator & 0xff);
		this.accumulator = 0;
		this.bits = 0;
		return this.buffer.subarray(0, this.length);
	}
}

class MsbBitWriter extends LsbBitWriter {
	/**
	 * Writes the low `count` bits of `value` (count ≤ 16), most significant first.
	 * @param {number} value
	 * @param {number} count
	 */
	write(value, count) {
		for (let bit = count - 1; bit >= 0; bit--) {
			this.accumulator = (this.accumulator << 1) | ((value >>> bit) & 1);
			this.bits += 1;
			if (this.bits === 8) {
				this.pushByte(this.accumulator);
				this.accumulator = 0;
				this.bits = 0;
			}
		}
	}

	/** The bytes written, the last one padded with one bits (as JPEG asks). */
	finish() {
		if (this.bits > 0) this.write(0xff, 8 - this.bits);
		return this.buffer.subarray(0, this.length);
	}
}

module.exports = { LsbBitWriter, MsbBitWriter };
