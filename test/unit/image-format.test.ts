import { readFileSync } from 'fs';
import { join } from 'path';

import { encodePng } from '../../emulator';
import { encodeGif } from '../../emulator/gif-encode';
import { encodeJpeg } from '../../emulator/jpeg-encode';
import { encodeWebp } from '../../emulator/webp-encode';
import { PNG_TRAILER, sniffImageFormat } from '../../nodes/Pomelo/helpers/image-format';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/images', name));

test('a PNG is recognised from its bytes, with its dimensions', () => {
	const png = encodePng({ width: 321, height: 123 });
	expect(sniffImageFormat(png.subarray(0, 24))).toEqual({ mimeType: 'image/png', extension: 'png', width: 321, height: 123 });
	expect(png.subarray(png.length - PNG_TRAILER.length).equals(PNG_TRAILER)).toBe(true);
});

// README: MIME type and extension read from the bytes, "and width/height read from the image where
// the format allows". Real files: the emulator's, and small ones made with cwebp and ImageMagick
// (test/fixtures/images, the size in each name).
const JPEG = { mimeType: 'image/jpeg', extension: 'jpg' };
const WEBP = { mimeType: 'image/webp', extension: 'webp' };
test.each([
	['the emulator\'s JPEG (baseline, SOF0)', encodeJpeg({ width: 321, height: 123 }), { ...JPEG, width: 321, height: 123 }],
	['a progressive JPEG (SOF2)', fixture('progressive-37x23.jpg'), { ...JPEG, width: 37, height: 23 }],
	['the emulator\'s WebP (lossless, VP8L)', encodeWebp({ width: 321, height: 123 }).subarray(0, 30), { ...WEBP, width: 321, height: 123 }],
	['a lossy WebP (VP8)', fixture('lossy-37x23.webp').subarray(0, 30), { ...WEBP, width: 37, height: 23 }],
	['an extended WebP with alpha (VP8X)', fixture('alpha-41x19.webp').subarray(0, 30), { ...WEBP, width: 41, height: 19 }],
	['the emulator\'s GIF', encodeGif({ width: 321, height: 123 }).subarray(0, 30), { mimeType: 'image/gif', extension: 'gif', width: 321, height: 123 }],
	['a GIF\'s first 10 bytes', Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x40, 0x01, 0xf0, 0x00])]), { mimeType: 'image/gif', extension: 'gif', width: 320, height: 240 }],
])('%s: format and dimensions from its bytes', (_name, bytes, format) => {
	expect(sniffImageFormat(bytes)).toEqual(format);
});

describe('a JPEG read only as far as the bytes held', () => {
	// The emulator's JPEG: SOI (2 bytes), JFIF (18), quantisation table (69), then the frame header
	// (SOF0, 13 bytes: marker, length, precision, height, width, components) at byte 89.
	const jpeg = encodeJpeg({ width: 321, height: 123 });
	const FRAME = 89;
	const withBytes = (at: number, bytes: number[], removing = 0) =>
		Buffer.concat([jpeg.subarray(0, at), Buffer.from(bytes), jpeg.subarray(at + removing)]);

	test.each([
		['a segment\'s length is cut off', 22],
		['the frame header is not among them', 40],
		['the frame header is cut before its width ends', FRAME + 8],
	])('%s: a JPEG without dimensions', (_name, length) => {
		expect(sniffImageFormat(jpeg.subarray(0, length))).toEqual(JPEG);
	});

	test('the frame header just whole: its dimensions', () => {
		expect(sniffImageFormat(jpeg.subarray(0, FRAME + 9))).toEqual({ ...JPEG, width: 321, height: 123 });
	});

	test('fill bytes (0xFF) before a marker are skipped', () => {
		expect(sniffImageFormat(withBytes(FRAME, [0xff, 0xff]))).toEqual({ ...JPEG, width: 321, height: 123 });
	});

	test('a height of 0 (given later, in a DNL segment) or a width of 0: no dimensions', () => {
		expect(sniffImageFormat(withBytes(FRAME + 5, [0, 0], 2))).toEqual(JPEG);
		expect(sniffImageFormat(withBytes(FRAME + 7, [0, 0], 2))).toEqual(JPEG);
	});

	test('the image data (SOS) or the end (EOI) before any frame header: no dimensions', () => {
		// The frame header's place taken by a scan header whose data would read as a frame header.
		const sos = [0xff, 0xda, 0x00, 0x02, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10];
		expect(sniffImageFormat(withBytes(FRAME, sos, 13))).toEqual(JPEG);
		const eoi = [0xff, 0xd9, 0x00, 0x02, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10];
		expect(sniffImageFormat(withBytes(FRAME, eoi, 13))).toEqual(JPEG);
	});

	test('a segment that does not start with a marker ends the walk: no dimensions', () => {
		expect(sniffImageFormat(withBytes(FRAME, [0x00], 1))).toEqual(JPEG);
	});

	test.each([['DHT', 0xc4], ['JPG', 0xc8], ['DAC', 0xcc]])('a %s segment (not a frame, its marker among the SOFn) is skipped by its length', (_name, marker) => {
		// One of 13 bytes in front of the real frame header, its content shaped like a frame's.
		const table = [0xff, marker, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0, 0, 0, 0];
		expect(sniffImageFormat(withBytes(FRAME, table))).toEqual({ ...JPEG, width: 321, height: 123 });
	});

	test('a segment of a reserved marker (below the SOFn) is skipped by its length', () => {
		const reserved = [0xff, 0xbf, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0, 0, 0, 0];
		expect(sniffImageFormat(withBytes(FRAME, reserved))).toEqual({ ...JPEG, width: 321, height: 123 });
	});

	test.each([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15])('a SOF%d frame header gives the dimensions', (n) => {
		const marker = 0xc0 + n;
		expect(sniffImageFormat(withBytes(FRAME + 1, [marker], 1))).toEqual({ ...JPEG, width: 321, height: 123 });
	});
});

describe('a WebP read only as far as the bytes held', () => {
	test.each([
		['lossy (VP8)', fixture('lossy-37x23.webp'), 29],
		['lossless (VP8L)', encodeWebp({ width: 321, height: 123 }), 24],
		['extended (VP8X)', fixture('alpha-41x19.webp'), 29],
	])('%s, its size cut off: a WebP without dimensions', (_name, file, length) => {
		expect(sniffImageFormat(file.subarray(0, length))).toEqual(WEBP);
	});

	test('RIFF, its size and WEBP alone (12 bytes): a WebP without dimensions; VP8L\'s size needs 25 bytes', () => {
		const lossless = encodeWebp({ width: 321, height: 123 });
		expect(sniffImageFormat(lossless.subarray(0, 12))).toEqual(WEBP);
		expect(sniffImageFormat(lossless.subarray(0, 25))).toEqual({ ...WEBP, width: 321, height: 123 });
	});

	test('the chunk\'s name decides how its size is read', () => {
		// An extended (VP8X) header whose bytes would also pass for a VP8L signature (byte 20) and a
		// VP8 start code (bytes 23-25): still read as VP8X (its width - 1 in bytes 24-26: 01 2A 00).
		const extended = Buffer.from(fixture('alpha-41x19.webp').subarray(0, 30));
		extended[20] = 0x2f;
		extended.set([0x9d, 0x01, 0x2a], 23);
		expect(sniffImageFormat(extended)).toEqual({ ...WEBP, width: 0x2a01 + 1, height: 19 });
	});

	test('a lossy frame without its start code, or a lossless one without its signature: no dimensions', () => {
		const lossy = Buffer.from(fixture('lossy-37x23.webp').subarray(0, 30));
		lossy[24] = 0;
		expect(sniffImageFormat(lossy)).toEqual(WEBP);
		const lossless = Buffer.from(encodeWebp({ width: 321, height: 123 }).subarray(0, 30));
		lossless[20] = 0;
		expect(sniffImageFormat(lossless)).toEqual(WEBP);
	});

	test('a lossy frame\'s scaling bits are not part of its size; a size of 0 is no size', () => {
		const scaled = Buffer.from(fixture('lossy-37x23.webp').subarray(0, 30));
		scaled[27] |= 0xc0;
		scaled[29] |= 0xc0;
		expect(sniffImageFormat(scaled)).toEqual({ ...WEBP, width: 37, height: 23 });
		const empty = Buffer.from(scaled);
		empty.writeUInt16LE(0, 26);
		expect(sniffImageFormat(empty)).toEqual(WEBP);
		const flat = Buffer.from(scaled);
		flat.writeUInt16LE(0, 28);
		expect(sniffImageFormat(flat)).toEqual(WEBP);
	});

	test('the largest lossless size (16384×16384) is read whole', () => {
		const head = Buffer.from(encodeWebp({ width: 1, height: 1 }).subarray(0, 30));
		head.writeUInt32LE((head.readUInt32LE(21) & ~0x0fffffff) | 0x0fffffff, 21);
		expect(sniffImageFormat(head)).toEqual({ ...WEBP, width: 16384, height: 16384 });
	});
});

test.each([
	['JPEG', Buffer.from('ffd8ffe000104a4649460001010100480048000000000000', 'hex'), JPEG],
	['WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(12)]), WEBP],
])('%s is recognised from its first bytes (no frame header among them: no dimensions)', (_name, head, format) => {
	expect(sniffImageFormat(head)).toEqual(format);
});

test.each([
	['an HTML page', Buffer.from('<!doctype html><html><body>502 Bad Gateway</body></html>')],
	['JSON', Buffer.from('{"error":{"message":"not found"}}        ')],
	['a PNG cut before its header ends', encodePng({ width: 8, height: 8 }).subarray(0, 20)],
	['a GIF cut before its size ends', encodeGif({ width: 321, height: 123 }).subarray(0, 9)],
	// One byte off a JPEG's FF D8 FF start.
	['00 D8 FF …', Buffer.from('00d8ffe000104a464946000101', 'hex')],
	['FF 00 FF …', Buffer.from('ff00ffe000104a464946000101', 'hex')],
	['FF D8 00 …', Buffer.from('ffd800e000104a464946000101', 'hex')],
	// RIFF files that are not WebP, and WEBP without RIFF.
	['a WAV file', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(16)])],
	['WEBP without RIFF', Buffer.concat([Buffer.from('RIFX'), Buffer.alloc(4), Buffer.from('WEBPVP8L'), Buffer.alloc(16)])],
	['nothing', Buffer.alloc(0)],
])('%s is not an image', (_name, head) => {
	expect(sniffImageFormat(head)).toBeUndefined();
});
