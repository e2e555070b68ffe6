// The node as an AI Agent's tool (type n8n-nodes-pomelo.pomeloTool, as n8n derives it from
// `usableAsTool`) and the one-line run summary in the output panel (n8n's execution hints), both
// through n8n-core's engine against the emulator. What the tool returns and how the summary reads
// are documented in the README ("As an AI Agent's tool", "Run summary").
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { POMELO_TOOL_TYPE, pomeloNode, runWorkflow, sinkNode } from '../helpers/engine';

const API_KEY = 'sk-live-tool-5d1e8a0c';
const emulator = emulatorPerFile({ apiKey: API_KEY });

const imageDownloads = () => emulator.requests.filter((entry) => entry.origin === 'image');
const generations = () => emulator.requests.filter((entry) => entry.origin === 'api');

async function runTool(parameters: Record<string, unknown>, input: Array<Record<string, unknown>> = [{}]) {
	const result = await runWorkflow({
		nodes: [pomeloNode({ parameters, type: POMELO_TOOL_TYPE })],
		input,
		credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
	});
	expect(JSON.stringify(result.run)).not.toContain(API_KEY);
	return result;
}

type Hint = { message: string; type?: string; location?: string };
function hints(result: Awaited<ReturnType<typeof runWorkflow>>, nodeName = 'Pomelo'): Hint[] {
	const runs = result.run.data.resultData.runData[nodeName] as unknown as Array<{ hints?: Hint[] }>;
	return runs[0].hints ?? [];
}

describe('as an agent tool', () => {
	test('Flux.1: the model gets URL, size, seed, prompt and model; nothing is downloaded', async () => {
		const prompt = 'A lighthouse at dusk, long exposure';
		const result = await runTool({ operation: 'flux', prompt, additionalFields: { aspectRatio: '16:9', seed: 77 } });
		expect(result.error('Pomelo')).toBeUndefined();
		const items = result.output('Pomelo');
		expect(items).toHaveLength(1);
		const [item] = items;
		expect(item.binary).toBeUndefined();
		expect(Object.keys(item.json).sort()).toEqual(
			['generationId', 'height', 'imageCount', 'imageIndex', 'model', 'prompt', 'provider', 'seed', 'url', 'width'].sort(),
		);
		expect(item.json).toMatchObject({ provider: 'flux', prompt, seed: 77, width: 1024, height: 576, imageIndex: 0, imageCount: 1 });
		expect(String(item.json.url).startsWith(`${emulator.imageBaseUrl}/`)).toBe(true);
		expect(generations()).toHaveLength(1);
		expect(imageDownloads()).toHaveLength(0);
	});

	test('Midjourney with two images: one result per image, each with its URL and id', async () => {
		const result = await runTool({ operation: 'midjourney', prompt: 'A teapot in the style of a lighthouse', additionalFields: { numOutputs: 2 } });
		const items = result.output('Pomelo');
		expect(items).toHaveLength(2);
		expect(items.map((item) => item.json.imageIndex)).toEqual([0, 1]);
		for (const item of items) {
			expect(item.binary).toBeUndefined();
			expect(item.json).toMatchObject({ provider: 'midjourney', imageCount: 2 });
			expect(typeof item.json.imageId).toBe('string');
			expect(String(item.json.url).startsWith(`${emulator.imageBaseUrl}/`)).toBe(true);
		}
		expect(items[0].json.url).not.toBe(items[1].json.url);
		expect(imageDownloads()).toHaveLength(0);
	});

	test('"Return URLs Only" switched off does not make the tool download: the model could not receive the bytes', async () => {
		const result = await runTool({ operation: 'flux', prompt: 'A kite over a beach', options: { returnUrlsOnly: false } });
		expect(result.output('Pomelo')[0].binary).toBeUndefined();
		expect(imageDownloads()).toHaveLength(0);
	});

	test('a refusal by moderation is a result the model can act on, not a failed run', async () => {
		const result = await runTool({ operation: 'flux', prompt: 'Explicit gore on a battlefield' });
		expect(result.run.data.resultData.error).toBeUndefined();
		const items = result.output('Pomelo');
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].json).sort()).toEqual(['error', 'errorClass', 'whatToDo']);
		expect(items[0].json.errorClass).toBe('moderation');
		expect(items[0].json.error).toMatch(/moderation/i);
		expect(items[0].json.whatToDo).toMatch(/rephrase/i);
		expect(generations()).toHaveLength(1);
	});

	test('bad input the model gave: the error names the field, and the model is told to correct it', async () => {
		const result = await runTool({ operation: 'flux', prompt: 'A fox', additionalFields: { steps: 99 } });
		const [item] = result.output('Pomelo');
		expect(item.json.errorClass).toBe('input');
		expect(item.json.error).toMatch(/"Steps" \(steps\)/);
		expect(item.json.whatToDo).toMatch(/correct/i);
		expect(generations()).toHaveLength(0);
	});

	test('its run summary says the failure went to the agent', async () => {
		const result = await runTool({ operation: 'flux', prompt: 'Explicit gore on a battlefield' });
		expect(hints(result)).toEqual([
			{ type: 'warning', location: 'outputPane', message: '1 of 1 item failed: moderation 1; the agent received the error text' },
		]);
	});
});

describe('run summary (execution hint)', () => {
	test('every prompt made its image: count and total size of the stored images', async () => {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'flux', prompt: '={{ $json.prompt }}' } }), sinkNode()],
			connections: { Pomelo: { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
			input: [{ prompt: 'A red door' }, { prompt: 'A blue door' }],
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		// The size as the next node receives it, in kB below 1 MB (README).
		const bytes = result
			.output('Sink')
			.reduce((sum, item) => sum + ((item.json.received as Record<string, { bytes: number }>).data.bytes ?? 0), 0);
		expect(bytes).toBeLessThan(1024 * 1024);
		expect(hints(result)).toEqual([
			{ type: 'info', location: 'outputPane', message: `2 images from 2 prompts, ${Math.round(bytes / 1024)} kB` },
		]);
	});

	test('URLs only: says nothing was downloaded', async () => {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'midjourney', prompt: 'A lantern', additionalFields: { numOutputs: 3 }, options: { returnUrlsOnly: true } } })],
			input: [{}],
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		expect(hints(result).map((hint) => hint.message)).toEqual(['3 image URLs from 1 prompt (not downloaded)']);
	});

	test('failures by class, pointing at the error output', async () => {
		const result = await runWorkflow({
			nodes: [
				pomeloNode({
					parameters: { operation: 'flux', prompt: '={{ $json.prompt }}', options: { maxRetries: 0 } },
					onError: 'continueErrorOutput',
				}),
			],
			// The second prompt carries an emulator directive: a 429 on every attempt.
			input: [{ prompt: 'Violence in the streets' }, { prompt: '[fault:429-none]A quiet street' }],
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		expect(hints(result)).toEqual([
			{ type: 'warning', location: 'outputPane', message: '2 of 2 items failed: moderation 1, rate_limit 1; see the error output' },
		]);
	});

	test('with "Continue" (regular output) it points at the error items', async () => {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'flux', prompt: '={{ $json.prompt }}' }, onError: 'continueRegularOutput' })],
			input: [{ prompt: 'A calm lake' }, { prompt: 'Hateful graffiti' }, { prompt: 'A snowy owl' }],
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		expect(hints(result).map((hint) => hint.message)).toEqual(['1 of 3 items failed: moderation 1; see their error items']);
	});
});
