/**
 * Which input item an output item or an error belongs to, with several input items running at
 * the same time: pairedItem in both output modes, and the error a run stops with.
 */
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { binaryBuffer, pomeloNode, runWorkflow } from '../helpers/engine';
import { errorOf, waitFor } from '../helpers/reliability';
import { SCHEDULING_TOLERANCE_MS } from '../helpers/timing';

const API_KEY = 'sk-test-pairing-0123456789';
const emulator = emulatorPerFile({ apiKey: API_KEY });

async function run(parameters: Record<string, unknown>, prompts: string[], onError?: 'continueRegularOutput') {
	return await runWorkflow({
		nodes: [pomeloNode({ parameters: { prompt: '={{ $json.prompt }}', ...parameters }, onError })],
		input: prompts.map((prompt) => ({ prompt })),
		credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
	});
}

describe('"One Item per Request" with several input items', () => {
	test('each output item points at the input item whose prompt made it, with that request\'s images', async () => {
		// Later items answer sooner, so finishing order and input order differ.
		const prompts = ['First [fault:slow:delay-ms=600]', 'Second [fault:slow:delay-ms=300]', 'Third'];
		const result = await run(
			{ operation: 'midjourney', additionalFields: { numOutputs: 2, width: 64, height: 64 }, options: { oneItemPerRequest: true } },
			prompts,
		);
		expect(result.error('Pomelo')).toBeUndefined();
		const items = result.output('Pomelo');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.prompt)).toEqual(prompts);
		for (const item of items) {
			expect(Object.keys(item.binary ?? {}).sort()).toEqual(['data_0', 'data_1']);
			const images = item.json.images as Array<{ imageId: string; fileSize: number }>;
			for (const [index, image] of images.entries()) {
				expect(item.binary![`data_${index}`].fileName).toBe(`pomelo-midjourney-${image.imageId}-${index}.png`);
				expect((await binaryBuffer(item, `data_${index}`)).length).toBe(image.fileSize);
			}
		}
		expect(new Set(items.flatMap((item) => (item.json.images as Array<{ imageId: string }>).map((i) => i.imageId))).size).toBe(6);
	});

	test('with continueOnFail, an error item sits at its input item\'s place and points at it', async () => {
		const result = await run(
			{ operation: 'midjourney', additionalFields: { width: 64, height: 64 }, options: { oneItemPerRequest: true } },
			['Fine [fault:slow:delay-ms=300]', 'Refused [fault:422]', 'Also fine'],
			'continueRegularOutput',
		);
		const items = result.output('Pomelo');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.prompt ?? errorOf(item).message)).toEqual([
			'Fine [fault:slow:delay-ms=300]',
			'Pomelo refused the request (HTTP 422): Unsupported style preset',
			'Also fine',
		]);
	});
});

describe('a run that stops on an error (no continueOnFail)', () => {
	test('stops with the error of the lowest failing item, even when a later item failed first', async () => {
		// Item 1 fails after its 1 s Request Timeout; item 3 is refused at once.
		const result = await run({ operation: 'midjourney', additionalFields: { width: 64, height: 64 }, options: { requestTimeout: 1, maxRetries: 0 } }, [
			'Fine',
			'Slow to fail [fault:hang]',
			'Fine too',
			'Refused at once [fault:422]',
		]);
		const error = result.error('Pomelo');
		expect(error?.message).toBe(
			'Midjourney generation: no complete answer came within 1 s; the generation may have run and may have been billed',
		);
		expect(result.output('Pomelo')).toEqual([]);
		// The refusal really came first: it was answered before the hung request was given up.
		const generations = emulator.requests.filter((entry) => entry.origin === 'api');
		const refused = generations.find((entry) => entry.status === 422)!;
		const hung = generations.find((entry) => entry.fault === 'hang')!;
		await waitFor(() => hung.endedAt !== null, SCHEDULING_TOLERANCE_MS, 'the emulator to see the hung request closed');
		expect(refused.endedAt!).toBeLessThan(hung.endedAt!);
	});
});
