/**
 * Soak (issue 4, item 9): 1,000 items through n8n-core's engine against the emulator on
 * loopback, with 2% of the generations answered 503 and 1% answered 429 once (chosen by a seeded
 * PRNG, so every run is the same). Every image must arrive whole, the retries must match the
 * faults exactly, concurrency must stay bounded, and the figures are printed (speed and memory
 * are measured by the bench, not asserted here).
 */
import { decodePngInfo } from '../../emulator';
import { emulatorPerFile } from '../helpers/emulator-per-file';
import { binaryBuffer, runPrompts } from '../helpers/engine';
import { capturedLogsPerFile, generationRequests, imageRequests, secretKey } from '../helpers/reliability';

const ITEMS = 1000;
const CONCURRENCY = 10;
const SEED = 0x5eed;
const KEY = secretKey();

// A few milliseconds per answer, so that the items really overlap (a loopback answer in
// microseconds would let the client's own work serialise them).
const emulator = emulatorPerFile({ apiKey: KEY, latencyMs: 5 });
const logs = capturedLogsPerFile();

/** mulberry32: a small seeded PRNG, enough to pick which items get a fault. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

test(`${ITEMS} items with 2% 503s and 1% 429s: every image delivered whole, bounded`, async () => {
	// Exactly 2% and 1% of the items, at places picked by a seeded shuffle.
	const random = prng(SEED);
	const order = Array.from({ length: ITEMS }, (_, index) => index);
	for (let index = ITEMS - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[order[index], order[other]] = [order[other], order[index]];
	}
	const planned = { '503': Math.round(ITEMS * 0.02), '429': Math.round(ITEMS * 0.01) };
	const with503 = new Set(order.slice(0, planned['503']));
	const with429 = new Set(order.slice(planned['503'], planned['503'] + planned['429']));
	const prompts = Array.from({ length: ITEMS }, (_, index) => {
		if (with503.has(index)) return `Soak item ${index} [fault:503*1]`;
		if (with429.has(index)) return `Soak item ${index} [fault:429*1:retry-after=1]`;
		return `Soak item ${index}`;
	});
	emulator.clearLog();
	emulator.resetFaults();

	const { result, items, elapsedMs } = await runPrompts(prompts, {
		// Retry-After 1 s is honoured (a longer one than Max Retry Wait would not be retried).
		options: { concurrency: CONCURRENCY, maxRetries: 3, maxRetryWait: 2, requestTimeout: 30, maxImagesPerExecution: 0 },
		onError: undefined,
		credentials: { apiKey: KEY, baseUrl: emulator.baseUrl },
	});

	expect(result.run.data.resultData.error).toBeUndefined();
	expect(items).toHaveLength(ITEMS);

	// Every image whole, read back from n8n's binary data store (on disk), in input order.
	let bytes = 0;
	for (const [index, item] of items.entries()) {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json.prompt).toBe(prompts[index]);
		expect(item.binary?.data.id).toMatch(/^filesystem/);
		const png = await binaryBuffer(item);
		expect(decodePngInfo(png)).toMatchObject({ width: 64, height: 64 });
		bytes += png.length;
	}

	// Each fault cost exactly one retry; no other request was repeated.
	const generations = generationRequests(emulator);
	const faulted = generations.filter((entry) => entry.fault !== null);
	const seen = { '503': faulted.filter((e) => e.fault === '503').length, '429': faulted.filter((e) => e.fault === '429').length };
	expect(seen).toEqual(planned);
	expect(generations).toHaveLength(ITEMS + faulted.length);
	expect(imageRequests(emulator)).toHaveLength(ITEMS);
	expect(imageRequests(emulator).every((entry) => entry.headers.authorization === undefined)).toBe(true);
	const stats = emulator.stats();
	expect(stats.api.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
	expect(stats.api.maxInFlight).toBeGreaterThan(1);
	expect(JSON.stringify(result.run.data)).not.toContain(KEY);
	expect(logs.lines.filter((line) => line.includes(KEY))).toEqual([]);

	const figures = {
		items: ITEMS,
		images: items.length,
		imageBytes: bytes,
		generationRequests: generations.length,
		retries: faulted.length,
		faults: seen,
		imageRequests: imageRequests(emulator).length,
		maxConcurrentGenerations: stats.api.maxInFlight,
		seconds: +(elapsedMs / 1000).toFixed(1),
		itemsPerSecond: +(ITEMS / (elapsedMs / 1000)).toFixed(0),
	};
	// For information only: speed and memory are the bench's to measure (npm run bench).
	process.stdout.write(`Soak figures: ${JSON.stringify(figures)}\n`);
}, 300_000);
