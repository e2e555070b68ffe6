// "Concurrency" bounds generation requests; an item's image downloads do not hold its slot, so the
// next generation starts while they run (up to twice the limit of items in progress, the limit of
// them downloading).
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { pomeloNode, runWorkflow } from '../helpers/engine';
import { generationRequests, imageRequests } from '../helpers/reliability';

const API_KEY = 'sk-test-concurrency-0123456789';
const emulator = emulatorPerFile({ apiKey: API_KEY });

test('slow downloads do not block the next generations; API requests stay within the limit', async () => {
	// Generations answer at once, downloads take long: items pile up in the download stage.
	emulator.setImageLatency(400);
	try {
		const result = await runWorkflow({
			nodes: [
				pomeloNode({
					parameters: {
						operation: 'flux',
						prompt: '={{ "Item " + $itemIndex }}',
						additionalFields: { aspectRatio: '1:1' },
						options: { concurrency: 2 },
					},
				}),
			],
			input: Array.from({ length: 8 }, () => ({})),
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		expect(result.error('Pomelo')).toBeUndefined();
		const items = result.output('Pomelo');
		expect(items.map((item) => item.json.prompt)).toEqual(Array.from({ length: 8 }, (_, i) => `Item ${i}`));
		expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 8 }, (_, item) => ({ item })));
		expect(items.every((item) => item.binary?.data)).toBe(true);
		const { api, image } = emulator.stats();
		expect(api.maxInFlight).toBeLessThanOrEqual(2);
		expect(image.maxInFlight).toBeLessThanOrEqual(2);
		// The generation slots were given back when the API answered: while the first download was
		// still running, more items than the limit had been sent (the next ones wait for a download slot).
		const firstDownloadEnded = Math.min(...imageRequests(emulator).map((entry) => entry.endedAt ?? Infinity));
		const sentMeanwhile = generationRequests(emulator).filter((entry) => entry.startedAt < firstDownloadEnded);
		expect(sentMeanwhile.length).toBeGreaterThan(2);
	} finally {
		emulator.setImageLatency(0);
	}
});

test('without the option, at most 5 generations are in flight (the README\'s default Concurrency)', async () => {
	emulator.setLatency(300);
	try {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: { operation: 'flux', prompt: '={{ "Item " + $itemIndex }}' } })],
			input: Array.from({ length: 12 }, () => ({})),
			credentials: { apiKey: API_KEY, baseUrl: emulator.baseUrl },
		});
		expect(result.error('Pomelo')).toBeUndefined();
		expect(result.output('Pomelo')).toHaveLength(12);
		const { api } = emulator.stats();
		expect(api.count).toBe(12);
		expect(api.maxInFlight).toBeLessThanOrEqual(5);
		// More than one at a time (how many more is up to the scheduler).
		expect(api.maxInFlight).toBeGreaterThan(1);
	} finally {
		emulator.setLatency(0);
	}
});
