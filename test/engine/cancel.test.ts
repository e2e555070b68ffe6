/**
 * Cancellation (issue 4, item 3): when an execution is cancelled, a request in flight, a download
 * in flight and a wait before a retry all stop at once, far sooner than the timeout or the wait,
 * and no item that had not started yet is started. "At once" is AT_ONCE_MS (10 s), against
 * timeouts and waits of 60 s or more.
 */
import type { IDataObject } from 'n8n-workflow';

import { emulatorPerFile } from '../helpers/emulator-per-file';
import { pomeloNode, promptParameters, runWorkflow, type RunResult } from '../helpers/engine';
import { capturedLogsPerFile, generationRequests, imageRequests, secretKey, waitFor } from '../helpers/reliability';

const KEY = secretKey();
const emulator = emulatorPerFile({ apiKey: KEY });
const logs = capturedLogsPerFile();

interface Cancelled {
	result: RunResult;
	/** From the cancel call to the end of the execution (the node has returned). */
	afterCancelMs: number;
}

/** Runs until `ready()` holds, cancels, and measures how long the execution takes to end. */
async function cancelWhen(
	prompts: string[],
	options: IDataObject,
	ready: () => boolean,
	onError?: 'continueRegularOutput',
): Promise<Cancelled> {
	let cancelledAt = 0;
	let waiting: Promise<void> = Promise.resolve();
	const result = await runWorkflow({
		nodes: [pomeloNode({ parameters: promptParameters('midjourney', options), onError })],
		input: prompts.map((prompt) => ({ prompt })),
		credentials: { apiKey: KEY, baseUrl: emulator.baseUrl },
		onStart: ({ cancel }) => {
			waiting = waitFor(ready, 10_000, 'the moment to cancel').then(() => {
				cancelledAt = Date.now();
				cancel();
			});
		},
	});
	await waiting;
	const afterCancelMs = Date.now() - cancelledAt;
	expect(result.run.status).toBe('canceled');
	expect(JSON.stringify(result.run)).not.toContain(KEY);
	expect(logs.lines.filter((line) => line.includes(KEY))).toEqual([]);
	return { result, afterCancelMs };
}

/**
 * "At once": every wait cancelled here is 60 s or more, so ending within 10 s rules out a wait that
 * ran its course, with room for a loaded 2-core machine (other suites running beside this one).
 */
const AT_ONCE_MS = 10_000;

const inFlight = (origin: 'api' | 'image') => () => emulator.stats()[origin].inFlight;

test.each([undefined, 'continueRegularOutput'] as const)(
	'a hung generation request (timeout 60 s) ends at once on the cancel (onError: %s)',
	async (onError) => {
		const { afterCancelMs } = await cancelWhen(
			['A hung lighthouse [fault:hang]'],
			{ requestTimeout: 60 },
			// This test's own request (the log is per test; in-flight counters are not).
			() => generationRequests(emulator).some((entry) => entry.endedAt === null),
			onError,
		);
		expect(afterCancelMs).toBeLessThan(AT_ONCE_MS);
		expect(generationRequests(emulator)).toHaveLength(1);
		// The node closed its connection: the emulator no longer holds the request.
		await waitFor(() => inFlight('api')() === 0, AT_ONCE_MS, 'the hung request to be closed');
	},
);

test('a wait of 60 s asked by Retry-After ends at once on the cancel, with no retry', async () => {
	const { afterCancelMs } = await cancelWhen(
		['A rate-limited lighthouse [fault:429:retry-after=60]'],
		{ maxRetryWait: 120, maxRetries: 3 },
		// The 429 has been answered: the node is now waiting.
		() => generationRequests(emulator).some((entry) => entry.status === 429 && entry.endedAt !== null),
	);
	expect(afterCancelMs).toBeLessThan(AT_ONCE_MS);
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(generationRequests(emulator)).toHaveLength(1);
});

test('a backoff wait after a 503 ends with the cancel, with no retry', async () => {
	// maxRetryWait 30 s and 6 retries: the later backoff steps are up to 16 s long.
	const { afterCancelMs } = await cancelWhen(
		['A flaky lighthouse [fault:503]'],
		{ maxRetryWait: 30, maxRetries: 6 },
		// Two 503s answered and nothing in flight: the node is waiting before its next retry.
		() => {
			const requests = generationRequests(emulator);
			return requests.length >= 2 && requests.every((entry) => entry.endedAt !== null) && inFlight('api')() === 0;
		},
	);
	expect(afterCancelMs).toBeLessThan(AT_ONCE_MS);
	const before = generationRequests(emulator).length;
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(generationRequests(emulator)).toHaveLength(before);
});

test('a hung image download (timeout 60 s) ends at once on the cancel', async () => {
	const { afterCancelMs } = await cancelWhen(
		['A hung kite [fault:image-hang]'],
		{ requestTimeout: 60 },
		() => imageRequests(emulator).some((entry) => entry.endedAt === null),
	);
	expect(afterCancelMs).toBeLessThan(AT_ONCE_MS);
	expect(imageRequests(emulator)).toHaveLength(1);
	await waitFor(() => inFlight('image')() === 0, AT_ONCE_MS, 'the hung download to be closed');
});

test('items not started yet are never started after the cancel', async () => {
	const prompts = Array.from({ length: 10 }, (_, index) => `Hung item ${index} [fault:hang]`);
	const { afterCancelMs } = await cancelWhen(prompts, { requestTimeout: 60, concurrency: 2 }, () => generationRequests(emulator).filter((entry) => entry.endedAt === null).length === 2);
	expect(afterCancelMs).toBeLessThan(AT_ONCE_MS);
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(generationRequests(emulator)).toHaveLength(2);
	await waitFor(() => inFlight('api')() === 0, AT_ONCE_MS, 'the hung requests to be closed');
});
