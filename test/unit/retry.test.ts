/**
 * Retry-After parsing, the bounds of every wait, and withRetries: how many attempts, which
 * failures are retried, and that a cancelled execution stops waiting at once.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readItemOptions } from '../../nodes/Pomelo/actions/image/options';
import { PomeloError, type Failure } from '../../nodes/Pomelo/helpers/pomelo-error';
import { parseRetryAfter, retryDelayMs, withRetries } from '../../nodes/Pomelo/transport/retry';
import type { TransportSettings } from '../../nodes/Pomelo/transport/settings';
import { pomeloNodeRef } from '../helpers/node-ref';
import { atMost } from '../helpers/timing';

const node = pomeloNodeRef;
const pomeloError = (failure: Failure) => new PomeloError(node, failure);

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0); // whole second: HTTP dates have no milliseconds

describe('parseRetryAfter', () => {
	test.each([
		['5', 5000],
		[' 2 ', 2000],
		['0', 0],
		['1.5', 1500],
		['120', 120_000],
		['0.25', 250],
	])('delay-seconds %j → %i ms', (value, expected) => {
		expect(parseRetryAfter(value, NOW)).toBe(expected);
	});

	test('a number and the first of repeated headers are read too', () => {
		expect(parseRetryAfter(3, NOW)).toBe(3000);
		expect(parseRetryAfter(['7', '9'], NOW)).toBe(7000);
	});

	test.each([
		['IMF-fixdate', new Date(NOW + 10_000).toUTCString()],
		['RFC 850', 'Thursday, 15-Jan-26 12:00:10 GMT'],
		['asctime', 'Thu Jan 15 12:00:10 2026'],
	])('an HTTP date (%s) → the time until then', (_form, value) => {
		expect(parseRetryAfter(value, NOW)).toBe(10_000);
	});

	// '15 Jan 2026 12:00:10 GMT' (above) is refused: an HTTP date starts with its day name (RFC 9110 §5.6.7).
	test('a date in the past means now', () => {
		expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
	});

	test.each(
		[undefined, null, '', 'soon', '-5', '12abc', '1e3', {}, [], [undefined], 'Sun, 99 Foo 2026 99:99:99 GMT', '15 Jan 2026 12:00:10 GMT'].map((value) => [value]),
	)(
		'%j is not a Retry-After value',
		(value) => {
			expect(parseRetryAfter(value, NOW)).toBeUndefined();
		},
	);
});

const settings = (overrides: Partial<TransportSettings> = {}): TransportSettings => ({
	timeoutMs: 1000,
	maxRetries: 3,
	maxRetryWaitMs: 60_000,
	maxImageBytes: 1024,
	retryUnknownOutcome: false,
	allowPrivateImageHosts: false,
	...overrides,
});

const serverFailure: Failure = { errorClass: 'server', retryable: true, message: 'HTTP 503' };
const serverError = pomeloError(serverFailure);

describe('retryDelayMs', () => {
	afterEach(() => jest.restoreAllMocks());

	const rateLimited = (retryAfterMs: number) => pomeloError({ ...serverFailure, errorClass: 'rate_limit', retryAfterMs });

	test('Retry-After is honoured: never less, with jitter of up to 20 % or 1 s more', () => {
		jest.spyOn(Math, 'random').mockReturnValue(0);
		expect(retryDelayMs(rateLimited(5000), 0, settings())).toBe(5000);
		expect(retryDelayMs(rateLimited(0), 2, settings())).toBe(0);
		jest.spyOn(Math, 'random').mockReturnValue(0.999_999_9);
		expect(retryDelayMs(rateLimited(5000), 0, settings())).toBe(6000);
		expect(retryDelayMs(rateLimited(2000), 0, settings())).toBe(2400);
		expect(retryDelayMs(rateLimited(0), 0, settings())).toBe(0);
	});

	test('a Retry-After wait with its jitter stays within Max Retry Wait', () => {
		jest.spyOn(Math, 'random').mockReturnValue(0.999_999_9);
		expect(retryDelayMs(rateLimited(5000), 0, settings({ maxRetryWaitMs: 5000 }))).toBe(5000);
	});

	test('sampled Retry-After waits are spread, never early', () => {
		const waits = Array.from({ length: 200 }, () => retryDelayMs(rateLimited(3000), 0, settings()));
		for (const wait of waits) {
			expect(wait).toBeGreaterThanOrEqual(3000);
			expect(wait).toBeLessThanOrEqual(3600);
		}
		expect(new Set(waits).size).toBeGreaterThan(10);
	});

	test('without Retry-After: full jitter up to 0.5 s × 2^attempt, capped by Max Retry Wait', () => {
		for (const [attempt, ceiling] of [
			[0, 500],
			[1, 1000],
			[2, 2000],
			[5, 16_000],
			[10, 60_000],
		]) {
			jest.spyOn(Math, 'random').mockReturnValue(0);
			expect(retryDelayMs(serverError, attempt, settings())).toBe(0);
			jest.spyOn(Math, 'random').mockReturnValue(0.999_999_9);
			expect(retryDelayMs(serverError, attempt, settings())).toBe(ceiling);
		}
		jest.spyOn(Math, 'random').mockReturnValue(0.999_999_9);
		expect(retryDelayMs(serverError, 4, settings({ maxRetryWaitMs: 1500 }))).toBe(1500);
	});

	test('every sampled wait stays within its bounds', () => {
		for (let attempt = 0; attempt < 8; attempt++) {
			const ceiling = Math.min(2000, 500 * 2 ** attempt);
			for (let sample = 0; sample < 200; sample++) {
				const wait = retryDelayMs(serverError, attempt, settings({ maxRetryWaitMs: 2000 }));
				expect(wait).toBeGreaterThanOrEqual(0);
				expect(wait).toBeLessThanOrEqual(ceiling);
			}
		}
	});
});

/** readItemOptions on an item whose "Options" collection holds `options`. */
function itemOptions(options: IDataObject) {
	const context = {
		getNode: () => node,
		getNodeParameter: (name: string) => (name === 'options' ? options : undefined),
	} as unknown as IExecuteFunctions;
	return readItemOptions(context, 0);
}

describe('the Options of an item', () => {
	// README, "Options": Request Timeout 300 s, Max Retries 3, Max Retry Wait 60 s, Max Image Size 50 MB.
	test('defaults: 300 s timeout, 3 retries, 60 s max wait, 50 MB images', () => {
		expect(itemOptions({}).transport).toEqual({
			timeoutMs: 300_000,
			maxRetries: 3,
			maxRetryWaitMs: 60_000,
			maxImageBytes: 50 * 1024 * 1024,
			retryUnknownOutcome: false,
			allowPrivateImageHosts: false,
		});
	});

	test('values set by expression are clamped to the limits the options declare (README: at most 3600 s)', () => {
		expect(itemOptions({ requestTimeout: 2_200_000, maxRetryWait: 1e9, maxRetries: 99, concurrency: 0 })).toMatchObject({
			transport: { timeoutMs: 3_600_000, maxRetryWaitMs: 3_600_000, maxRetries: 10 },
			concurrency: 1,
		});
		expect(itemOptions({ requestTimeout: -5, maxImagesPerExecution: -1 })).toMatchObject({
			transport: { timeoutMs: 1000 },
			maxImagesPerExecution: 0,
		});
		expect(itemOptions({ requestTimeout: '20' }).transport.timeoutMs).toBe(20_000);
	});

	test.each([
		['requestTimeout', 'soon', 'Item 0: "Request Timeout (Seconds)" (requestTimeout) must be a number; got "soon"'],
		['maxRetries', Number.NaN, 'Item 0: "Max Retries" (maxRetries) must be a number; got NaN'],
		['maxImagesPerExecution', { n: 1 }, 'Item 0: "Max Images per Execution" (maxImagesPerExecution) must be a number; got an object'],
	])('%s = %j is an input error naming the option', (name, value, message) => {
		const thrown = (() => {
			try {
				itemOptions({ [name]: value });
			} catch (error) {
				return error;
			}
			return undefined;
		})();
		expect(thrown).toMatchObject({ errorClass: 'input', message });
	});

	test('options are read in their units; whole-number options are whole', () => {
		expect(itemOptions({ requestTimeout: 2, maxRetries: 0, maxRetryWait: 0.5, maxImageSizeMb: 1 }).transport).toMatchObject({
			timeoutMs: 2000,
			maxRetries: 0,
			maxRetryWaitMs: 500,
			maxImageBytes: 1024 * 1024,
		});
		expect(itemOptions({ maxRetries: 2.7 }).transport.maxRetries).toBe(2);
	});
})

describe('withRetries', () => {
	function fakeContext(signal?: AbortSignal) {
		const debug: string[] = [];
		const context = {
			getExecutionCancelSignal: () => signal,
			getNode: () => node,
			logger: { debug: (message: string) => debug.push(message) },
		} as unknown as IExecuteFunctions;
		return { context, debug };
	}

	const fast = settings({ maxRetryWaitMs: 5 });

	test('a success needs one attempt', async () => {
		const { context } = fakeContext();
		const attempt = jest.fn(async () => 'done');
		await expect(withRetries(context, fast, 'Thing', attempt, () => serverError)).resolves.toBe('done');
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('transient failures are retried until one succeeds', async () => {
		const { context, debug } = fakeContext();
		let calls = 0;
		const result = await withRetries(
			context,
			fast,
			'Thing',
			async (attemptNumber) => {
				expect(attemptNumber).toBe(calls);
				calls++;
				if (calls < 3) throw pomeloError({ ...serverFailure, httpStatus: 503 });
				return 'done';
			},
			() => serverError,
		);
		expect(result).toBe('done');
		expect(calls).toBe(3);
		expect(debug).toEqual([
			expect.stringMatching(/^Pomelo: Thing failed \(server 503\); retry 1\/3 in \d ms$/),
			expect.stringMatching(/^Pomelo: Thing failed \(server 503\); retry 2\/3 in \d ms$/),
		]);
	});

	test.each([
		[0, 'Service down.'],
		[1, 'Service down. Gave up after 2 attempts.'],
		[3, 'Service down. Gave up after 4 attempts.'],
		[5, 'Service down. Gave up after 6 attempts.'],
	])('maxRetries %i: exactly maxRetries + 1 attempts, then the last failure', async (maxRetries, description) => {
		const { context } = fakeContext();
		const attempt = jest.fn(async () => {
			throw pomeloError({ ...serverFailure, description: 'Service down.' });
		});
		const outcome = withRetries(context, { ...fast, maxRetries }, 'Thing', attempt, () => serverError);
		await expect(outcome).rejects.toBeInstanceOf(PomeloError);
		const failure = await outcome.catch((error: PomeloError) => error);
		expect(attempt).toHaveBeenCalledTimes(maxRetries + 1);
		expect(failure.description).toBe(description);
	});

	test.each(['authentication', 'invalid_request', 'moderation', 'invalid_response', 'generation_failed'] as const)(
		'a %s refusal is never retried',
		async (errorClass) => {
			const { context } = fakeContext();
			const attempt = jest.fn(async () => {
				throw pomeloError({ errorClass, message: 'No.' });
			});
			await expect(withRetries(context, fast, 'Thing', attempt, () => serverError)).rejects.toMatchObject({
				errorClass,
				message: 'No.',
			});
			expect(attempt).toHaveBeenCalledTimes(1);
		},
	);

	test('other errors are classified by toError', async () => {
		const { context } = fakeContext();
		const attempt = jest.fn(async () => {
			throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		});
		const toError = jest.fn(() => pomeloError({ errorClass: 'network', retryable: true, message: 'reset' }));
		await expect(withRetries(context, { ...fast, maxRetries: 2 }, 'Thing', attempt, toError)).rejects.toMatchObject({
			errorClass: 'network',
		});
		expect(attempt).toHaveBeenCalledTimes(3);
		expect(toError).toHaveBeenCalledTimes(3);
	});

	test('a Retry-After longer than Max Retry Wait is not waited for nor retried early: the error says when', async () => {
		const { context } = fakeContext();
		const attempt = jest.fn(async () => {
			throw pomeloError({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 3_600_000, message: 'Pomelo rate limit reached (HTTP 429)' });
		});
		const outcome = withRetries(context, settings({ maxRetryWaitMs: 60_000 }), 'Thing', attempt, () => serverError);
		await expect(outcome).rejects.toMatchObject({ errorClass: 'rate_limit' });
		const error = await outcome.catch((caught: PomeloError) => caught);
		expect(error.message).toMatch(/^Pomelo rate limit reached \(HTTP 429\)\. Pomelo asks to try again in 3600 s \(after \d{4}-.*Z\)$/);
		expect(error.description).toBe('That is longer than "Max Retry Wait" (60 s), so the node did not wait.');
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('a Retry-After equal to Max Retry Wait is waited for', async () => {
		const { context } = fakeContext();
		let calls = 0;
		const result = await withRetries(
			context,
			fast,
			'Thing',
			async () => {
				calls++;
				if (calls === 1) throw pomeloError({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 5, message: '429' });
				return 'done';
			},
			() => serverError,
		);
		expect(result).toBe('done');
		expect(calls).toBe(2);
	});

	test('the error says at what time to try again, and waits under a second in ms', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(NOW);
		try {
			const { context } = fakeContext();
			const outcome = withRetries(
				context,
				settings({ maxRetryWaitMs: 500 }),
				'Thing',
				async () => {
					throw pomeloError({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 1500, message: 'Pomelo rate limit reached (HTTP 429)' });
				},
				() => serverError,
			);
			const error = await outcome.catch((caught: PomeloError) => caught);
			expect(error.message).toBe('Pomelo rate limit reached (HTTP 429). Pomelo asks to try again in 2 s (after 2026-01-15T12:00:01.500Z)');
			expect(error.description).toBe('That is longer than "Max Retry Wait" (500 ms), so the node did not wait.');
		} finally {
			jest.restoreAllMocks();
		}
	});

	test('a failure without a description, retried, says only how often it was tried; the log names no status', async () => {
		const { context, debug } = fakeContext();
		const outcome = withRetries(
			context,
			{ ...fast, maxRetries: 1 },
			'Thing',
			async () => {
				throw pomeloError({ errorClass: 'network', retryable: true, message: 'reset' });
			},
			() => serverError,
		);
		const error = await outcome.catch((caught: PomeloError) => caught);
		expect(error.description).toBe('Gave up after 2 attempts.');
		expect(debug).toEqual([expect.stringMatching(/^Pomelo: Thing failed \(network\); retry 1\/1 in \d ms$/)]);
	});

	test('a cancelled execution stops a long wait at once, and does not retry', async () => {
		const controller = new AbortController();
		const { context } = fakeContext(controller.signal);
		const attempt = jest.fn(async () => {
			throw pomeloError({ errorClass: 'rate_limit', retryable: true, retryAfterMs: 30_000, message: '429' });
		});
		const started = Date.now();
		setTimeout(() => controller.abort(), 50);
		await expect(withRetries(context, settings(), 'Thing', attempt, () => serverError)).rejects.toMatchObject({
			errorClass: 'cancelled',
			retryable: false,
			message: 'Thing was cancelled while waiting to retry',
		});
		// Ended by the abort after 50 ms, well before the 30 s Retry-After it would otherwise wait out.
		expect(Date.now() - started).toBeLessThanOrEqual(atMost(50));
		expect(attempt).toHaveBeenCalledTimes(1);
	});

	test('a failure after the execution was cancelled is not retried', async () => {
		const controller = new AbortController();
		controller.abort();
		const { context } = fakeContext(controller.signal);
		const attempt = jest.fn(async () => {
			throw pomeloError(serverFailure);
		});
		await expect(withRetries(context, fast, 'Thing', attempt, () => serverError)).rejects.toBeInstanceOf(PomeloError);
		expect(attempt).toHaveBeenCalledTimes(1);
	});
});
