import * as http from 'http';
import { spawn } from 'child_process';
import { once } from 'events';
import { join } from 'path';
import { crc32, deflateSync } from 'zlib';
import {
	startEmulator,
	encodePng,
	decodePngInfo,
	isPng,
	imageInfo,
	FAULT_NAMES,
	type Emulator,
	type FaultSpec,
} from '../emulator';
import { loadApiSpec } from './helpers/api-spec';
import { atLeast, atMost } from './helpers/timing';

// ---------------------------------------------------------------------------------------------
// Helpers

interface JsonAnswer {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads answer bodies freely
	json: any;
}

interface RawAnswer {
	status?: number;
	headers?: http.IncomingHttpHeaders;
	body: Buffer;
	complete: boolean;
	error?: NodeJS.ErrnoException;
	timedOut: boolean;
}

const MIDJOURNEY = '/api/v1/midjourney/generate';
const FLUX = '/api/v1/flux.1';
const API_DOC = loadApiSpec();

function tryJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function authHeaders(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
	return { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json', ...extra };
}

async function post(
	emu: Emulator,
	path: string,
	body: unknown,
	headers: Record<string, string> = authHeaders(emu),
): Promise<JsonAnswer> {
	const res = await fetch(emu.baseUrl + path, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, json: tryJson(text) };
}

/** fetch's json() is typed unknown; tests look into the bodies freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads answer bodies freely
async function jsonOf(res: Response): Promise<any> {
	return res.json();
}

async function download(url: string, init?: RequestInit): Promise<{ res: Response; bytes: Buffer }> {
	const res = await fetch(url, init);
	return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Low-level request that reports socket errors, timeouts and short bodies instead of throwing. */
function rawRequest(
	method: string,
	url: string,
	options: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<RawAnswer> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let timedOut = false;
		const req = http.request(url, { method, headers: options.headers, agent: false }, (res) => {
			let error: NodeJS.ErrnoException | undefined;
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', (e) => (error = e));
			res.on('close', () =>
				resolve({
					status: res.statusCode,
					headers: res.headers,
					body: Buffer.concat(chunks),
					complete: res.complete,
					error,
					timedOut,
				}),
			);
		});
		req.setTimeout(options.timeoutMs ?? 3000, () => {
			timedOut = true;
			req.destroy(new Error('client timeout'));
		});
		req.on('error', (error: NodeJS.ErrnoException) =>
			resolve({ body: Buffer.concat(chunks), complete: false, error, timedOut }),
		);
		req.end(options.body);
	});
}

function rawPost(emu: Emulator, path: string, body: unknown, timeoutMs?: number): Promise<RawAnswer> {
	return rawRequest('POST', emu.baseUrl + path, { headers: authHeaders(emu), body: JSON.stringify(body), timeoutMs });
}

/** Builds a PNG from raw chunks, for decoder tests that need specific damage. */
function pngFromChunks(chunks: Array<[string, Buffer]>): Buffer {
	const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
	for (const [type, data] of chunks) {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'latin1');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(data, crc32(Buffer.from(type, 'latin1'))) >>> 0, 0);
		parts.push(head, data, crc);
	}
	return Buffer.concat(parts);
}

function ihdr(width: number, height: number, bitDepth = 8, colorType = 2): Buffer {
	const data = Buffer.alloc(13);
	data.writeUInt32BE(width, 0);
	data.writeUInt32BE(height, 4);
	data[8] = bitDepth;
	data[9] = colorType;
	return data;
}

function keysOf(value: object): string[] {
	return Object.keys(value).sort();
}

// ---------------------------------------------------------------------------------------------

describe('Pomelo emulator', () => {
	let emu: Emulator;

	beforeAll(async () => {
		emu = await startEmulator({ port: 0, imagePort: 0, apiKey: 'test-key' });
	});

	afterAll(async () => {
		await emu.close();
	});

	afterEach(() => {
		emu.resetFaults();
		emu.setLatency(0);
		emu.setImageLatency(0);
	});

	describe('origins', () => {
		it('serves the API and the images on two loopback origins', () => {
			expect(emu.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(emu.imageBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(emu.imageBaseUrl).not.toBe(emu.baseUrl);
		});

		it('answers 404 JSON for image paths on the API origin and API paths on the image origin', async () => {
			const apiImage = await fetch(`${emu.baseUrl}/images/img_000000000000.png`);
			expect(apiImage.status).toBe(404);
			expect(apiImage.headers.get('content-type')).toMatch(/application\/json/);
			expect((await jsonOf(apiImage)).error.code).toBe('not_found');

			const imageApi = await fetch(`${emu.imageBaseUrl}${FLUX}`, { method: 'POST', body: '{}' });
			expect(imageApi.status).toBe(404);
			expect((await jsonOf(imageApi)).error.code).toBe('not_found');

			const unknownImage = await fetch(`${emu.imageBaseUrl}/images/img_000000000000.png`);
			expect(unknownImage.status).toBe(404);
			await unknownImage.text();
		});

		it('puts X-Request-Id on every answer', async () => {
			const answers = [
				await fetch(`${emu.baseUrl}/nowhere`),
				await fetch(emu.baseUrl + FLUX, { method: 'POST', body: '{}' }),
				await fetch(`${emu.imageBaseUrl}/nowhere`),
				await fetch(`${emu.baseUrl}/__emulator/stats`),
			];
			for (const answer of answers) {
				expect(answer.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{16}$/);
				await answer.text();
			}
		});

		it('refuses other methods on the generation paths', async () => {
			const answer = await fetch(emu.baseUrl + FLUX);
			expect(answer.status).toBe(405);
			expect(answer.headers.get('allow')).toBe('POST');
			await answer.text();
		});
	});

	describe('auth, content type and JSON, in that order', () => {
		it('answers 422 (not 401) to the right key with an empty {} body', async () => {
			for (const path of [MIDJOURNEY, FLUX]) {
				const answer = await post(emu, path, {});
				expect(answer.status).toBe(422);
				expect(answer.json.error).toMatchObject({ code: 'invalid_parameter', param: 'prompt' });
			}
		});

		it('answers 401 invalid_api_key to a wrong key, before looking at the body', async () => {
			const wrong = { authorization: 'Bearer nope', 'content-type': 'application/json' };
			for (const body of ['{}', '', 'not json']) {
				const answer = await post(emu, FLUX, body, wrong);
				expect(answer.status).toBe(401);
				expect(answer.json).toEqual({ error: { code: 'invalid_api_key', message: 'Invalid API key' } });
			}
		});

		it('answers 401 missing_api_key without a key', async () => {
			const answer = await post(emu, MIDJOURNEY, {}, { 'content-type': 'application/json' });
			expect(answer.status).toBe(401);
			expect(answer.json).toEqual({
				error: { code: 'missing_api_key', message: 'Missing API key: send Authorization: Bearer <key>' },
			});
			const bareScheme = await post(emu, MIDJOURNEY, {}, { authorization: 'Bearer ', 'content-type': 'application/json' });
			expect(bareScheme.json.error.code).toBe('missing_api_key');
		});

		it('answers 415 to a body that is not declared as JSON', async () => {
			const answer = await post(emu, FLUX, '{"prompt":"x"}', { authorization: 'Bearer test-key', 'content-type': 'text/plain' });
			expect(answer.status).toBe(415);
			expect(answer.json.error.code).toBe('unsupported_media_type');
		});

		it('accepts a charset parameter on the content type', async () => {
			const answer = await post(emu, FLUX, { prompt: 'x' }, authHeaders(emu, { 'content-type': 'application/json; charset=utf-8' }));
			expect(answer.status).toBe(200);
		});

		it('answers 400 invalid_json to broken JSON', async () => {
			const answer = await post(emu, FLUX, '{"prompt": ');
			expect(answer.status).toBe(400);
			expect(answer.json.error.code).toBe('invalid_json');
			expect(typeof answer.json.error.message).toBe('string');
		});

		it('answers 413 to a body over 1 MB', async () => {
			const answer = await post(emu, FLUX, { prompt: 'x'.repeat(1_100_000) });
			expect(answer.status).toBe(413);
			expect(answer.json.error.code).toBe('payload_too_large');
		});

		it('answers 400 to a JSON body that is not an object', async () => {
			const answer = await post(emu, FLUX, '[1,2]');
			expect(answer.status).toBe(400);
			expect(answer.json.error.code).toBe('invalid_body');
		});
	});

	describe('validation', () => {
		const cases: Array<[string, string, Record<string, unknown>, string]> = [
			['midjourney', MIDJOURNEY, { prompt: '' }, 'prompt'],
			['midjourney', MIDJOURNEY, { prompt: '   ' }, 'prompt'],
			['midjourney', MIDJOURNEY, { prompt: 'x'.repeat(4001) }, 'prompt'],
			['midjourney', MIDJOURNEY, { prompt: 42 }, 'prompt'],
			['midjourney', MIDJOURNEY, { prompt: 'x', width: '512' }, 'width'],
			['midjourney', MIDJOURNEY, { prompt: 'x', width: 63 }, 'width'],
			['midjourney', MIDJOURNEY, { prompt: 'x', height: 2049 }, 'height'],
			['midjourney', MIDJOURNEY, { prompt: 'x', height: 512.5 }, 'height'],
			['midjourney', MIDJOURNEY, { prompt: 'x', num_outputs: 0 }, 'num_outputs'],
			['midjourney', MIDJOURNEY, { prompt: 'x', num_outputs: 5 }, 'num_outputs'],
			['midjourney', MIDJOURNEY, { prompt: 'x', model: 5 }, 'model'],
			['midjourney', MIDJOURNEY, { prompt: 'x', style: null }, 'style'],
			['midjourney', MIDJOURNEY, { prompt: 'x', numOutputs: 2 }, 'numOutputs'],
			['midjourney', MIDJOURNEY, { prompt: 'x', seed: 1 }, 'seed'],
			['flux', FLUX, { prompt: 'x', negative_prompt: ['a'] }, 'negative_prompt'],
			['flux', FLUX, { prompt: 'x', style: 1 }, 'style'],
			['flux', FLUX, { prompt: 'x', seed: -1 }, 'seed'],
			['flux', FLUX, { prompt: 'x', seed: 4294967296 }, 'seed'],
			['flux', FLUX, { prompt: 'x', seed: '42' }, 'seed'],
			['flux', FLUX, { prompt: 'x', steps: 0 }, 'steps'],
			['flux', FLUX, { prompt: 'x', steps: 51 }, 'steps'],
			['flux', FLUX, { prompt: 'x', aspect_ratio: '16x9' }, 'aspect_ratio'],
			['flux', FLUX, { prompt: 'x', aspect_ratio: '33:1' }, 'aspect_ratio'],
			['flux', FLUX, { prompt: 'x', aspect_ratio: '0:1' }, 'aspect_ratio'],
			['flux', FLUX, { prompt: 'x', aspectRatio: '16:9' }, 'aspectRatio'],
			['flux', FLUX, { prompt: 'x', negativePrompt: 'blur' }, 'negativePrompt'],
			['flux', FLUX, { prompt: 'x', width: 512 }, 'width'],
		];

		it.each(cases)('%s %#: names the parameter "%3$s"', async (_name, path, body, param) => {
			const answer = await post(emu, path, body);
			expect(answer.status).toBe(422);
			expect(answer.json.error).toMatchObject({ code: 'invalid_parameter', param });
			expect(answer.json.error.message).toContain(param);
		});

		it('accepts the limits themselves', async () => {
			const mj = await post(emu, MIDJOURNEY, { prompt: 'x'.repeat(4000), width: 64, height: 2048, num_outputs: 4, model: '6', style: 'raw' });
			expect(mj.status).toBe(200);
			const flux = await post(emu, FLUX, { prompt: 'x', seed: 4294967295, steps: 50, aspect_ratio: '32:1', negative_prompt: 'blur', style: 'anime' });
			expect(flux.status).toBe(200);
			expect(flux.json.seed).toBe(4294967295);
		});
	});

	describe('moderation', () => {
		it.each(['a scene of violence', 'NSFW art', 'Gore!', 'explicit poster', 'a hateful sign'])(
			'refuses "%s" with a moderation error',
			async (prompt) => {
				const answer = await post(emu, FLUX, { prompt });
				expect(answer.status).toBe(400);
				expect(answer.json).toEqual({
					error: {
						code: 'content_policy_violation',
						type: 'moderation',
						message: 'Your request was rejected by content moderation: the prompt violates the usage policy',
					},
				});
			},
		);

		it('matches whole words only, and only in the prompt', async () => {
			expect((await post(emu, MIDJOURNEY, { prompt: 'nonviolence march, explicitly gorgeous' })).status).toBe(200);
			expect((await post(emu, FLUX, { prompt: 'a calm lake', negative_prompt: 'violence, gore' })).status).toBe(200);
		});
	});

	describe('success answers', () => {
		it('answers Midjourney in exactly the documented shape', async () => {
			const answer = await post(emu, MIDJOURNEY, { prompt: 'A serene lake', num_outputs: 2, style: 'scenic' });
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			const documented = API_DOC.operations.midjourney.response;
			expect(keysOf(answer.json)).toEqual(keysOf(documented));
			expect(answer.json).toMatchObject({ status: 'success', prompt: 'A serene lake', model: '5' });
			expect(answer.json.images).toHaveLength(2);
			for (const image of answer.json.images) {
				expect(keysOf(image)).toEqual(keysOf(documented.images[0]));
				expect(image.id).toMatch(/^img_[0-9a-f]{12}$/);
				expect(image.url).toBe(`${emu.imageBaseUrl}/images/${image.id}.png`);
				expect(image.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			}
			expect(answer.json.images[0].id).not.toBe(answer.json.images[1].id);
		});

		it('answers Flux in exactly the documented shape', async () => {
			const before = Math.floor(Date.now() / 1000);
			const answer = await post(emu, FLUX, { prompt: 'A futuristic city', aspect_ratio: '16:9', steps: 40 });
			expect(answer.status).toBe(200);
			const documented = API_DOC.operations['flux.1'].response;
			expect(keysOf(answer.json)).toEqual(keysOf(documented));
			expect(keysOf(answer.json.images[0])).toEqual(keysOf(documented.images[0]));
			expect(answer.json).toMatchObject({ prompt: 'A futuristic city', model: 'flux.1', status: 'complete' });
			expect(answer.json.id).toMatch(/^gen_[0-9a-f]{12}$/);
			expect(Number.isInteger(answer.json.created)).toBe(true);
			expect(answer.json.created).toBeGreaterThanOrEqual(before);
			expect(Number.isInteger(answer.json.seed)).toBe(true);
			expect(answer.json.images).toEqual([
				{ url: expect.stringMatching(new RegExp(`^${emu.imageBaseUrl}/images/img_[0-9a-f]{12}\\.png$`)), width: 1024, height: 576 },
			]);
		});

		it('echoes the seed it was given', async () => {
			const answer = await post(emu, FLUX, { prompt: 'x', seed: 42105 });
			expect(answer.json.seed).toBe(42105);
		});

		it('logs requests with lower-case headers and the parsed body', async () => {
			emu.clearLog();
			await post(emu, FLUX, { prompt: 'logged' }, authHeaders(emu, { 'X-Custom': 'Yes' }));
			expect(emu.requests).toHaveLength(1);
			const [entry] = emu.requests;
			expect(entry).toMatchObject({
				origin: 'api',
				method: 'POST',
				path: FLUX,
				body: { prompt: 'logged' },
				status: 200,
				fault: null,
				completed: true,
			});
			expect(entry.headers['x-custom']).toBe('Yes');
			expect(entry.headers.authorization).toBe('Bearer test-key');
			expect(entry.endedAt).toBeGreaterThanOrEqual(entry.startedAt);
		});
	});

	describe('images', () => {
		async function imageOf(path: string, body: Record<string, unknown>, headers?: Record<string, string>) {
			const answer = await post(emu, path, body, headers ?? authHeaders(emu));
			expect(answer.status).toBe(200);
			const { res, bytes } = await download(answer.json.images[0].url);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('image/png');
			expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
			return { answer, bytes };
		}

		it('serves whole Midjourney PNGs at 512x512 by default and at the size asked', async () => {
			const defaults = await imageOf(MIDJOURNEY, { prompt: 'a fox' });
			expect(decodePngInfo(defaults.bytes)).toEqual({ width: 512, height: 512, bitDepth: 8, colorType: 2 });
			const sized = await imageOf(MIDJOURNEY, { prompt: 'a fox', width: 300, height: 200 });
			expect(decodePngInfo(sized.bytes)).toMatchObject({ width: 300, height: 200 });
		});

		it.each([
			['1:1', 1024, 1024],
			['16:9', 1024, 576],
			['4:3', 1024, 768],
			['9:16', 576, 1024],
			['3:2', 1024, 683],
		])('sizes Flux %s as %ix%i', async (aspectRatio, width, height) => {
			const { answer, bytes } = await imageOf(FLUX, { prompt: 'a fox', aspect_ratio: aspectRatio });
			expect(answer.json.images[0]).toMatchObject({ width, height });
			expect(decodePngInfo(bytes)).toMatchObject({ width, height });
		});

		it('makes byte-identical images for the same prompt and seed, different ones otherwise', async () => {
			const a = await imageOf(FLUX, { prompt: 'same', seed: 7, aspect_ratio: '4:3' });
			const b = await imageOf(FLUX, { prompt: 'same', seed: 7, aspect_ratio: '4:3' });
			const c = await imageOf(FLUX, { prompt: 'same', seed: 8, aspect_ratio: '4:3' });
			expect(a.answer.json.images[0].url).not.toBe(b.answer.json.images[0].url);
			expect(a.bytes.equals(b.bytes)).toBe(true);
			expect(a.bytes.equals(c.bytes)).toBe(false);
		});

		it('makes incompressible images on X-Emulator-Noise: 1', async () => {
			const { bytes } = await imageOf(MIDJOURNEY, { prompt: 'noise', width: 600, height: 600 }, authHeaders(emu, { 'x-emulator-noise': '1' }));
			expect(decodePngInfo(bytes)).toMatchObject({ width: 600, height: 600 });
			expect(bytes.length).toBeGreaterThan(600 * 600 * 3);
		});

		it('answers HEAD with the headers only', async () => {
			const answer = await post(emu, MIDJOURNEY, { prompt: 'head' });
			const head = await fetch(answer.json.images[0].url, { method: 'HEAD' });
			expect(head.status).toBe(200);
			expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
		});
	});

	describe('image formats ("[format:NAME]" in the prompt)', () => {
		// The README promises PNG, JPEG, WebP and GIF; the seed's URLs end in the file's extension.
		const formats = [
			['png', 'image/png', 'png'],
			['jpeg', 'image/jpeg', 'jpg'],
			['webp', 'image/webp', 'webp'],
			['gif', 'image/gif', 'gif'],
		] as const;

		it.each(formats)('Flux [format:%s] is served as %s at a .%s URL, at the size the answer gives', async (format, mimeType, extension) => {
			const answer = await post(emu, FLUX, { prompt: `[format:${format}] a fox`, aspect_ratio: '16:9' });
			expect(answer.status).toBe(200);
			const image = answer.json.images[0];
			expect(image).toMatchObject({ width: 1024, height: 576 });
			expect(new URL(image.url).pathname).toMatch(new RegExp(`^/images/img_[0-9a-f]+\\.${extension}$`));
			const { res, bytes } = await download(image.url);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe(mimeType);
			expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
			expect(imageInfo(bytes)).toEqual({ format, mimeType, width: 1024, height: 576 });
		});

		it.each(formats)('Midjourney [format:%s] images have the width and height asked for', async (format, mimeType) => {
			const answer = await post(emu, MIDJOURNEY, { prompt: `a fox [format:${format}]`, width: 100, height: 70, num_outputs: 2 });
			expect(answer.status).toBe(200);
			expect(answer.json.images).toHaveLength(2);
			for (const image of answer.json.images) {
				const { bytes } = await download(image.url);
				expect(imageInfo(bytes)).toEqual({ format, mimeType, width: 100, height: 70 });
			}
		});

		it('"jpg" is a name for jpeg; the directive stays part of the prompt in the answer', async () => {
			const answer = await post(emu, FLUX, { prompt: 'a fox [format:jpg]' });
			expect(answer.json.prompt).toBe('a fox [format:jpg]');
			const { res, bytes } = await download(answer.json.images[0].url);
			expect(res.headers.get('content-type')).toBe('image/jpeg');
			expect(imageInfo(bytes)).toMatchObject({ format: 'jpeg', width: 1024, height: 1024 });
		});

		it('same prompt and seed give the same bytes in every format; another seed other bytes', async () => {
			for (const [format] of formats) {
				const bytesOf = async (seed: number) => {
					const answer = await post(emu, FLUX, { prompt: `[format:${format}] same`, seed, aspect_ratio: '4:3' });
					return (await download(answer.json.images[0].url)).bytes;
				};
				const [a, b, c] = [await bytesOf(7), await bytesOf(7), await bytesOf(8)];
				expect(a.equals(b)).toBe(true);
				expect(a.equals(c)).toBe(false);
			}
		});

		it('image faults apply to every format (a truncated JPEG is cut short)', async () => {
			const answer = await post(emu, FLUX, { prompt: '[format:jpeg][fault:image-truncated*1] cut', aspect_ratio: '1:1' });
			const first = await rawRequest('GET', answer.json.images[0].url);
			expect(first.complete).toBe(false);
			expect(first.body.length).toBeLessThan(Number(first.headers?.['content-length']));
			const second = await download(answer.json.images[0].url);
			expect(imageInfo(second.bytes)).toMatchObject({ format: 'jpeg', width: 1024, height: 1024 });
		});
	});

	describe('latency and concurrency', () => {
		it('counts concurrent requests in maxInFlight', async () => {
			emu.clearLog();
			// Six requests held open at once (hung), then dropped by the client: counts, not timings.
			const client = new AbortController();
			const hung = Array.from({ length: 6 }, (_, i) =>
				fetch(emu.baseUrl + FLUX, {
					method: 'POST',
					headers: authHeaders(emu),
					body: JSON.stringify({ prompt: `parallel ${i} [fault:hang]` }),
					signal: client.signal,
				}).catch((error: Error) => error.name),
			);
			while (emu.stats().api.inFlight < 6) await new Promise((r) => setTimeout(r, 5));
			expect(emu.stats().api).toEqual({ count: 6, inFlight: 6, maxInFlight: 6 });
			client.abort();
			expect(await Promise.all(hung)).toEqual(Array(6).fill('AbortError'));
			while (emu.stats().api.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
			const stats = emu.stats();
			expect(stats.api).toEqual({ count: 6, inFlight: 0, maxInFlight: 6 });
			expect(stats.image.count).toBe(0);
		});

		it('delays images by imageLatencyMs', async () => {
			const answer = await post(emu, MIDJOURNEY, { prompt: 'late' });
			emu.setImageLatency(120);
			const started = Date.now();
			const { res } = await download(answer.json.images[0].url);
			expect(res.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		});

		it('does not delay validation errors', async () => {
			emu.setLatency(60_000);
			const started = Date.now();
			expect((await post(emu, FLUX, {})).status).toBe(422);
			// Far sooner than the 60 s latency (within the scheduling tolerance).
			expect(Date.now() - started).toBeLessThan(atMost(0));
		});
	});

	describe('generation faults', () => {
		async function faulted(fault: FaultSpec, path = FLUX): Promise<JsonAnswer> {
			emu.injectFaults([fault]);
			const answer = await post(emu, path, { prompt: 'a faulted request' });
			expect(emu.pendingFaults()).toEqual([]);
			return answer;
		}

		it.each([
			['401', 401, 'invalid_api_key'],
			['403', 403, 'forbidden'],
			['500', 500, 'internal_error'],
			['502', 502, 'bad_gateway'],
			['503', 503, 'service_unavailable'],
		] as const)('%s answers %i with a JSON error body', async (fault, status, code) => {
			const answer = await faulted({ fault });
			expect(answer.status).toBe(status);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			expect(answer.json.error.code).toBe(code);
			expect(typeof answer.json.error.message).toBe('string');
		});

		it('422 names the parameter "style"', async () => {
			const answer = await faulted({ fault: '422' });
			expect(answer.status).toBe(422);
			expect(answer.json.error).toMatchObject({ code: 'invalid_parameter', param: 'style' });
		});

		it('moderation answers the moderation refusal', async () => {
			const answer = await faulted({ fault: 'moderation' });
			expect(answer.status).toBe(400);
			expect(answer.json.error).toMatchObject({ code: 'content_policy_violation', type: 'moderation' });
		});

		it('429 sends Retry-After in seconds (default 1, or retryAfter)', async () => {
			const byDefault = await faulted({ fault: '429' });
			expect(byDefault.status).toBe(429);
			expect(byDefault.headers.get('retry-after')).toBe('1');
			expect(byDefault.json.error.code).toBe('rate_limit_exceeded');
			expect((await faulted({ fault: '429', retryAfter: 3 })).headers.get('retry-after')).toBe('3');
		});

		it('429-date sends Retry-After as an HTTP date in the future', async () => {
			const before = Date.now();
			const answer = await faulted({ fault: '429-date', retryAfter: 5 });
			const after = Date.now();
			expect(answer.status).toBe(429);
			const header = answer.headers.get('retry-after') ?? '';
			expect(header).toMatch(/GMT$/);
			// 5 s after the answer, to the second (an HTTP date has no milliseconds).
			expect(Date.parse(header)).toBeGreaterThan(before + 4000);
			expect(Date.parse(header)).toBeLessThanOrEqual(after + 5000);
		});

		it('429-none sends no Retry-After', async () => {
			const answer = await faulted({ fault: '429-none' });
			expect(answer.status).toBe(429);
			expect(answer.headers.get('retry-after')).toBeNull();
		});

		it('html-error answers 502 with an HTML page', async () => {
			const answer = await faulted({ fault: 'html-error' });
			expect(answer.status).toBe(502);
			expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
			expect(answer.text).toMatch(/<html>[\s\S]*at .*\.js:\d+:\d+/);
		});

		it('reset drops the connection without an answer', async () => {
			emu.injectFaults({ fault: 'reset', on: 'flux' });
			const answer = await rawPost(emu, FLUX, { prompt: 'reset me' });
			expect(answer.status).toBeUndefined();
			expect(answer.error?.code).toMatch(/ECONNRESET|ECONNABORTED|EPIPE/);
			await expect(post(emu, FLUX, { prompt: 'after reset' })).resolves.toMatchObject({ status: 200 });
			const entry = emu.requests.find((r) => r.body && (r.body as { prompt?: string }).prompt === 'reset me');
			expect(entry).toMatchObject({ fault: 'reset', status: null });
		});

		it('hang never answers', async () => {
			emu.injectFaults({ fault: 'hang' });
			const answer = await rawPost(emu, FLUX, { prompt: 'hang' }, 300);
			expect(answer.timedOut).toBe(true);
			expect(answer.status).toBeUndefined();
		});

		it('slow answers normally after delayMs', async () => {
			emu.injectFaults({ fault: 'slow', delayMs: 200 });
			const started = Date.now();
			const answer = await post(emu, FLUX, { prompt: 'slow' });
			expect(Date.now() - started).toBeGreaterThanOrEqual(190);
			expect(answer.status).toBe(200);
			expect(answer.json.status).toBe('complete');
		});

		it('malformed-json answers 200 with JSON cut in the middle', async () => {
			const answer = await faulted({ fault: 'malformed-json' });
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			expect(answer.text.startsWith('{"id":"gen_')).toBe(true);
			expect(() => JSON.parse(answer.text)).toThrow();
		});

		it('wrong-shape answers 200 without images, or with images not an array', async () => {
			const missing = await faulted({ fault: 'wrong-shape' });
			expect(missing.status).toBe(200);
			expect(missing.json.images).toBeUndefined();
			expect(missing.json.status).toBe('complete');
			const notArray = await faulted({ fault: 'wrong-shape', variant: 'not-array' }, MIDJOURNEY);
			expect(notArray.json.images).toBeDefined();
			expect(Array.isArray(notArray.json.images)).toBe(false);
		});

		it('not-complete answers a processing Flux job with its id, and a failed Midjourney job', async () => {
			const flux = await faulted({ fault: 'not-complete' });
			expect(flux.status).toBe(200);
			expect(flux.json).toMatchObject({ status: 'processing', id: expect.stringMatching(/^gen_/) });
			const mj = await faulted({ fault: 'not-complete' }, MIDJOURNEY);
			expect(mj.json.status).toBe('failed');
			expect(mj.json.error.message).toEqual(expect.any(String));
		});

		it('empty-images answers 200 with images: []', async () => {
			const answer = await faulted({ fault: 'empty-images' }, MIDJOURNEY);
			expect(answer.json).toMatchObject({ status: 'success', images: [] });
		});

		it('image-bad-scheme answers a file:// image URL', async () => {
			const answer = await faulted({ fault: 'image-bad-scheme' });
			expect(answer.json.images[0].url).toBe('file:///etc/passwd');
		});

		it('image-on-api-origin answers image URLs on the API origin, which serves them', async () => {
			const answer = await faulted({ fault: 'image-on-api-origin' }, MIDJOURNEY);
			const url: string = answer.json.images[0].url;
			expect(url.startsWith(`${emu.baseUrl}/images-from-api/`)).toBe(true);
			const { res, bytes } = await download(url);
			expect(res.status).toBe(200);
			expect(decodePngInfo(bytes)).toMatchObject({ width: 512, height: 512 });
		});

		it('queued faults follow on, times and order; "always" lasts until resetFaults', async () => {
			emu.injectFaults([
				{ fault: '503', on: 'midjourney', times: 2 },
				{ fault: '500', on: 'generate' },
			]);
			expect((await post(emu, FLUX, { prompt: 'q' })).status).toBe(500);
			expect((await post(emu, FLUX, { prompt: 'q' })).status).toBe(200);
			expect((await post(emu, MIDJOURNEY, { prompt: 'q' })).status).toBe(503);
			expect((await post(emu, MIDJOURNEY, { prompt: 'q' })).status).toBe(503);
			expect((await post(emu, MIDJOURNEY, { prompt: 'q' })).status).toBe(200);

			emu.injectFaults({ fault: '502', times: Infinity });
			for (let i = 0; i < 3; i++) expect((await post(emu, FLUX, { prompt: 'q' })).status).toBe(502);
			expect(emu.pendingFaults()).toEqual([{ fault: '502', on: 'any', times: -1 }]);
			emu.resetFaults();
			expect((await post(emu, FLUX, { prompt: 'q' })).status).toBe(200);
		});

		it('does not use a fault up on a request refused earlier (auth, validation)', async () => {
			emu.injectFaults({ fault: '503' });
			expect((await post(emu, FLUX, {})).status).toBe(422);
			expect((await post(emu, FLUX, { prompt: 'x' }, { authorization: 'Bearer bad', 'content-type': 'application/json' })).status).toBe(401);
			expect((await post(emu, FLUX, { prompt: 'x' })).status).toBe(503);
		});

		it('rejects unknown faults and impossible targets', () => {
			expect(() => emu.injectFaults({ fault: 'nope' as never })).toThrow(/Unknown fault "nope"/);
			expect(() => emu.injectFaults({ fault: 'image-404', on: 'flux' })).toThrow(/image/);
			expect(() => emu.injectFaults({ fault: '503', on: 'image' })).toThrow(/generate/);
			expect(() => emu.injectFaults({ fault: '503', times: 0 })).toThrow(/times/);
			expect(emu.pendingFaults()).toEqual([]);
		});

		it('logs the fault name', async () => {
			emu.clearLog();
			await faulted({ fault: '502' });
			expect(emu.requests[0]).toMatchObject({ fault: '502', status: 502 });
		});
	});

	describe('faults whose outcome the client cannot know, and generations performed', () => {
		beforeEach(() => emu.clearLog());

		function onlyEntry() {
			expect(emu.requests).toHaveLength(1);
			return emu.requests[0];
		}

		async function waitUntil(condition: () => boolean, what: string): Promise<void> {
			const started = Date.now();
			while (!condition()) {
				if (Date.now() - started > 5000) throw new Error(`waited 5 s for ${what}`);
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
		}

		async function waitForGenerations(count: number): Promise<void> {
			await waitUntil(() => emu.stats().generations.performed >= count, `${count} generation(s)`);
		}

		it('counts a normal generation as performed, apart from requests; refusals and errors perform none', async () => {
			const answer = await post(emu, MIDJOURNEY, { prompt: 'counted', num_outputs: 3, width: 64, height: 64 });
			expect(answer.status).toBe(200);
			expect((await post(emu, FLUX, {})).status).toBe(422);
			expect((await post(emu, FLUX, { prompt: 'explicit gore' })).status).toBe(400);
			emu.injectFaults([{ fault: '503' }, { fault: '500' }, { fault: '429' }, { fault: 'reset' }]);
			for (let i = 0; i < 4; i++) await rawPost(emu, FLUX, { prompt: 'not generated' });
			expect(emu.stats().generations).toEqual({ performed: 1, images: 3 });
			expect(emu.stats().api.count).toBe(7);
			expect(emu.requests.map((entry) => entry.generation === null)).toEqual([false, true, true, true, true, true, true]);
			expect(emu.requests[0].generation).toEqual({ id: null, images: 3, at: expect.any(Number) });
		});

		it('a Flux generation records its id', async () => {
			const answer = await post(emu, FLUX, { prompt: 'with an id' });
			expect(onlyEntry().generation).toMatchObject({ id: answer.json.id, images: 1 });
		});

		it('ok-cut: 200 with the full Content-Length, half the JSON, then the socket goes; performed', async () => {
			emu.injectFaults({ fault: 'ok-cut' });
			const answer = await rawPost(emu, FLUX, { prompt: 'cut' });
			expect(answer.status).toBe(200);
			expect(answer.complete).toBe(false);
			const promised = Number(answer.headers?.['content-length']);
			expect(answer.body.length).toBe(Math.floor(promised / 2));
			expect(answer.body.toString().startsWith('{"id":"gen_')).toBe(true);
			expect(onlyEntry()).toMatchObject({ fault: 'ok-cut', status: 200, completed: false, generation: { images: 1 } });
			expect(emu.stats().generations.performed).toBe(1);
		});

		it('slow-generation: performed at the end of delayMs even though the client left', async () => {
			emu.injectFaults({ fault: 'slow-generation', delayMs: 400 });
			const answer = await rawPost(emu, FLUX, { prompt: 'slow' }, 100);
			expect(answer.timedOut).toBe(true);
			expect(emu.stats().generations.performed).toBe(0);
			await waitForGenerations(1);
			const entry = onlyEntry();
			expect(entry).toMatchObject({ fault: 'slow-generation', status: null, generation: { images: 1 } });
			expect(entry.generation!.at - entry.startedAt).toBeGreaterThanOrEqual(390);
		});

		it('slow-generation answers normally when the client waits', async () => {
			emu.injectFaults({ fault: 'slow-generation', delayMs: 150 });
			const answer = await post(emu, FLUX, { prompt: 'slow but waited for' });
			expect(answer.status).toBe(200);
			expect(answer.json.status).toBe('complete');
			expect(emu.stats().generations.performed).toBe(1);
		});

		it('504: a gateway timeout (JSON, or an HTML page), the generation performed', async () => {
			emu.injectFaults([{ fault: '504' }, { fault: '504', variant: 'html' }]);
			const json = await post(emu, FLUX, { prompt: 'gateway' });
			expect(json.status).toBe(504);
			expect(json.json.error.code).toBe('gateway_timeout');
			const html = await post(emu, FLUX, { prompt: 'gateway' });
			expect(html.status).toBe(504);
			expect(html.headers.get('content-type')).toMatch(/^text\/html/);
			expect(emu.stats().generations.performed).toBe(2);
		});

		it('json-huge: a valid JSON answer of sizeMb MB, performed', async () => {
			emu.injectFaults({ fault: 'json-huge', sizeMb: 2 });
			const answer = await post(emu, MIDJOURNEY, { prompt: 'huge', width: 64, height: 64 });
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			expect(Buffer.byteLength(answer.text)).toBe(2 * 1024 * 1024);
			expect(answer.json).toMatchObject({ status: 'success', images: [{ url: expect.any(String) }] });
			expect(emu.stats().generations.performed).toBe(1);
		});

		it('json-huge defaults to 8 MB', async () => {
			emu.injectFaults({ fault: 'json-huge' });
			const answer = await rawPost(emu, FLUX, { prompt: 'huge' });
			expect(answer.body.length).toBe(8 * 1024 * 1024);
		});

		it('redirect-post to another origin: 307 to the image origin, same path; nothing generated', async () => {
			emu.injectFaults({ fault: 'redirect-post' });
			const answer = await rawPost(emu, FLUX, { prompt: 'moved' });
			expect(answer.status).toBe(307);
			expect(answer.headers?.location).toBe(`${emu.imageBaseUrl}${FLUX}`);
			expect(onlyEntry()).toMatchObject({ fault: 'redirect-post', status: 307, generation: null });
		});

		it('redirect-post to a subdomain of the host the client named (308 when asked)', async () => {
			emu.injectFaults([
				{ fault: 'redirect-post', target: 'subdomain', status: 308 },
				{ fault: 'redirect-post', target: 'subdomain', label: 'attacker' },
			]);
			const port = new URL(emu.baseUrl).port;
			const byName = await rawRequest('POST', emu.baseUrl + FLUX, {
				headers: { ...authHeaders(emu), host: `api.pomelo.test:${port}` },
				body: JSON.stringify({ prompt: 'moved' }),
			});
			expect(byName.status).toBe(308);
			expect(byName.headers?.location).toBe(`http://sub.api.pomelo.test:${port}${FLUX}`);
			const byIp = await rawPost(emu, FLUX, { prompt: 'moved' });
			expect(byIp.headers?.location).toBe(`http://attacker.localhost:${port}${FLUX}`);
		});

		it('redirect-post loop: to itself, every time while the fault lasts', async () => {
			emu.injectFaults({ fault: 'redirect-post', target: 'loop', times: -1 });
			for (let i = 0; i < 3; i++) {
				const answer = await rawPost(emu, FLUX, { prompt: 'round and round' });
				expect([answer.status, answer.headers?.location]).toEqual([307, FLUX]);
			}
		});

		it('a queued redirect-post redirects before auth and validation, as a gateway would', async () => {
			emu.injectFaults({ fault: 'redirect-post', times: 2 });
			const noKey = await rawRequest('POST', emu.baseUrl + FLUX, {
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ prompt: '' }),
			});
			expect(noKey.status).toBe(307);
			const invalid = await rawPost(emu, FLUX, { prompt: '' });
			expect(invalid.status).toBe(307);
			expect(emu.requests.map((entry) => [entry.fault, entry.body])).toEqual([
				['redirect-post', { prompt: '' }],
				['redirect-post', { prompt: '' }],
			]);
		});

		it('redirect-post refuses an unknown target or a status that is not a redirect', () => {
			expect(() => emu.injectFaults({ fault: 'redirect-post', target: 'elsewhere' as never })).toThrow(/target/);
			expect(() => emu.injectFaults({ fault: 'redirect-post', status: 200 })).toThrow(/status/);
			expect(emu.pendingFaults()).toEqual([]);
		});

		it('extra-images lists count images whatever num_outputs says, and serves them', async () => {
			emu.injectFaults([{ fault: 'extra-images', count: 12 }, { fault: 'extra-images' }]);
			const answer = await post(emu, MIDJOURNEY, { prompt: 'many', num_outputs: 1, width: 64, height: 64 });
			expect(answer.json.images).toHaveLength(12);
			expect(new Set(answer.json.images.map((image: { url: string }) => image.url)).size).toBe(12);
			const { res, bytes } = await download(answer.json.images[11].url);
			expect(res.status).toBe(200);
			expect(decodePngInfo(bytes)).toMatchObject({ width: 64, height: 64 });
			const flux = await post(emu, FLUX, { prompt: 'many' });
			expect(flux.json.images).toHaveLength(1000);
			expect(emu.stats().generations).toEqual({ performed: 2, images: 1012 });
		});

		it('trickle: status and headers at once, then the body one byte per intervalMs', async () => {
			emu.injectFaults({ fault: 'trickle', intervalMs: 100 });
			const started = Date.now();
			let headersAfter = -1;
			const req = http.request(emu.baseUrl + FLUX, { method: 'POST', headers: authHeaders(emu), agent: false });
			const answer = new Promise<{ status?: number; bytes: number }>((resolve) => {
				req.on('response', (res) => {
					headersAfter = Date.now() - started;
					let bytes = 0;
					res.on('data', (chunk: Buffer) => (bytes += chunk.length));
					// Three intervals after the headers, about three bytes have come: then leave.
					setTimeout(() => {
						resolve({ status: res.statusCode, bytes });
						req.destroy();
					}, 350);
				});
			});
			req.end(JSON.stringify({ prompt: 'drip' }));
			const { status, bytes } = await answer;
			expect(status).toBe(200);
			expect(headersAfter).toBeLessThan(100);
			expect(bytes).toBeGreaterThanOrEqual(2);
			expect(bytes).toBeLessThanOrEqual(4);
			expect(emu.stats().generations.performed).toBe(1);
		});

		it('trickle runs to a complete, valid answer', async () => {
			emu.injectFaults({ fault: 'trickle', intervalMs: 1 });
			const answer = await post(emu, FLUX, { prompt: 'drip' });
			expect(answer.json.status).toBe('complete');
			expect(onlyEntry()).toMatchObject({ status: 200, completed: true });
		});

		it('trickle with headers: true trickles the status line and headers too', async () => {
			emu.injectFaults({ fault: 'trickle', intervalMs: 1, headers: true });
			const answer = await rawPost(emu, FLUX, { prompt: 'drip' });
			expect(answer.status).toBe(200);
			expect(answer.headers?.['content-type']).toMatch(/^application\/json/);
			expect(JSON.parse(answer.body.toString())).toMatchObject({ status: 'complete' });
			await waitUntil(() => emu.requests[0].endedAt !== null, 'the server to log the end of the answer');
			expect(onlyEntry()).toMatchObject({ fault: 'trickle', status: 200, completed: true });

			// At 100 ms a byte, the head (over 100 bytes) has not arrived after half a second.
			emu.injectFaults({ fault: 'trickle', intervalMs: 100, headers: true });
			const req = http.request(emu.baseUrl + FLUX, { method: 'POST', headers: authHeaders(emu), agent: false });
			let responded = false;
			req.on('response', () => (responded = true));
			req.on('error', () => {});
			req.end(JSON.stringify({ prompt: 'drip' }));
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(responded).toBe(false);
			req.destroy();
		});

		it('image-url: every image URL of the answer is the one given (injectFaults only: a URL has colons)', async () => {
			emu.injectFaults({ fault: 'image-url', url: 'http://127.0.0.1:9/admin' });
			const answer = await post(emu, MIDJOURNEY, { prompt: 'anywhere', num_outputs: 2 });
			expect(answer.json.images.map((image: { url: string }) => image.url)).toEqual([
				'http://127.0.0.1:9/admin',
				'http://127.0.0.1:9/admin',
			]);
			expect(() => emu.injectFaults({ fault: 'image-url' })).toThrow(/url/);
		});

		it('echo-key: the key sent comes back in each image URL, which still serves the image', async () => {
			emu.injectFaults({ fault: 'echo-key' });
			const answer = await post(emu, FLUX, { prompt: 'echo' });
			const url = new URL(answer.json.images[0].url);
			expect(url.searchParams.get('api_key')).toBe(emu.apiKey);
			const { res } = await download(url.href);
			expect(res.status).toBe(200);
		});

		it('clearLog forgets generations, and one finishing later for an earlier request is not counted', async () => {
			emu.injectFaults({ fault: 'slow-generation', delayMs: 300 });
			await rawPost(emu, FLUX, { prompt: 'left behind' }, 50);
			emu.clearLog();
			await new Promise((resolve) => setTimeout(resolve, 400));
			expect(emu.stats().generations).toEqual({ performed: 0, images: 0 });
		});

		it('/__emulator/stats reports generations', async () => {
			await post(emu, FLUX, { prompt: 'seen' });
			const res = await fetch(`${emu.baseUrl}/__emulator/stats`);
			expect((await jsonOf(res)).generations).toEqual({ performed: 1, images: 1 });
		});
	});

	describe('image faults', () => {
		async function imageUrl(prompt = 'an image'): Promise<string> {
			const answer = await post(emu, MIDJOURNEY, { prompt, width: 200, height: 100 });
			return answer.json.images[0].url;
		}

		async function faultedImage(fault: FaultSpec): Promise<{ url: string; answer: RawAnswer }> {
			const url = await imageUrl();
			emu.injectFaults(fault);
			// The client's timeout only ends image-hang; answering faults get the scheduling tolerance.
			return { url, answer: await rawRequest('GET', url, { timeoutMs: atMost(0) }) };
		}

		it('image-404 and image-500 answer those statuses', async () => {
			expect((await faultedImage({ fault: 'image-404', on: 'image' })).answer.status).toBe(404);
			expect((await faultedImage({ fault: 'image-500' })).answer.status).toBe(500);
		});

		it('image-404 with delayMs answers after that delay', async () => {
			const url = await imageUrl();
			emu.injectFaults({ fault: 'image-404', delayMs: 300 });
			const started = Date.now();
			const answer = await rawRequest('GET', url, { timeoutMs: atMost(300) });
			expect(answer.status).toBe(404);
			expect(Date.now() - started).toBeGreaterThanOrEqual(atLeast(300));
		});

		it('image-503 answers 503 with Retry-After in seconds (1 by default)', async () => {
			const byDefault = (await faultedImage({ fault: 'image-503' })).answer;
			expect(byDefault.status).toBe(503);
			expect(byDefault.headers?.['retry-after']).toBe('1');
			expect((await faultedImage({ fault: 'image-503', retryAfter: 4 })).answer.headers?.['retry-after']).toBe('4');
		});

		it('image-truncated promises the whole PNG but sends about half, then closes', async () => {
			const { url, answer } = await faultedImage({ fault: 'image-truncated' });
			expect(answer.status).toBe(200);
			expect(answer.complete).toBe(false);
			const promised = Number(answer.headers?.['content-length']);
			expect(answer.body.length).toBeLessThan(promised);
			expect(answer.body.length).toBeGreaterThan(0);
			expect(() => decodePngInfo(answer.body)).toThrow(/Invalid PNG/);
			// fetch reports it as an error too, and the next download is whole again
			emu.injectFaults({ fault: 'image-truncated' });
			await expect(download(url)).rejects.toThrow();
			const again = await download(url);
			expect(again.bytes.length).toBe(promised);
			expect(decodePngInfo(again.bytes)).toMatchObject({ width: 200, height: 100 });
		});

		it('image-wrong-type answers 200 text/html', async () => {
			const { answer } = await faultedImage({ fault: 'image-wrong-type' });
			expect(answer.status).toBe(200);
			expect(answer.headers?.['content-type']).toMatch(/^text\/html/);
			expect(answer.body.toString()).toContain('<html>');
		});

		it('image-not-png answers image/png bytes that are not a PNG', async () => {
			const { answer } = await faultedImage({ fault: 'image-not-png' });
			expect(answer.status).toBe(200);
			expect(answer.headers?.['content-type']).toBe('image/png');
			expect(isPng(answer.body)).toBe(false);
			expect(() => decodePngInfo(answer.body)).toThrow(/Invalid PNG: bad signature/);
		});

		it('image-redirect redirects on the image origin to a URL that serves the image', async () => {
			const url = await imageUrl();
			emu.injectFaults({ fault: 'image-redirect' });
			const { res, bytes } = await download(url);
			expect(res.redirected).toBe(true);
			expect(res.url.startsWith(emu.imageBaseUrl)).toBe(true);
			expect(decodePngInfo(bytes)).toMatchObject({ width: 200, height: 100 });
		});

		it('image-redirect-api redirects to the API origin, which logs the Authorization it gets', async () => {
			const url = await imageUrl();
			emu.injectFaults({ fault: 'image-redirect-api' });
			const first = await fetch(url, { redirect: 'manual' });
			expect(first.status).toBe(302);
			const location = first.headers.get('location') ?? '';
			expect(location.startsWith(`${emu.baseUrl}/images-from-api/`)).toBe(true);
			emu.clearLog();
			const { bytes } = await download(location, { headers: { authorization: 'Bearer leaked' } });
			expect(decodePngInfo(bytes)).toMatchObject({ width: 200 });
			expect(emu.requests[0]).toMatchObject({ origin: 'api', status: 200 });
			expect(emu.requests[0].headers.authorization).toBe('Bearer leaked');
		});

		it('image-oversized streams a 60 MB body with its Content-Length', async () => {
			const url = await imageUrl();
			emu.injectFaults({ fault: 'image-oversized' });
			const res = await fetch(url);
			expect(res.status).toBe(200);
			expect(Number(res.headers.get('content-length'))).toBe(60 * 1024 * 1024);
			const reader = res.body!.getReader();
			const first = await reader.read();
			expect(isPng(Buffer.from(first.value!))).toBe(true);
			await reader.cancel();

			emu.injectFaults({ fault: 'image-oversized', sizeBytes: 300_000 });
			const small = await download(url);
			expect(small.bytes.length).toBe(300_000);
		});

		it('image-slow answers after delayMs; image-hang never answers', async () => {
			const url = await imageUrl();
			emu.injectFaults({ fault: 'image-slow', delayMs: 150 });
			const started = Date.now();
			const { bytes } = await download(url);
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
			expect(isPng(bytes)).toBe(true);

			emu.injectFaults({ fault: 'image-hang' });
			const hung = await rawRequest('GET', url, { timeoutMs: 200 });
			expect(hung.timedOut).toBe(true);
		});
	});

	describe('prompt directives', () => {
		it('[fault:NAME] fails every attempt', async () => {
			for (let i = 0; i < 3; i++) {
				const answer = await post(emu, FLUX, { prompt: 'always [fault:500]' });
				expect(answer.status).toBe(500);
			}
		});

		it('[fault:NAME*N] fails the first N attempts of that prompt, then succeeds', async () => {
			const prompt = `recover ${Date.now()} [fault:503*2]`;
			expect((await post(emu, FLUX, { prompt })).status).toBe(503);
			expect((await post(emu, FLUX, { prompt: 'another prompt' })).status).toBe(200);
			expect((await post(emu, FLUX, { prompt })).status).toBe(503);
			const third = await post(emu, FLUX, { prompt });
			expect(third.status).toBe(200);
			expect(third.json.prompt).toBe(prompt);
		});

		it('takes arguments, and mixes good and bad items in one batch', async () => {
			const answers = await Promise.all([
				post(emu, FLUX, { prompt: 'fine' }),
				post(emu, FLUX, { prompt: 'limited [fault:429:retry-after=2]' }),
				post(emu, MIDJOURNEY, { prompt: 'refused [fault:moderation]' }),
			]);
			expect(answers.map((a) => a.status)).toEqual([200, 429, 400]);
			expect(answers[1].headers.get('retry-after')).toBe('2');
		});

		it('chains directives: the first one still active wins', async () => {
			const prompt = `chain ${Date.now()} [fault:503*1][fault:429*2]`;
			const statuses = [];
			for (let i = 0; i < 3; i++) statuses.push((await post(emu, FLUX, { prompt })).status);
			expect(statuses).toEqual([503, 429, 200]);
		});

		it('image directives apply to the downloads of the images made', async () => {
			const answer = await post(emu, MIDJOURNEY, { prompt: `pic ${Date.now()} [fault:image-500*1]`, num_outputs: 2 });
			expect(answer.status).toBe(200);
			const [a, b] = answer.json.images.map((i: { url: string }) => i.url);
			emu.clearLog();
			expect((await fetch(a)).status).toBe(500);
			expect((await fetch(a)).status).toBe(200);
			expect((await fetch(b)).status).toBe(500);
			expect(emu.requests.map((r) => r.fault)).toEqual(['image-500', null, 'image-500']);
		});

		it('an unknown directive is a loud error', async () => {
			const answer = await post(emu, FLUX, { prompt: 'typo [fault:5003]' });
			expect(answer.status).toBe(400);
			expect(answer.json.error.code).toBe('emulator_unknown_fault');
		});

		it('resetFaults restarts the attempt counts', async () => {
			const prompt = 'counted [fault:500*1]';
			expect((await post(emu, FLUX, { prompt })).status).toBe(500);
			expect((await post(emu, FLUX, { prompt })).status).toBe(200);
			emu.resetFaults();
			expect((await post(emu, FLUX, { prompt })).status).toBe(500);
		});
	});

	describe('admin routes', () => {
		async function admin(method: string, path: string, body?: unknown) {
			const res = await fetch(`${emu.baseUrl}/__emulator/${path}`, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: res.status, json: await jsonOf(res) };
		}

		it('injects, lists and drops faults', async () => {
			const injected = await admin('POST', 'faults', { faults: [{ fault: '503', on: 'flux', times: 2 }, { fault: '500', times: -1 }] });
			expect(injected.status).toBe(200);
			expect(injected.json.queued).toBe(2);
			expect((await post(emu, FLUX, { prompt: 'x' })).status).toBe(503);
			expect((await admin('GET', 'faults')).json.faults).toEqual([
				{ fault: '503', on: 'flux', times: 1 },
				{ fault: '500', on: 'any', times: -1 },
			]);
			expect((await admin('DELETE', 'faults')).status).toBe(200);
			expect((await post(emu, FLUX, { prompt: 'x' })).status).toBe(200);
		});

		it('refuses a bad fault with 400', async () => {
			const answer = await admin('POST', 'faults', { faults: [{ fault: 'bogus' }] });
			expect(answer.status).toBe(400);
			expect(answer.json.error.message).toMatch(/Unknown fault/);
		});

		it('shows the log and stats, without logging itself', async () => {
			await admin('POST', 'reset');
			await post(emu, FLUX, { prompt: 'seen' });
			const log = await admin('GET', 'requests');
			expect(log.json.requests).toHaveLength(1);
			expect(log.json.requests[0]).toMatchObject({ origin: 'api', path: FLUX, status: 200 });
			const stats = await admin('GET', 'stats');
			expect(stats.json.api.count).toBe(1);
			expect(emu.requests).toHaveLength(1);
		});

		it('sets latency', async () => {
			const answer = await admin('POST', 'latency', { latencyMs: 120, imageLatencyMs: 0 });
			expect(answer.json).toEqual({ latencyMs: 120, imageLatencyMs: 0 });
			const started = Date.now();
			await post(emu, FLUX, { prompt: 'x' });
			expect(Date.now() - started).toBeGreaterThanOrEqual(110);
			expect((await admin('POST', 'latency', { latencyMs: -1 })).status).toBe(400);
		});

		it('reset clears faults and the log', async () => {
			emu.injectFaults({ fault: '503', times: -1 });
			await post(emu, FLUX, { prompt: 'x' });
			await admin('POST', 'reset');
			expect(emu.requests).toHaveLength(0);
			expect(emu.stats().api.count).toBe(0);
			expect((await post(emu, FLUX, { prompt: 'x' })).status).toBe(200);
		});
	});

	it('lists every fault name', () => {
		expect([...FAULT_NAMES].sort()).toEqual(
			[
				'401', '403', '422', 'moderation', '429', '429-date', '429-none', '500', '502', '503', 'html-error',
				'reset', 'hang', 'slow', 'malformed-json', 'wrong-shape', 'not-complete', 'empty-images',
				'image-bad-scheme', 'image-on-api-origin', 'image-404', 'image-500', 'image-503', 'image-truncated',
				'image-wrong-type', 'image-not-png', 'image-redirect', 'image-redirect-api', 'image-oversized',
				'image-slow', 'image-hang', 'ok-cut', 'slow-generation', '504', 'json-huge', 'redirect-post',
				'extra-images', 'trickle', 'image-url', 'echo-key',
			].sort(),
		);
	});
});

describe('emulator options and close()', () => {
	it('forces the image size and noise for benchmarks', async () => {
		const emu = await startEmulator({ noiseImages: true, imageSize: { width: 1200, height: 1200 } });
		try {
			const answer = await post(emu, FLUX, { prompt: 'big', aspect_ratio: '16:9' });
			expect(answer.json.images[0]).toMatchObject({ width: 1200, height: 1200 });
			const { bytes } = await download(answer.json.images[0].url);
			expect(bytes.length).toBeGreaterThan(4_300_000);
			expect(decodePngInfo(bytes)).toMatchObject({ width: 1200, height: 1200 });
		} finally {
			await emu.close();
		}
	});

	it('uses flux.longSide', async () => {
		const emu = await startEmulator({ flux: { longSide: 512 } });
		try {
			const answer = await post(emu, FLUX, { prompt: 'small', aspect_ratio: '16:9' });
			expect(answer.json.images[0]).toMatchObject({ width: 512, height: 288 });
		} finally {
			await emu.close();
		}
	});

	it('closes promptly with a hung request and keep-alive sockets open', async () => {
		const emu = await startEmulator({ apiKey: 'k2' });
		await post(emu, FLUX, { prompt: 'keep-alive' }); // leaves a pooled keep-alive socket behind
		emu.injectFaults({ fault: 'hang' });
		const hung = rawPost(emu, FLUX, { prompt: 'hang' }, 5000);
		while (emu.stats().api.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
		await emu.close();
		const answer = await hung;
		// Closed by the server, before the client's own 5 s timeout.
		expect(answer.timedOut).toBe(false);
		expect(answer.error).toBeDefined();
		expect(emu.stats().api.inFlight).toBe(0);
	});
});

describe('command line', () => {
	it('prints both origins and the key, serves, and exits cleanly on SIGTERM', async () => {
		const child = spawn(process.execPath, [join(__dirname, '..', 'emulator', 'cli.js'), '--port', '0', '--image-port=0', '--key', 'cli-key'], {
			env: { ...process.env, POMELO_EMULATOR_LATENCY_MS: '0' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const [line] = (await once(child.stdout!, 'data')) as [Buffer];
			const match = /api (http:\/\/127\.0\.0\.1:\d+) images (http:\/\/127\.0\.0\.1:\d+) key cli-key/.exec(line.toString());
			expect(match).not.toBeNull();
			const answer = await fetch(`${match![1]}${FLUX}`, {
				method: 'POST',
				headers: { authorization: 'Bearer cli-key', 'content-type': 'application/json' },
				body: '{}',
			});
			expect(answer.status).toBe(422);
		} finally {
			child.kill('SIGTERM');
		}
		const [code] = await once(child, 'exit');
		expect(code).toBe(0);
	});
});

describe('PNG helpers', () => {
	const valid = encodePng({ width: 40, height: 30, seed: 'x' });

	it('encodes deterministic RGB PNGs', () => {
		expect(decodePngInfo(valid)).toEqual({ width: 40, height: 30, bitDepth: 8, colorType: 2 });
		expect(encodePng({ width: 40, height: 30, seed: 'x' }).equals(valid)).toBe(true);
		expect(encodePng({ width: 40, height: 30, seed: 'y' }).equals(valid)).toBe(false);
		expect(isPng(valid)).toBe(true);
		expect(isPng(Buffer.from('GIF89a..'))).toBe(false);
	});

	it('encodes noise PNGs that are valid and do not compress', () => {
		const noise = encodePng({ width: 300, height: 200, seed: 1, noise: true });
		expect(decodePngInfo(noise)).toMatchObject({ width: 300, height: 200 });
		expect(noise.length).toBeGreaterThan(300 * 200 * 3);
		expect(encodePng({ width: 300, height: 200, seed: 1, noise: true }).equals(noise)).toBe(true);
		expect(encodePng({ width: 300, height: 200, seed: 2, noise: true }).equals(noise)).toBe(false);
	});

	it('rejects a truncated PNG', () => {
		for (const length of [valid.length - 1, valid.length - 12, Math.floor(valid.length / 2), 20, 7]) {
			expect(() => decodePngInfo(valid.subarray(0, length))).toThrow(/^Invalid PNG: /);
		}
	});

	it('rejects a corrupted CRC or corrupted data', () => {
		const badCrc = Buffer.from(valid);
		badCrc[valid.length - 13] ^= 0xff; // last byte of the IDAT CRC
		expect(() => decodePngInfo(badCrc)).toThrow(/CRC mismatch in chunk IDAT/);
		const badData = Buffer.from(valid);
		badData[8 + 25 + 10] ^= 0x01; // inside the IDAT data
		expect(() => decodePngInfo(badData)).toThrow(/CRC mismatch/);
	});

	it('rejects a bad signature and bytes after IEND', () => {
		const badSignature = Buffer.from(valid);
		badSignature[1] = 0x51;
		expect(() => decodePngInfo(badSignature)).toThrow(/bad signature/);
		expect(() => decodePngInfo(Buffer.concat([valid, Buffer.from([0])]))).toThrow(/after IEND/);
	});

	it('rejects image data of the wrong size, bad filter bytes and bad chunk order', () => {
		const rows = (height: number, filter = 0) => {
			const raw = Buffer.alloc(height * (1 + 4 * 3));
			for (let y = 0; y < height; y++) raw[y * 13] = filter;
			return deflateSync(raw);
		};
		const end: [string, Buffer] = ['IEND', Buffer.alloc(0)];
		expect(decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', rows(3)], end]))).toMatchObject({ width: 4, height: 3 });
		expect(() => decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', rows(2)], end]))).toThrow(/inflates to 26 bytes, expected 39/);
		expect(() => decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', rows(4)], end]))).toThrow(/longer than/);
		expect(() => decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', rows(3, 5)], end]))).toThrow(/bad filter type 5/);
		expect(() => decodePngInfo(pngFromChunks([['IDAT', rows(3)], ['IHDR', ihdr(4, 3)], end]))).toThrow(/expected IHDR/);
		expect(() => decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', rows(3)]]))).toThrow(/missing IEND/);
		expect(() => decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3, 8, 5)], ['IDAT', rows(3)], end]))).toThrow(/colour type/);
		const split = rows(3);
		expect(
			decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', split.subarray(0, 5)], ['IDAT', split.subarray(5)], end])),
		).toMatchObject({ height: 3 });
		expect(() =>
			decodePngInfo(pngFromChunks([['IHDR', ihdr(4, 3)], ['IDAT', split.subarray(0, 5)], ['tEXt', Buffer.from('a\0b')], ['IDAT', split.subarray(5)], end])),
		).toThrow(/not consecutive/);
	});
});
