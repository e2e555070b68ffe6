/**
 * Every format the README promises (PNG, JPEG, WebP, GIF), from the emulator's download to n8n's
 * binary store: the stored item's MIME type, extension, file name and dimensions come from the bytes,
 * and the bytes the next node reads are the whole file at the size the API gave.
 */
import { imageInfo } from '../../emulator';
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { binaryBuffer, pomeloNode, runWorkflow } from '../helpers/engine';

const API_KEY = 'sk-test-formats-0123456789';
const emulator = emulatorPerFile({ apiKey: API_KEY });

// Expected values as the README states them: "the binary property holds the image with its MIME
// type and extension read from the bytes (PNG, JPEG, WebP, GIF)", file names pomelo-<provider>-<id>-<n>.<ext>.
const FORMATS = [
	{ directive: 'png', mimeType: 'image/png', extension: 'png' },
	{ directive: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg' },
	{ directive: 'webp', mimeType: 'image/webp', extension: 'webp' },
	{ directive: 'gif', mimeType: 'image/gif', extension: 'gif' },
];

async function run(parameters: Record<string, unknown>, input: Array<Record<string, unknown>> = [{}]) {
	const result = await runWorkflow({
		nodes: [pomeloNode({ parameters })],
		input,
		credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
	});
	expect(result.error('Pomelo')).toBeUndefined();
	return result.output('Pomelo');
}

describe.each(FORMATS)('$mimeType', ({ directive, mimeType, extension }) => {
	test(`Flux.1 16:9: stored as ${mimeType}, .${extension}, 1024x576 read back from the binary store`, async () => {
		const [item] = await run({
			operation: 'flux',
			prompt: `A harbour at night [format:${directive}]`,
			additionalFields: { aspectRatio: '16:9' },
		});
		const bytes = await binaryBuffer(item);
		expect(imageInfo(bytes)).toMatchObject({ mimeType, width: 1024, height: 576 });
		expect(item.binary!.data).toMatchObject({ mimeType, fileName: `pomelo-flux-${item.json.generationId}-0.${extension}` });
		expect(item.json).toMatchObject({ mimeType, width: 1024, height: 576, fileSize: bytes.length });
		expect(item.binary!.data.bytes).toBe(bytes.length);
		expect(item.json.fileName).toBe(item.binary!.data.fileName);
	});

	test(`Midjourney, two images in one item: both ${mimeType}, .${extension}, at the size asked`, async () => {
		const [item] = await run({
			operation: 'midjourney',
			prompt: `Two kites [format:${directive}]`,
			additionalFields: { numOutputs: 2, width: 100, height: 70 },
			options: { oneItemPerRequest: true },
		});
		for (const index of [0, 1]) {
			const property = `data_${index}`;
			const bytes = await binaryBuffer(item, property);
			expect(imageInfo(bytes)).toMatchObject({ mimeType, width: 100, height: 70 });
			expect(item.binary![property]).toMatchObject({ mimeType, bytes: bytes.length });
			expect((item.json.images as Array<{ fileSize: number }>)[index].fileSize).toBe(bytes.length);
			expect(item.binary![property].fileName).toMatch(new RegExp(`^pomelo-midjourney-img_[0-9a-f]+-${index}\\.${extension}$`));
		}
		// Midjourney's answer gives no size: the width and height in the item are read from the bytes
		// (README: "width/height read from the image where the format allows"; all four allow it).
		expect(item.json.images).toMatchObject([
			{ mimeType, binaryProperty: 'data_0', width: 100, height: 70 },
			{ mimeType, binaryProperty: 'data_1', width: 100, height: 70 },
		]);
	});
});

test('one run with every format: each item labelled by its own bytes', async () => {
	const items = await run(
		{ operation: 'flux', prompt: '={{ $json.prompt }}', additionalFields: { aspectRatio: '4:3' } },
		FORMATS.map(({ directive }) => ({ prompt: `A lighthouse [format:${directive}]` })),
	);
	expect(items).toHaveLength(FORMATS.length);
	for (const [index, { mimeType, extension }] of FORMATS.entries()) {
		const bytes = await binaryBuffer(items[index]);
		expect(imageInfo(bytes)).toMatchObject({ mimeType, width: 1024, height: 768 });
		expect(items[index].binary!.data.mimeType).toBe(mimeType);
		expect(items[index].binary!.data.fileName).toMatch(new RegExp(`\\.${extension}$`));
		expect(items[index].pairedItem).toEqual({ item: index });
	}
});
