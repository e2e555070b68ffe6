import type { INodeExecutionData } from 'n8n-workflow';

import { decodePngInfo } from '../../emulator';
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { binaryBuffer, pomeloNode, runWorkflow } from '../helpers/engine';
import { errorOf } from '../helpers/reliability';

const API_KEY = 'sk-live-errors-7f3a9c2e';
const emulator = emulatorPerFile({ apiKey: API_KEY });

type OnError = 'continueRegularOutput' | 'continueErrorOutput' | undefined;

async function run(
	parameters: Record<string, unknown>,
	input: Array<Record<string, unknown>>,
	{ onError, apiKey = API_KEY }: { onError?: OnError; apiKey?: string } = {},
) {
	const result = await runWorkflow({
		nodes: [pomeloNode({ parameters, onError })],
		input,
		credentials: { apiKey, baseUrl: emulator.baseUrl },
	});
	// Whatever happened, the key is nowhere in what n8n keeps of the execution.
	expect(JSON.stringify(result.run)).not.toContain(API_KEY);
	return result;
}

const generations = () => emulator.requests.filter((entry) => entry.origin === 'api');
const mixedPrompts = [
	{ prompt: 'A calm harbour' },
	{ prompt: 'Explicit gore everywhere' },
	{ prompt: '' },
	{ prompt: 'A mountain hut' },
];

describe('without continueOnFail', () => {
	test('bad input stops the run with an error naming the item and the field, before any request is sent', async () => {
		const result = await run(
			{ operation: 'midjourney', prompt: '={{ $json.prompt }}', additionalFields: { numOutputs: '={{ $json.n }}' } },
			[{ prompt: 'fine', n: 1 }, { prompt: 'also fine', n: 9 }],
			{},
		);
		const error = result.run.data.resultData.error!;
		expect(error.message).toBe(
			'Item 1: "Number of Images" (num_outputs) must be a whole number from 1 to 4; got 9',
		);
		expect(error).toMatchObject({ errorClass: 'input', context: { itemIndex: 1 } });
		// Every item is checked first: the valid item 0 is not sent (and billed) for a run that fails.
		expect(generations()).toEqual([]);
	});

	test('a wrong key is an authentication error pointing at the credential, never retried', async () => {
		const result = await run({ operation: 'flux', prompt: 'Anything' }, [{}], { apiKey: 'sk-wrong-key-000' });
		const error = result.run.data.resultData.error!;
		expect(error.message).toBe('Pomelo rejected the API key (HTTP 401): Invalid API key');
		expect(error.description).toContain('"Pomelo API" credential');
		expect(generations()).toHaveLength(1);
		expect(JSON.stringify(result.run)).not.toContain('sk-wrong-key-000');
	});

	test('a Base URL that is not an http(s) URL is named as a credential problem before any request', async () => {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'flux', prompt: 'Anything' } })],
			input: [{}],
			credentials: { apiKey: API_KEY, baseUrl: 'api.pomeloapi.example.com' },
		});
		expect(result.run.data.resultData.error!.message).toBe(
			'The "Base URL" of the Pomelo API credential must be an http(s) URL such as https://api.pomeloapi.example.com; got "api.pomeloapi.example.com"',
		);
		expect(generations()).toHaveLength(0);
	});

	test('a refused prompt is a moderation error, never retried', async () => {
		const result = await run({ operation: 'midjourney', prompt: 'hateful imagery' }, [{}]);
		const error = result.run.data.resultData.error!;
		expect(error.message).toMatch(/^The prompt was refused by Pomelo's content moderation \(HTTP 400\): /);
		expect(generations()).toHaveLength(1);
	});
});

describe('with continueOnFail', () => {
	function classOf(item: INodeExecutionData) {
		return errorOf(item).errorClass;
	}

	test('each failing item gets its own error item; the others still produce their images', async () => {
		const result = await run(
			{ operation: 'midjourney', prompt: '={{ $json.prompt }}', additionalFields: { width: 64, height: 64 } },
			mixedPrompts,
			{ onError: 'continueRegularOutput' },
		);
		const items = result.output('Pomelo');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items.map(classOf)).toEqual([undefined, 'moderation', 'input', undefined]);
		for (const index of [0, 3]) {
			expect(decodePngInfo(await binaryBuffer(items[index]))).toMatchObject({ width: 64, height: 64 });
		}
		expect(items[1].binary).toBeUndefined();
		expect(errorOf(items[1])).toMatchObject({ httpStatus: 400, apiCode: 'content_policy_violation', itemIndex: 1 });
		expect(errorOf(items[1])).toHaveProperty('apiMessage', expect.stringMatching(/content moderation/));
		expect(errorOf(items[1]).message).toMatch(/^The prompt was refused by Pomelo's content moderation \(HTTP 400\): /);
		// `error` alone: the JSON n8n 1.x (as 2.x) sends to the error output with "Continue (using error output)".
		expect(Object.keys(items[1].json)).toEqual(['error']);
		expect(errorOf(items[2]).message).toBe('Item 2: "Prompt" (prompt) is required and must not be empty; got ""');
	});

	test('"continue (using error output)" routes failed items to the error branch', async () => {
		const result = await run(
			{ operation: 'midjourney', prompt: '={{ $json.prompt }}', additionalFields: { width: 64, height: 64 } },
			mixedPrompts,
			{ onError: 'continueErrorOutput' },
		);
		const success = result.output('Pomelo', 0);
		const failed = result.output('Pomelo', 1);
		expect(success.map((item) => item.json.prompt)).toEqual(['A calm harbour', 'A mountain hut']);
		expect(failed.map(classOf)).toEqual(['moderation', 'input']);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(errorOf(failed[1]).message).toBe('Item 2: "Prompt" (prompt) is required and must not be empty; got ""');
	});

	test.each([
		['422', 'invalid_request', 422],
		['500', 'outcome_unknown', 500],
		['503', 'server', 503],
		['not-complete', 'generation_failed', undefined],
		['wrong-shape', 'invalid_response', undefined],
		['image-404', 'download', 404],
	])('fault %s gives an error item of class %s', async (fault, errorClass, httpStatus) => {
		const result = await run(
			{ operation: 'flux', prompt: `={{ $json.prompt }}`, options: { maxRetries: 0 } },
			[{ prompt: `Broken [fault:${fault}]` }, { prompt: 'Healthy' }],
			{ onError: 'continueRegularOutput' },
		);
		const [broken, healthy] = result.output("Pomelo");
		expect(errorOf(broken)).toMatchObject({ errorClass, ...(httpStatus && { httpStatus }) });
		expect(broken.binary).toBeUndefined();
		expect(decodePngInfo(await binaryBuffer(healthy))).toMatchObject({ width: 1024, height: 1024 });
	});
});

describe('Max Images per Execution (README, Reliability: the cost cap)', () => {
	// Midjourney asks for 2 images per item; a cap of 3 leaves room for the first item only.
	const capped = {
		operation: 'midjourney',
		prompt: '={{ $json.prompt }}',
		additionalFields: { width: 64, height: 64, numOutputs: 2 },
		options: { maxImagesPerExecution: 3 },
	};
	const prompts = [{ prompt: 'First' }, { prompt: 'Second' }, { prompt: 'Third' }];

	test('items beyond the cap are not sent: error items of class limit naming the option', async () => {
		const result = await run(capped, prompts, { onError: 'continueRegularOutput' });
		const items = result.output('Pomelo');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.slice(2).map((item) => item.json.error)).toEqual([
			expect.objectContaining({ errorClass: 'limit', itemIndex: 1 }),
			expect.objectContaining({ errorClass: 'limit', itemIndex: 2 }),
		]);
		expect(errorOf(items[2]).message).toContain('"Max Images per Execution" (3)');
		expect(generations().map((entry) => (entry.body as { prompt: string }).prompt)).toEqual(['First']);
	});

	test('without continueOnFail, a run that would pass the cap fails before anything is sent', async () => {
		const result = await run(capped, prompts);
		expect(result.run.data.resultData.error).toMatchObject({ errorClass: 'limit' });
		expect(generations()).toEqual([]);
	});

	test('0 means no limit', async () => {
		const result = await run({ ...capped, options: { maxImagesPerExecution: 0 } }, prompts);
		expect(result.output('Pomelo')).toHaveLength(6);
		expect(generations()).toHaveLength(3);
	});
});
