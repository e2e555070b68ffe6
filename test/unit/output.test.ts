/**
 * How a finished generation becomes output items (README, "Output"): one item per image or one per
 * request, each field present only when Pomelo gave it (no `undefined` keys for a workflow to trip
 * on), dimensions read from the bytes first, the file name from the generation id.
 */
import type { IBinaryData } from 'n8n-workflow';

import { generationToItems, imageFileName, type Generation } from '../../nodes/Pomelo/helpers/output';

const bare: Generation = {
	provider: 'flux',
	status: 'complete',
	prompt: 'A kite',
	model: 'flux.1',
	parameters: {},
	images: [{ url: 'https://img.example.com/a.png' }],
};

const binary = (fileName: string): IBinaryData => ({ data: '', mimeType: 'image/png', fileName, bytes: 123 } as IBinaryData);

const perImage = { binaryPropertyName: 'data', returnUrlsOnly: false, oneItemPerRequest: false };
const perRequest = { ...perImage, oneItemPerRequest: true };

describe('fields Pomelo did not give are left out', () => {
	test('an answer without id, seed, dates or sizes: no such keys at all', () => {
		const [item] = generationToItems(bare, [{ image: bare.images[0] }], 0, perImage);
		expect(Object.keys(item.json).sort()).toEqual(
			['imageCount', 'imageIndex', 'model', 'parameters', 'prompt', 'provider', 'status', 'url'].sort(),
		);
		expect(item.binary).toBeUndefined();
	});

	test('every field Pomelo gave is there', () => {
		const generation: Generation = {
			...bare,
			generationId: 'gen_1',
			seed: 42,
			createdAt: '2026-12-03T10:00:00Z',
			images: [{ url: 'https://img.example.com/a.png', imageId: 'img_1', createdAt: '2026-12-03T10:00:05Z', width: 1024, height: 768 }],
		};
		const [item] = generationToItems(generation, [{ image: generation.images[0] }], 3, perImage);
		expect(item.json).toEqual({
			provider: 'flux',
			generationId: 'gen_1',
			status: 'complete',
			prompt: 'A kite',
			model: 'flux.1',
			seed: 42,
			createdAt: '2026-12-03T10:00:00Z',
			imageCount: 1,
			parameters: {},
			imageIndex: 0,
			imageId: 'img_1',
			url: 'https://img.example.com/a.png',
			imageCreatedAt: '2026-12-03T10:00:05Z',
			width: 1024,
			height: 768,
		});
		expect(item.pairedItem).toEqual({ item: 3 });
	});

	test('the size read from the bytes beats the size the API gave', () => {
		const image = { url: 'https://img.example.com/a.png', width: 1024, height: 768 };
		const [item] = generationToItems({ ...bare, images: [image] }, [{ image, format: { mimeType: 'image/png', extension: 'png', width: 100, height: 70 } }], 0, perImage);
		expect(item.json).toMatchObject({ width: 100, height: 70 });
	});
});

describe('One Item per Request', () => {
	test('URLs only: one item listing the images, and no binary key', () => {
		const images = [{ url: 'https://img.example.com/a.png' }, { url: 'https://img.example.com/b.png' }];
		const items = generationToItems({ ...bare, images }, images.map((image) => ({ image })), 1, perRequest);
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0])).toEqual(['json', 'pairedItem']);
		expect(items[0].json.images).toEqual([
			{ imageIndex: 0, url: 'https://img.example.com/a.png' },
			{ imageIndex: 1, url: 'https://img.example.com/b.png' },
		]);
	});

	test('downloaded: each image in its own binary property, named in its entry', () => {
		const images = [{ url: 'https://img.example.com/a.png' }, { url: 'https://img.example.com/b.png' }];
		const delivered = images.map((image, index) => ({ image, binary: binary(`f${index}.png`) }));
		const [item] = generationToItems({ ...bare, images }, delivered, 0, { ...perRequest, binaryPropertyName: 'picture' });
		expect(Object.keys(item.binary ?? {})).toEqual(['picture_0', 'picture_1']);
		expect(item.json.images).toEqual([
			{ imageIndex: 0, url: 'https://img.example.com/a.png', fileName: 'f0.png', mimeType: 'image/png', fileSize: 123, binaryProperty: 'picture_0' },
			{ imageIndex: 1, url: 'https://img.example.com/b.png', fileName: 'f1.png', mimeType: 'image/png', fileSize: 123, binaryProperty: 'picture_1' },
		]);
	});
});

describe('file names', () => {
	test('from the generation id, made safe for a file system', () => {
		expect(imageFileName({ ...bare, generationId: 'gen/1:a b' }, bare.images[0], 2, 'webp')).toBe('pomelo-flux-gen_1_a_b-2.webp');
	});

	test('from the image id when the generation has none', () => {
		expect(imageFileName(bare, { url: 'x', imageId: 'img.7' }, 0, 'png')).toBe('pomelo-flux-img_7-0.png');
	});

	test('"image" when Pomelo gave neither id', () => {
		expect(imageFileName({ ...bare, provider: 'midjourney' }, { url: 'x' }, 1, 'jpg')).toBe('pomelo-midjourney-image-1.jpg');
	});
});
