import { createHash } from 'crypto';
import type { INodeExecutionData } from 'n8n-workflow';

import { decodePngInfo } from '../../emulator';
import { emulatorPerFile } from '../helpers/emulator-per-file';
import {
	binaryBuffer,
	pomeloNode,
	runWorkflow,
	sinkNode,
	type RunResult,
} from '../helpers/engine';

const API_KEY = 'sk-test-generate-0123456789';
const emulator = emulatorPerFile({ apiKey: API_KEY });

const sha256 = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

async function run(parameters: Record<string, unknown>, input: Array<Record<string, unknown>> = [{}]) {
	return await runWorkflow({
		nodes: [pomeloNode({ parameters })],
		input,
		credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
	});
}

function succeeded(result: RunResult): INodeExecutionData[] {
	expect(result.error('Pomelo')).toBeUndefined();
	return result.output('Pomelo');
}

const apiRequests = () => emulator.requests.filter((entry) => entry.origin === 'api');
const imageRequests = () => emulator.requests.filter((entry) => entry.origin === 'image');

describe('Midjourney through the engine', () => {
	test('a prompt alone gives one 512x512 PNG item; the server saw the bearer key and only the prompt', async () => {
		const items = succeeded(await run({ operation: 'midjourney', prompt: 'A lighthouse at dawn' }));
		expect(items).toHaveLength(1);
		const png = await binaryBuffer(items[0]);
		expect(decodePngInfo(png)).toMatchObject({ width: 512, height: 512 });
		expect(items[0].binary!.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
		expect(items[0].binary!.data.fileName).toMatch(/^pomelo-midjourney-img_[0-9a-f]+-0\.png$/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toMatchObject({
			provider: 'midjourney',
			status: 'success',
			prompt: 'A lighthouse at dawn',
			model: '5',
			imageIndex: 0,
			imageCount: 1,
			width: 512,
			height: 512,
			mimeType: 'image/png',
			fileSize: png.length,
		});
		expect(items[0].json.imageId).toMatch(/^img_/);
		expect(Date.parse(items[0].json.createdAt as string)).not.toBeNaN();

		const [api] = apiRequests();
		expect(api.path).toBe('/api/v1/midjourney/generate');
		expect(api.headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(api.headers['content-type']).toMatch(/^application\/json/);
		expect(api.body).toEqual({ prompt: 'A lighthouse at dawn' });
		expect(imageRequests()).toHaveLength(1);
		expect(imageRequests()[0].headers.authorization).toBeUndefined();
	});

	test('four outputs become four items, each a whole PNG of the requested size', async () => {
		const items = succeeded(
			await run({
				operation: 'midjourney',
				prompt: 'Four cats',
				additionalFields: { numOutputs: 4, width: 96, height: 64, style: 'cute', model: '6' },
			}),
		);
		expect(items).toHaveLength(4);
		expect(apiRequests()[0].body).toEqual({
			prompt: 'Four cats',
			num_outputs: 4,
			width: 96,
			height: 64,
			style: 'cute',
			model: '6',
		});
		const ids = new Set<string>();
		for (const [index, item] of items.entries()) {
			expect(decodePngInfo(await binaryBuffer(item))).toMatchObject({ width: 96, height: 64 });
			expect(item.json).toMatchObject({ imageIndex: index, imageCount: 4, model: '6', width: 96, height: 64 });
			expect(item.pairedItem).toEqual({ item: 0 });
			ids.add(item.json.imageId as string);
		}
		expect(ids.size).toBe(4);
	});
});

describe('Flux.1 through the engine', () => {
	test('aspect ratio, seed and the generation id reach the output; the PNG has the size the API gave', async () => {
		const items = succeeded(
			await run({
				operation: 'flux',
				prompt: 'A futuristic cityscape',
				additionalFields: { aspectRatio: '16:9', seed: 42105, steps: 40, negativePrompt: 'blurry', style: 'digital-art' },
			}),
		);
		expect(items).toHaveLength(1);
		expect(decodePngInfo(await binaryBuffer(items[0]))).toMatchObject({ width: 1024, height: 576 });
		expect(items[0].json).toMatchObject({
			provider: 'flux',
			status: 'complete',
			model: 'flux.1',
			seed: 42105,
			width: 1024,
			height: 576,
			parameters: { aspect_ratio: '16:9', seed: 42105, steps: 40, negative_prompt: 'blurry', style: 'digital-art' },
		});
		expect(items[0].json.generationId).toMatch(/^gen_/);
		expect(items[0].binary!.data.fileName).toBe(`pomelo-flux-${items[0].json.generationId}-0.png`);
	});

	test('without a seed, the seed the API chose is in the output, and using it again gives the same image', async () => {
		const first = succeeded(await run({ operation: 'flux', prompt: 'Same seed twice' }));
		const seed = first[0].json.seed;
		expect(typeof seed).toBe('number');
		const again = succeeded(
			await run({ operation: 'flux', prompt: 'Same seed twice', additionalFields: { seed } }),
		);
		expect(sha256(await binaryBuffer(again[0]))).toBe(sha256(await binaryBuffer(first[0])));
		expect(decodePngInfo(await binaryBuffer(first[0]))).toMatchObject({ width: 1024, height: 1024 });
	});
});

describe('items, expressions and options', () => {
	test('expressions fill every field per item; order and pairedItem follow the input', async () => {
		const input = [
			{ subject: 'a fox', count: 2, size: 80 },
			{ subject: 'an owl', count: 1, size: 64 },
			{ subject: 'a bear', count: 3, size: 72 },
		];
		const items = succeeded(
			await run(
				{
					operation: 'midjourney',
					prompt: '={{ "Portrait of " + $json.subject }}',
					additionalFields: {
						numOutputs: '={{ $json.count }}',
						width: '={{ $json.size }}',
						height: '={{ $json.size }}',
						style: '={{ "custom-" + $itemIndex }}',
					},
					options: { concurrency: 3 },
				},
				input,
			),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 2 },
			{ item: 2 },
		]);
		expect(items.map((item) => item.json.prompt)).toEqual([
			'Portrait of a fox',
			'Portrait of a fox',
			'Portrait of an owl',
			'Portrait of a bear',
			'Portrait of a bear',
			'Portrait of a bear',
		]);
		for (const item of items) {
			const source = input[(item.pairedItem as { item: number }).item];
			expect(decodePngInfo(await binaryBuffer(item))).toMatchObject({ width: source.size, height: source.size });
		}
		const styles = apiRequests().map((entry) => (entry.body as { style: string }).style).sort();
		expect(styles).toEqual(['custom-0', 'custom-1', 'custom-2']);
	});

	test('"Return URLs Only" downloads nothing and returns the URLs', async () => {
		const items = succeeded(
			await run({
				operation: 'midjourney',
				prompt: 'Just links',
				additionalFields: { numOutputs: 2 },
				options: { returnUrlsOnly: true },
			}),
		);
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.binary).toBeUndefined();
			expect(item.json.url).toMatch(new RegExp(`^${emulator.imageBaseUrl}/images/img_`));
		}
		expect(imageRequests()).toHaveLength(0);
	});

	test('"One Item per Request" puts every image of a request into one item', async () => {
		const items = succeeded(
			await run({
				operation: 'midjourney',
				prompt: 'Together',
				additionalFields: { numOutputs: 3, width: 64, height: 64 },
				options: { oneItemPerRequest: true, binaryPropertyName: 'image' },
			}),
		);
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].binary!).sort()).toEqual(['image_0', 'image_1', 'image_2']);
		const images = items[0].json.images as Array<Record<string, unknown>>;
		expect(images.map((image) => image.binaryProperty)).toEqual(['image_0', 'image_1', 'image_2']);
		for (const property of Object.keys(items[0].binary!)) {
			expect(decodePngInfo(await binaryBuffer(items[0], property))).toMatchObject({ width: 64, height: 64 });
		}
	});

	test('"Put Output in Field" names the binary property', async () => {
		const items = succeeded(
			await run({ operation: 'flux', prompt: 'Named', options: { binaryPropertyName: 'picture' } }),
		);
		expect(Object.keys(items[0].binary!)).toEqual(['picture']);
	});

	test('the next node receives exactly the bytes the image host served', async () => {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'flux', prompt: 'Handed on', additionalFields: { aspectRatio: '4:3' } } }), sinkNode()],
			connections: { Pomelo: { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
			input: [{}],
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		const [received] = result.output('Sink');
		const url = (received.json.upstream as { url: string }).url;
		const served = Buffer.from(await (await fetch(url)).arrayBuffer());
		const data = (received.json.received as Record<string, { sha256: string; bytes: number; base64: string }>).data;
		expect(data.sha256).toBe(sha256(served));
		expect(decodePngInfo(Buffer.from(data.base64, 'base64'))).toMatchObject({ width: 1024, height: 768 });
	});

	test('a Base URL with a trailing slash works', async () => {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'flux', prompt: 'Slash' } })],
			input: [{}],
			credentials: { apiKey: API_KEY, baseUrl: `${emulator.baseUrl}/` },
		});
		expect(succeeded(result)).toHaveLength(1);
		expect(apiRequests()[0].path).toBe('/api/v1/flux.1');
	});

	test('"Concurrency" bounds the generations in flight', async () => {
		emulator.setLatency(150);
		try {
			const items = succeeded(
				await run(
					{ operation: 'midjourney', prompt: '={{ "Item " + $itemIndex }}', additionalFields: { width: 64, height: 64 }, options: { concurrency: 3 } },
					Array.from({ length: 9 }, () => ({})),
				),
			);
			expect(items.map((item) => item.json.prompt)).toEqual(Array.from({ length: 9 }, (_, index) => `Item ${index}`));
			// Never more than 3; more than one at a time (exactly how many is up to the scheduler).
			expect(emulator.stats().api.maxInFlight).toBeLessThanOrEqual(3);
			expect(emulator.stats().api.maxInFlight).toBeGreaterThan(1);
		} finally {
			emulator.setLatency(0);
		}
	});
});
