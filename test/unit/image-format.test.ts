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

test('a JPEG whose frame header is not among the bytes held is a JPEG without dimensions', () => {
	const jpeg = encodeJpeg({ width: 321, height: 123 });
	// SOI (2 bytes) and the JFIF segment (18), then quantisation and Huffman tables before the frame.
	expect(sniffImageFormat(jpeg.subarray(0, 40))).toEqual(JPEG);
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
	['nothing', Buffer.alloc(0)],
])('%s is not an image', (_name, head) => {
	expect(sniffImageFormat(head)).toBeUndefined();
});
