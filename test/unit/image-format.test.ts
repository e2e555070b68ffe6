import { encodePng } from '../../emulator';
import { PNG_TRAILER, sniffImageFormat } from '../../nodes/Pomelo/helpers/image-format';

test('a PNG is recognised from its bytes, with its dimensions', () => {
	const png = encodePng({ width: 321, height: 123 });
	expect(sniffImageFormat(png.subarray(0, 24))).toEqual({ mimeType: 'image/png', extension: 'png', width: 321, height: 123 });
	expect(png.subarray(png.length - PNG_TRAILER.length).equals(PNG_TRAILER)).toBe(true);
});

test.each([
	['JPEG', Buffer.from('ffd8ffe000104a4649460001010100480048000000000000', 'hex'), { mimeType: 'image/jpeg', extension: 'jpg' }],
	['GIF', Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x40, 0x01, 0xf0, 0x00]), Buffer.alloc(14)]), { mimeType: 'image/gif', extension: 'gif', width: 320, height: 240 }],
	['WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(12)]), { mimeType: 'image/webp', extension: 'webp' }],
])('%s is recognised from its bytes', (_name, head, format) => {
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
