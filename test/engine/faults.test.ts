/**
 * The fault matrix (issue 4, item 8): every fault the emulator can inject, through n8n-core's
 * execution engine over real HTTP, alone and mixed across items. For each: recovered (a valid
 * PNG) or the right error class, the exact number of requests (retries bounded), waits within the
 * configured bounds, no broken file passed on, and the key nowhere but on the API origin.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { decodePngInfo, encodePng, FAULT_NAMES } from '../../emulator';
import { emulatorPerFile } from '../helpers/emulator-per-file';
import {
	binaryBuffer,
	pomeloNode,
	promptParameters,
	runPrompts,
	runWorkflow,
	type PromptRunSpec,
} from '../helpers/engine';
import { localServersPerBlock } from '../helpers/local-servers';
import {
	apiRequests,
	capturedLogsPerFile,
	errorOf,
	expectKeyContained,
	gapsMs,
	generationRequests,
	imageRequests,
	secretKey,
	waitFor,
} from '../helpers/reliability';
import { atLeast, atMost, SCHEDULING_TOLERANCE_MS } from '../helpers/timing';

const KEY = secretKey();
/** Small bounds so that the whole matrix runs in seconds; every test states what it relies on. */
const FAST = { requestTimeout: 1, maxRetries: 2, maxRetryWait: 1 };

const emulator = emulatorPerFile({ apiKey: KEY, flux: { longSide: 64 } });
const logs = capturedLogsPerFile();

/** A run with the FAST bounds under the test's own options; the key is checked after every run. */
async function run(prompts: string[], spec: Omit<PromptRunSpec, 'credentials'> = {}) {
	const options = { ...FAST, ...spec.options };
	const outcome = await runPrompts(prompts, { ...spec, options, credentials: { apiKey: KEY, baseUrl: emulator.baseUrl } });
	expectKeyContained(emulator, outcome.result, logs, KEY);
	return outcome;
}

async function expectValidPng(item: INodeExecutionData, size = 64): Promise<void> {
	expect(item.json.error).toBeUndefined();
	const bytes = await binaryBuffer(item);
	expect(decodePngInfo(bytes)).toMatchObject({ width: size, height: size });
	expect(item.binary?.data.fileSize).toBeDefined();
	expect(item.json.fileSize).toBe(bytes.length);
}

/** httpStatus: the status the item must carry; null: it must carry none; undefined: not checked. */
function expectErrorItem(item: INodeExecutionData, errorClass: string, httpStatus?: number | null): IDataObject {
	expect(item.binary).toBeUndefined();
	expect(typeof errorOf(item).message).toBe('string');
	const info = errorOf(item);
	expect(info.errorClass).toBe(errorClass);
	if (httpStatus === null) expect(info.httpStatus).toBeUndefined();
	else if (httpStatus !== undefined) expect(info.httpStatus).toBe(httpStatus);
	// An error message is text for people: never markup, a stack or a socket address.
	expect(errorOf(item).message).not.toMatch(/<[a-z!/]|\bat .*\(.*:\d+:\d+\)|127\.0\.0\.1/i);
	return info;
}

describe('generation faults that recover within the retries', () => {
	// README, Reliability: a 503 was provably not worked on and is retried; a 500, 502 or a reset
	// may have generated (and billed), so only "Retry When Outcome Is Unknown" retries them.
	test.each([
		['503*2', 3, {}],
		['500*2', 3, { retryUnknownOutcome: true }],
		['502*2', 3, { retryUnknownOutcome: true }],
		['reset*2', 3, { retryUnknownOutcome: true }],
	])('[fault:%s] is retried with backoff and recovers: %i requests (options %j)', async (fault, requests, options) => {
		const { items } = await run([`A lighthouse [fault:${fault}]`], { options });
		expect(items).toHaveLength(1);
		await expectValidPng(items[0]);
		const generations = generationRequests(emulator);
		expect(generations).toHaveLength(requests);
		// Full jitter: retry n waits at most min(maxRetryWait, 0.5 s × 2^n) (the exact draw is a unit test's).
		gapsMs(generations).forEach((gap, retry) => expect(gap).toBeLessThan(atMost(Math.min(1000, 500 * 2 ** retry))));
		expect(imageRequests(emulator)).toHaveLength(1);
		expect(logs.lines.some((line) => line.includes('Pomelo: Midjourney generation failed'))).toBe(true);
	});

	test('429 with Retry-After in seconds: the wait is honoured', async () => {
		const { items } = await run(['A harbour [fault:429*1:retry-after=1]'], { options: { maxRetryWait: 5 } });
		await expectValidPng(items[0]);
		const [gap] = gapsMs(generationRequests(emulator));
		expect(generationRequests(emulator)).toHaveLength(2);
		// 1 s as asked: not the backoff (≤ 0.5 s), not Max Retry Wait (5 s).
		expect(gap).toBeGreaterThanOrEqual(atLeast(1000));
		expect(gap).toBeLessThan(atMost(1000));
	});

	test('429 with Retry-After as an HTTP date: the wait is honoured (1 s resolution)', async () => {
		const { items } = await run(['A harbour [fault:429-date*1:retry-after=2]'], { options: { maxRetryWait: 5 } });
		await expectValidPng(items[0]);
		const [gap] = gapsMs(generationRequests(emulator));
		expect(generationRequests(emulator)).toHaveLength(2);
		// The date drops the milliseconds: the wait is between 1 and 2 seconds (not Max Retry Wait, 5 s).
		expect(gap).toBeGreaterThanOrEqual(atLeast(1000));
		expect(gap).toBeLessThan(atMost(2000));
	});

	test.each(['429', '429-date'])('[fault:%s] asking for 30 s, more than Max Retry Wait (1 s): not retried early, the item says when', async (fault) => {
		const { items } = await run([`A harbour [fault:${fault}*1:retry-after=30]`], { options: { maxRetryWait: 1 } });
		expectErrorItem(items[0], 'rate_limit', 429);
		// The date form loses the milliseconds: 29 or 30 s.
		expect(errorOf(items[0]).message).toMatch(/Pomelo asks to try again in (29|30) s \(after \d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
		expect(errorOf(items[0]).description).toContain('longer than "Max Retry Wait" (1 s)');
		expect(generationRequests(emulator)).toHaveLength(1);
	});

	test('429 without Retry-After backs off with jitter (at most 0.5 s before the first retry)', async () => {
		const { items } = await run(['A harbour [fault:429-none*1]']);
		await expectValidPng(items[0]);
		const [gap] = gapsMs(generationRequests(emulator));
		expect(generationRequests(emulator)).toHaveLength(2);
		// First backoff: at most 0.5 s (not the 1 s a missing header would be read as).
		expect(gap).toBeLessThan(atMost(500));
	});

	test('with "Retry When Outcome Is Unknown", a hung request times out after Request Timeout and the retry succeeds', async () => {
		const { items, elapsedMs } = await run(['A barn [fault:hang*1]'], { options: { retryUnknownOutcome: true } });
		await expectValidPng(items[0]);
		expect(generationRequests(emulator)).toHaveLength(2);
		// One Request Timeout of 1 s, a backoff of at most 0.5 s, then the answer.
		expect(elapsedMs).toBeGreaterThanOrEqual(atLeast(1000));
		expect(elapsedMs).toBeLessThan(atMost(1500));
	});

	test('a slow answer within Request Timeout is not cut off', async () => {
		const { items } = await run(['A barn [fault:slow:delay-ms=300]']);
		await expectValidPng(items[0]);
		expect(generationRequests(emulator)).toHaveLength(1);
	});
});

describe('generation faults that fail the item', () => {
	test.each([
		['401', 'authentication', 401, 1, /^Pomelo rejected the API key \(HTTP 401\): Invalid API key$/],
		['403', 'authentication', 403, 1, /^Pomelo rejected the API key \(HTTP 403\): /],
		['422', 'invalid_request', 422, 1, /^Pomelo refused the request \(HTTP 422\): Unsupported style preset$/],
		['moderation', 'moderation', 400, 1, /^The prompt was refused by Pomelo's content moderation \(HTTP 400\): .*usage policy/],
		['429', 'rate_limit', 429, 3, /^Pomelo rate limit reached \(HTTP 429\)/],
		['429-none', 'rate_limit', 429, 3, /^Pomelo rate limit reached \(HTTP 429\)/],
		['500', 'outcome_unknown', 500, 1, /^Midjourney generation: Pomelo had a server error \(HTTP 500\): .*; the generation may have run and may have been billed$/],
		['502', 'outcome_unknown', 502, 1, /^Midjourney generation: Pomelo had a server error \(HTTP 502\): .*may have been billed$/],
		['503', 'server', 503, 3, /^Pomelo is unavailable for Midjourney generation \(HTTP 503\): /],
		['html-error', 'outcome_unknown', 502, 1, /^Midjourney generation: Pomelo had a server error \(HTTP 502 Bad Gateway\); the generation may have run/],
		['reset', 'outcome_unknown', undefined, 1, /^Midjourney generation: the connection broke before an answer came; the generation may have run and may have been billed$/],
		['malformed-json', 'invalid_response', undefined, 1, /^Midjourney generation: Pomelo answered with a body that is not a JSON object$/],
		['wrong-shape', 'invalid_response', undefined, 1, /does not match the documented format: "images" is missing$/],
		['wrong-shape:variant=not-array', 'invalid_response', undefined, 1, /does not match the documented format: "images" should be array, got object$/],
		['empty-images', 'invalid_response', undefined, 1, /"images" contains no images$/],
	])('[fault:%s] → %s (HTTP %s) after exactly %i request(s)', async (fault, errorClass, httpStatus, requests, message) => {
		const { items } = await run([`A quiet street [fault:${fault}]`]);
		expect(items).toHaveLength(1);
		const info = expectErrorItem(items[0], errorClass, httpStatus ?? null);
		expect(errorOf(items[0]).message).toMatch(message);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(generationRequests(emulator)).toHaveLength(requests);
		expect(imageRequests(emulator)).toHaveLength(0);
		if (requests > 1) expect(info.description).toMatch(new RegExp(`Gave up after ${requests} attempts\\.$`));
		if (errorClass === 'rate_limit' && fault === '429') {
			// Retry-After: 1 was honoured before each retry.
			gapsMs(generationRequests(emulator)).forEach((gap) => expect(gap).toBeGreaterThanOrEqual(atLeast(1000)));
		}
	});

	test('refusals carry the API message, code and the refused parameter', async () => {
		const { items } = await run(['A quiet street [fault:422]', 'A quiet street [fault:moderation]', 'A quiet street [fault:401]']);
		expect(errorOf(items[0])).toMatchObject({
			errorClass: 'invalid_request',
			httpStatus: 422,
			apiMessage: 'Unsupported style preset',
			apiCode: 'invalid_parameter',
			param: 'style',
			description: expect.stringContaining('Parameter "style" was refused'),
			itemIndex: 0,
		});
		expect(errorOf(items[1])).toMatchObject({
			errorClass: 'moderation',
			httpStatus: 400,
			apiCode: 'content_policy_violation',
			apiMessage: expect.stringMatching(/content moderation/),
			description: expect.stringContaining('retrying will not help'),
		});
		expect(errorOf(items[2])).toMatchObject({
			errorClass: 'authentication',
			httpStatus: 401,
			apiMessage: 'Invalid API key',
			description: expect.stringContaining('"Pomelo API" credential'),
		});
		// Refusals are never retried: one request each.
		expect(generationRequests(emulator)).toHaveLength(3);
	});

	test('an HTML error page never reaches the message, the API message or the description', async () => {
		const { items } = await run(['A quiet street [fault:html-error]'], { options: { maxRetries: 0 } });
		const text = JSON.stringify(items[0].json);
		for (const fragment of ['<', 'DOCTYPE', 'ECONNREFUSED', 'proxy.js', '10.0.3.17', 'pomelo-gateway']) {
			expect(text).not.toContain(fragment);
		}
		expect(errorOf(items[0]).apiMessage).toBeUndefined();
	});

	test('a hung request fails once Request Timeout passed, as an outcome that may have been billed, not sent again', async () => {
		const { items, elapsedMs } = await run(['A barn [fault:hang]'], { options: { maxRetries: 1 } });
		const info = expectErrorItem(items[0], 'outcome_unknown', null);
		expect(errorOf(items[0]).message).toBe(
			'Midjourney generation: no complete answer came within 1 s; the generation may have run and may have been billed',
		);
		expect(info.description).toMatch(/"Request Timeout" option.*"Retry When Outcome Is Unknown"/);
		expect(generationRequests(emulator)).toHaveLength(1);
		// One Request Timeout of 1 s.
		expect(elapsedMs).toBeGreaterThanOrEqual(atLeast(1000));
		expect(elapsedMs).toBeLessThan(atMost(1000));
	});

	test('an answer slower than Request Timeout is an unknown outcome too', async () => {
		const { items } = await run(['A barn [fault:slow:delay-ms=3000]'], { options: { maxRetries: 0 } });
		expectErrorItem(items[0], 'outcome_unknown');
		expect(errorOf(items[0]).message).toBe(
			'Midjourney generation: no complete answer came within 1 s; the generation may have run and may have been billed',
		);
		expect(generationRequests(emulator)).toHaveLength(1);
	});

	test('a Midjourney generation that failed carries its status and the API message', async () => {
		const { items } = await run(['A barn [fault:not-complete]']);
		const info = expectErrorItem(items[0], 'generation_failed');
		expect(info).toMatchObject({ generationStatus: 'failed', apiMessage: expect.stringMatching(/ran out of memory/) });
		expect(errorOf(items[0]).message).toBe(
			'Midjourney generation did not finish: status "failed": The generation failed: the worker ran out of memory',
		);
		expect(generationRequests(emulator)).toHaveLength(1);
	});

	test('a Flux.1 generation still processing carries the generation id and status', async () => {
		const { items } = await run(['A barn [fault:not-complete]'], { operation: 'flux' });
		const info = expectErrorItem(items[0], 'generation_failed');
		expect(info.generationId).toMatch(/^gen_[0-9a-f]+$/);
		expect(info.generationStatus).toBe('processing');
		expect(errorOf(items[0]).message).toBe(`Flux.1 generation did not finish: status "processing" (generation ${info.generationId})`);
		expect(imageRequests(emulator)).toHaveLength(0);
	});
});

describe('image download faults', () => {
	test.each([
		['image-500*1', 2],
		['image-truncated*1', 2],
		['image-hang*1', 2],
		['image-slow:delay-ms=300', 1],
	])('[fault:%s] recovers: %i image requests, a whole PNG', async (fault, requests) => {
		const { items } = await run([`A kite [fault:${fault}]`]);
		expect(items).toHaveLength(1);
		await expectValidPng(items[0]);
		expect(imageRequests(emulator)).toHaveLength(requests);
		expect(generationRequests(emulator)).toHaveLength(1);
	});

	test('an image 503 with Retry-After: 2 is retried after the 2 s asked, not after the backoff', async () => {
		const { items } = await run(['A kite [fault:image-503*1:retry-after=2]'], { options: { maxRetryWait: 5 } });
		await expectValidPng(items[0]);
		const downloads = imageRequests(emulator);
		expect(downloads.map((entry) => entry.status)).toEqual([503, 200]);
		const [gap] = gapsMs(downloads);
		// 2 s as asked: the backoff would be at most 0.5 s, Max Retry Wait is 5 s.
		expect(gap).toBeGreaterThanOrEqual(atLeast(2000));
		expect(gap).toBeLessThan(atMost(2000));
	});

	test.each([
		['image-404', 'download', 404, 1, /^Downloading image 1 of 1: the image host answered HTTP 404$/],
		['image-500', 'download', 500, 3, /^Downloading image 1 of 1: the image host answered HTTP 500$/],
		['image-truncated', 'download', undefined, 3, /^Downloading image 1 of 1: the download was cut short after \d+ of \d+ bytes/],
		['image-wrong-type', 'download', undefined, 1, /^Downloading image 1 of 1: the server did not send an image \(it sent text\/html\)$/],
		['image-not-png', 'download', undefined, 1, /^Downloading image 1 of 1: the server did not send an image \(the body is not an image although it was declared image\/png\)$/],
		['image-oversized:size-bytes=3000000', 'download', undefined, 1, /^Downloading image 1 of 1: the image is 2\.9 MB, larger than the limit of 1\.0 MB$/],
		['image-slow:delay-ms=3000', 'timeout', undefined, 1, /^Downloading image 1 of 1 timed out after 1 s without a complete answer$/],
		['image-hang', 'timeout', undefined, 2, /^Downloading image 1 of 1 timed out after 1 s without a complete answer$/],
	])('[fault:%s] → %s (HTTP %s) after exactly %i image request(s), no binary', async (fault, errorClass, httpStatus, requests, message) => {
		// Timeouts take a second each: fewer retries there, the count still exact.
		const maxRetries = fault.startsWith('image-slow') ? 0 : fault === 'image-hang' ? 1 : 2;
		const { items } = await run([`A kite [fault:${fault}]`], { options: { maxImageSizeMb: 1, maxRetries } });
		expect(items).toHaveLength(1);
		expectErrorItem(items[0], errorClass, httpStatus ?? null);
		expect(errorOf(items[0]).message).toMatch(message);
		expect(imageRequests(emulator)).toHaveLength(requests);
		// The generation itself succeeded: it is not asked for again when a download fails.
		expect(generationRequests(emulator)).toHaveLength(1);
	});

	test('an image URL that is not http(s) is never fetched', async () => {
		const { items } = await run(['A kite [fault:image-bad-scheme]']);
		expectErrorItem(items[0], 'download');
		expect(errorOf(items[0]).message).toBe(
			'Downloading image 1 of 1: refused to fetch a file URL; only http and https image URLs are downloaded',
		);
		expect(imageRequests(emulator)).toHaveLength(0);
		expect(apiRequests(emulator)).toHaveLength(1);
	});

	test('a redirect on the image host is followed, without the key', async () => {
		const { items } = await run(['A kite [fault:image-redirect]']);
		await expectValidPng(items[0]);
		const images = imageRequests(emulator);
		expect(images.map((entry) => [entry.status, entry.path.includes('redirected=1')])).toEqual([
			[302, false],
			[200, true],
		]);
	});

	test('an image on the API origin is fetched with the key: it is the API', async () => {
		const { items } = await run(['A kite [fault:image-on-api-origin]']);
		await expectValidPng(items[0]);
		const fromApi = apiRequests(emulator).filter((entry) => entry.path.startsWith('/images-from-api/'));
		expect(fromApi).toHaveLength(1);
		expect(fromApi[0].headers.authorization).toBe(`Bearer ${KEY}`);
		expect(imageRequests(emulator)).toHaveLength(0);
	});

	test('a redirect from the image host to the API origin does not gain the key', async () => {
		// The first request went to the image host without the key; a redirect chosen by that host
		// must not make the node send the key anywhere, the API origin included.
		const { items } = await run(['A kite [fault:image-redirect-api]']);
		await expectValidPng(items[0]);
		const fromApi = apiRequests(emulator).filter((entry) => entry.path.startsWith('/images-from-api/'));
		expect(fromApi).toHaveLength(1);
		expect(fromApi[0].headers.authorization).toBeUndefined();
		expect(imageRequests(emulator).map((entry) => entry.status)).toEqual([302]);
	});

	test('every image of a request must arrive whole, or the item fails', async () => {
		// Directives apply to every image of the request: with 4 images one truncated download is
		// enough to fail the item, and no partial set of binaries is passed on.
		const { items } = await run(['Four kites [fault:image-truncated]'], {
			options: { maxRetries: 0 },
			fields: { numOutputs: 4 },
		});
		expect(items).toHaveLength(1);
		expectErrorItem(items[0], 'download');
		expect(imageRequests(emulator)).toHaveLength(4);
	});
});

describe('a body that stalls after its headers', () => {
	// A local API whose image answers with its headers and first bytes, then nothing: the HTTP
	// client's own timeout is over by then. The image is on a storage origin, or on the API's.
	const png = encodePng({ width: 64, height: 64, seed: 1 });
	const closed: string[] = [];
	let apiUrl: string;
	let storageUrl: string;

	function serve(name: string): Server {
		return createServer((req, res) => {
			if (req.method === 'POST') {
				let text = '';
				req.on('data', (chunk: Buffer) => (text += chunk.toString()));
				req.on('end', () => {
					const onApi = (JSON.parse(text) as { prompt: string }).prompt.includes('on the API origin');
					const url = `${onApi ? apiUrl : storageUrl}/stall.png`;
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ status: 'success', images: [{ url, id: 'img_stall' }] }));
				});
				return;
			}
			res.on('close', () => closed.push(name));
			res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
			res.write(png.subarray(0, 100));
		});
	}

	const { listen } = localServersPerBlock();

	beforeAll(async () => {
		apiUrl = await listen(serve('api'));
		storageUrl = await listen(serve('storage'));
	});

	test.each([
		['an image host', 'A stalled kite'],
		['the API origin', 'A stalled kite on the API origin'],
	])('on %s: fails as a timeout once no data arrived for Request Timeout', async (where, prompt) => {
		const started = Date.now();
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: promptParameters('midjourney', { ...FAST, maxRetries: 0 }), onError: 'continueRegularOutput' })],
			input: [{ prompt }],
			credentials: { apiKey: KEY, baseUrl: apiUrl },
		});
		const elapsedMs = Date.now() - started;
		const [item] = result.output('Pomelo');
		expectErrorItem(item, 'timeout', null);
		expect(errorOf(item).message).toBe('Downloading image 1 of 1 timed out after 1 s without a complete answer');
		// One Request Timeout of 1 s, a deadline for the whole download; no retry.
		expect(elapsedMs).toBeGreaterThanOrEqual(atLeast(1000));
		expect(elapsedMs).toBeLessThan(atMost(1000));
		expect(JSON.stringify(result.run)).not.toContain(KEY);
		// The node closed the stalled connection, on the API origin too; it did not leave it open.
		await waitFor(() => closed.includes(where === 'an image host' ? 'storage' : 'api'), SCHEDULING_TOLERANCE_MS, 'the stalled response to be closed');
	});
});

describe('redirect chains, hop by hop', () => {
	// A local API origin and storage origin whose image paths redirect as the test path says.
	const png = encodePng({ width: 64, height: 64, seed: 2 });
	const seen: Array<{ origin: string; path: string; authorization?: string }> = [];
	let apiUrl: string;
	let storageUrl: string;

	const routes: Record<string, (origin: string) => { status: number; location?: string }> = {
		// API origin → storage → API origin: the key on the first hop only.
		'/chain/1': () => ({ status: 302, location: `${storageUrl}/chain/2` }),
		'/chain/2': () => ({ status: 307, location: `${apiUrl}/chain/3` }),
		'/chain/3': () => ({ status: 200 }),
		// Same origin, relative Location: the key stays.
		'/same/1': () => ({ status: 301, location: '/same/2' }),
		'/same/2': () => ({ status: 200 }),
		'/loop': () => ({ status: 302, location: '/loop' }),
		'/to-file': () => ({ status: 302, location: 'file:///etc/passwd' }),
		'/nowhere': () => ({ status: 302 }),
	};

	function serve(origin: string): Server {
		return createServer((req, res) => {
			if (req.method === 'POST') {
				let text = '';
				req.on('data', (chunk: Buffer) => (text += chunk.toString()));
				req.on('end', () => {
					// The prompt is the image path, on the API origin.
					const path = (JSON.parse(text) as { prompt: string }).prompt;
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ status: 'success', images: [{ url: `${apiUrl}${path}`, id: 'img_chain' }] }));
				});
				return;
			}
			const path = req.url ?? '';
			seen.push({ origin, path, authorization: req.headers.authorization });
			const route = routes[path]?.(origin) ?? { status: 404 };
			if (route.status === 200) {
				res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
				res.end(png);
			} else {
				res.writeHead(route.status, route.location ? { Location: route.location } : {});
				res.end();
			}
		});
	}

	const { listen } = localServersPerBlock();

	beforeAll(async () => {
		apiUrl = await listen(serve('api'));
		storageUrl = await listen(serve('storage'));
	});
	beforeEach(() => {
		seen.length = 0;
	});

	async function download(path: string) {
		const result = await runWorkflow({
			nodes: [pomeloNode({ parameters: promptParameters('midjourney', { ...FAST, maxRetries: 0 }), onError: 'continueRegularOutput' })],
			input: [{ prompt: path }],
			credentials: { apiKey: KEY, baseUrl: apiUrl },
		});
		expect(JSON.stringify(result.run)).not.toContain(KEY);
		return result.output('Pomelo')[0];
	}

	test('a chain that leaves the API origin drops the key, and does not get it back on returning', async () => {
		await expectValidPng(await download('/chain/1'));
		expect(seen).toEqual([
			{ origin: 'api', path: '/chain/1', authorization: `Bearer ${KEY}` },
			{ origin: 'storage', path: '/chain/2', authorization: undefined },
			{ origin: 'api', path: '/chain/3', authorization: undefined },
		]);
	});

	test('a redirect within the API origin keeps the key (relative Location)', async () => {
		await expectValidPng(await download('/same/1'));
		expect(seen.map((entry) => [entry.path, entry.authorization])).toEqual([
			['/same/1', `Bearer ${KEY}`],
			['/same/2', `Bearer ${KEY}`],
		]);
	});

	test.each([
		['/loop', /^Downloading image 1 of 1: the image host redirected more than 5 times$/, 6],
		['/to-file', /^Downloading image 1 of 1: refused to fetch a file URL \(redirect\); only http and https image URLs are downloaded$/, 1],
		['/nowhere', /^Downloading image 1 of 1: the image host answered HTTP 302 without saying where to$/, 1],
	])('%s fails the download, not retried', async (path, message, requests) => {
		const item = await download(path);
		expectErrorItem(item, 'download');
		expect(errorOf(item).message).toMatch(message);
		expect(seen).toHaveLength(requests);
	});
});

describe('retry bounds', () => {
	test.each([0, 1, 3])('maxRetries %i: exactly maxRetries + 1 attempts, every wait within Max Retry Wait', async (maxRetries) => {
		const { items, elapsedMs } = await run(['A dune [fault:503]'], { options: { maxRetries, maxRetryWait: 0.2 } });
		expectErrorItem(items[0], 'server', 503);
		const generations = generationRequests(emulator);
		expect(generations).toHaveLength(maxRetries + 1);
		for (const gap of gapsMs(generations)) expect(gap).toBeLessThan(atMost(200));
		expect(elapsedMs).toBeLessThan(atMost(maxRetries * 200));
	});

	test('Max Retry Wait 0 retries a 429 without Retry-After at once', async () => {
		const { items } = await run(['A dune [fault:429-none*2]'], { options: { maxRetryWait: 0 } });
		await expectValidPng(items[0]);
		expect(generationRequests(emulator)).toHaveLength(3);
		for (const gap of gapsMs(generationRequests(emulator))) expect(gap).toBeLessThan(atMost(0));
	});

	test('Max Retry Wait 0 and a Retry-After of 30 s: not retried early, one request', async () => {
		const { items } = await run(['A dune [fault:429*2:retry-after=30]'], { options: { maxRetryWait: 0 } });
		expectErrorItem(items[0], 'rate_limit', 429);
		expect(generationRequests(emulator)).toHaveLength(1);
	});

	test('refusals are never retried, whatever maxRetries says', async () => {
		const { items } = await run(
			['A [fault:401]', 'B [fault:403]', 'C [fault:422]', 'D [fault:moderation]', 'E [fault:image-404]', 'F [fault:image-wrong-type]'],
			{ options: { maxRetries: 5 } },
		);
		expect(items.map((item) => errorOf(item).errorClass)).toEqual([
			'authentication',
			'authentication',
			'invalid_request',
			'moderation',
			'download',
			'download',
		]);
		expect(generationRequests(emulator)).toHaveLength(6);
		expect(imageRequests(emulator)).toHaveLength(2);
	});
});

describe('mixed faults across items', () => {
	const prompts = [
		'A good harbour',
		'A flaky server [fault:503*1]',
		'Explicit gore everywhere',
		'A rate limit [fault:429*1:retry-after=1]',
		'A truncated kite [fault:image-truncated]',
		'A wrong key [fault:401]',
		'A lost image [fault:image-404]',
		'A broken answer [fault:wrong-shape]',
		'A redirect to the API [fault:image-redirect-api]',
		'A hang [fault:hang]',
		'A reset once [fault:reset*1]',
		'A half image once [fault:image-truncated*1]',
		'A good meadow',
	];
	const outcomes: Array<string | null> = [
		null,
		null,
		'moderation',
		null,
		'download',
		'authentication',
		'download',
		'invalid_response',
		null,
		'outcome_unknown',
		'outcome_unknown',
		null,
		null,
	];

	test('continue (regular output): good items give whole PNGs, failed ones error items, in input order', async () => {
		const { items } = await run(prompts, { options: { maxRetries: 1, concurrency: 4 } });
		expect(items).toHaveLength(prompts.length);
		expect(items.map((item) => item.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		for (const [index, item] of items.entries()) {
			const expected = outcomes[index];
			if (expected === null) {
				await expectValidPng(item);
				expect(item.json.prompt).toBe(prompts[index]);
			} else {
				expectErrorItem(item, expected);
				expect(errorOf(item).itemIndex).toBe(index);
			}
		}
	});

	test('continue (using error output): the same split over the two outputs, each in input order', async () => {
		const { result } = await run(prompts, { onError: 'continueErrorOutput', options: { maxRetries: 1, concurrency: 4 } });
		const success = result.output('Pomelo', 0);
		const failed = result.output('Pomelo', 1);
		const goodIndexes = outcomes.flatMap((outcome, index) => (outcome === null ? [index] : []));
		const badIndexes = outcomes.flatMap((outcome, index) => (outcome === null ? [] : [index]));
		expect(success.map((item) => item.pairedItem)).toEqual(goodIndexes.map((item) => ({ item })));
		expect(failed.map((item) => item.pairedItem)).toEqual(badIndexes.map((item) => ({ item })));
		for (const item of success) await expectValidPng(item);
		expect(failed.map((item) => errorOf(item).errorClass)).toEqual(badIndexes.map((index) => outcomes[index]));
		for (const item of failed) expect(item.binary).toBeUndefined();
	});
});

describe('the key never leaks, on any path', () => {
	test('the log capture sees both n8n-core and the node (so its silence about the key means something)', async () => {
		const before = logs.lines.length;
		await run(['A capture check [fault:503*1]']);
		const lines = logs.lines.slice(before);
		expect(lines.some((line) => line.startsWith('debug Start executing node "Pomelo"'))).toBe(true);
		expect(lines.some((line) => /^debug Pomelo: Midjourney generation failed \(server 503\); retry 1\/2 in \d+ ms/.test(line))).toBe(true);
	});

	// Every fault the emulator knows, with the run stopped by the error (no continueOnFail): the
	// error n8n keeps, its description and context, and every log line are free of the key. The
	// money-and-key-safety faults (issue 10) have their own tests in money-safety.test.ts.
	const MONEY_SAFETY_FAULTS = ['ok-cut', 'slow-generation', '504', 'json-huge', 'redirect-post', 'extra-images', 'trickle', 'image-url', 'echo-key'];
	const matrixFaults = FAULT_NAMES.filter((fault) => !MONEY_SAFETY_FAULTS.includes(fault));
	test.each(matrixFaults.map((fault) => [fault]))('[fault:%s], run stopped by the error', async (fault) => {
		const sized = fault === 'image-oversized' ? `${fault}:size-bytes=3000000` : fault;
		const { result } = await run([`A secret-free run [fault:${sized}]`], {
			onError: undefined,
			options: { maxRetries: 0, maxImageSizeMb: 1, maxRetryWait: 0 },
		});
		const error = result.run.data.resultData.error;
		if (['image-redirect', 'image-redirect-api', 'image-on-api-origin'].includes(fault)) {
			expect(error).toBeUndefined();
		} else {
			expect(JSON.stringify(error)).toMatch(/"errorClass":"[a-z_]+"/);
		}
	});

	test('an API that echoes the key in its error never puts it in the item, the message or the log', async () => {
		// A real service might answer "Invalid API key sk-live-…". The emulator never echoes the
		// key, so a local server answers with it in every field and header.
		const server = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				res.writeHead(401, { 'Content-Type': 'application/json', 'X-Debug-Key': KEY });
				res.end(
					JSON.stringify({
						error: { message: `Invalid API key ${KEY}`, code: `bad_key_${KEY}`, param: KEY },
						detail: KEY,
					}),
				);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			for (const onError of ['continueRegularOutput', undefined] as const) {
				const result = await runWorkflow({
					nodes: [pomeloNode({ parameters: promptParameters('midjourney', FAST), onError })],
					input: [{ prompt: 'echo' }],
					credentials: { apiKey: KEY, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
				});
				expect(JSON.stringify(result.run)).not.toContain(KEY);
				expect(logs.lines.filter((line) => line.includes(KEY))).toEqual([]);
				if (onError) {
					const [item] = result.output('Pomelo');
					expect(errorOf(item).message).toBe('Pomelo rejected the API key (HTTP 401): Invalid API key [redacted]');
				}
			}
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
