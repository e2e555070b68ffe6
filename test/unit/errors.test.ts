/**
 * Error mapping: the API's message from every body shape the notes list, the class of every HTTP
 * status and transport failure, and the key redacted from everything an error carries.
 */
import { NodeApiError } from 'n8n-workflow';

import { PomeloError, type Failure } from '../../nodes/Pomelo/helpers/pomelo-error';
import { redactSecret, redactStrings } from '../../nodes/Pomelo/helpers/redact';
import { extractApiError } from '../../nodes/Pomelo/transport/error-body';
import { failureFromHttpStatus, outcomeUnknown } from '../../nodes/Pomelo/transport/http-status';
import { failureFromTransportError, requestWasNotSent } from '../../nodes/Pomelo/transport/socket-errors';
import { pomeloNodeRef } from '../helpers/node-ref';

describe('extractApiError', () => {
	test.each([
		['error.message (with code and param)', { error: { message: 'Bad style', code: 'invalid_parameter', param: 'style' } }, { message: 'Bad style', code: 'invalid_parameter', param: 'style' }],
		['error.message with type as the code', { error: { message: 'Refused', type: 'moderation' } }, { message: 'Refused', code: 'moderation' }],
		['error as a string', { error: 'Invalid API key' }, { message: 'Invalid API key' }],
		['message', { message: 'Slow down', code: 'rate_limited' }, { message: 'Slow down', code: 'rate_limited' }],
		['detail as a string', { detail: 'Not authenticated' }, { message: 'Not authenticated' }],
		[
			'detail as a list (FastAPI)',
			{ detail: [{ loc: ['body', 'aspect_ratio'], msg: 'unexpected value', type: 'value_error' }] },
			{ message: 'unexpected value', param: 'aspect_ratio' },
		],
		['detail list with message', { detail: [{ message: 'steps too high', field: 'steps' }] }, { message: 'steps too high' }],
		['field as the param', { error: { message: 'Bad', field: 'seed' } }, { message: 'Bad', param: 'seed' }],
	])('%s', (_shape, body, expected) => {
		expect(extractApiError(body)).toEqual(expect.objectContaining(expected));
	});

	test('error.message wins over error (string), message and detail', () => {
		expect(extractApiError({ error: { message: 'first' }, message: 'second', detail: 'third' }).message).toBe('first');
		expect(extractApiError({ message: 'second', detail: 'third' }).message).toBe('second');
	});

	test('a JSON body as text or bytes is parsed', () => {
		expect(extractApiError('{"error":{"message":"from text"}}').message).toBe('from text');
		expect(extractApiError(Buffer.from('{"message":"from bytes"}')).message).toBe('from bytes');
	});

	test.each([
		['an HTML page', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>'],
		['HTML inside the JSON', { error: { message: '<html><body>oops</body></html>' } }],
		['plain text', 'upstream connect error'],
		['null', null],
		['an array', [{ message: 'x' }]],
		['an empty object', {}],
		['blank strings', { error: '  ', message: '' }],
	])('%s gives no message', (_shape, body) => {
		expect(extractApiError(body).message).toBeUndefined();
	});

	test('the key is removed before the cut, so that no part of it survives at the edge', () => {
		const key = 'sk-live-cut-0123456789abcdef';
		// The key straddles the 500th character.
		const message = extractApiError({ message: `${'x'.repeat(490)}${key} and more` }, key).message!;
		expect(message).toBe(`${'x'.repeat(490)}[redacted]…`);
		expect(message).not.toContain(key.slice(0, 10));
	});

	test('a very long message is cut at 500 characters', () => {
		const message = extractApiError({ message: 'x'.repeat(2000) }).message!;
		expect(message).toHaveLength(501);
		expect(message.endsWith('…')).toBe(true);
	});

	test('an answer without a message, read with the key to remove, gives its code and no message', () => {
		expect(extractApiError({ error: { code: 'rate_limited' } }, 'sk-live-0123456789')).toEqual({ code: 'rate_limited' });
	});

	test('a message of exactly 500 characters is kept whole', () => {
		expect(extractApiError({ message: 'x'.repeat(500) }).message).toBe('x'.repeat(500));
	});

	test('a message is trimmed', () => {
		expect(extractApiError({ message: '  Slow down \n' }).message).toBe('Slow down');
	});

	test('a message with "<" inside is kept (only one that starts as HTML is dropped)', () => {
		expect(extractApiError({ message: 'width must be < 2048' }).message).toBe('width must be < 2048');
		expect(extractApiError({ message: 'steps<=50 required' }).message).toBe('steps<=50 required');
	});
});

describe('failureFromHttpStatus', () => {
	const body = (message: string, extra: object = {}) => ({ error: { message, ...extra } });

	test.each([
		[400, body('Prompt too long'), 'invalid_request', false],
		[401, body('Invalid API key'), 'authentication', false],
		[403, body('Key not allowed'), 'authentication', false],
		[404, body('No such endpoint'), 'invalid_request', false],
		[408, body('Request timeout'), 'timeout', true],
		[409, body('Conflict'), 'invalid_request', false],
		[413, body('Body too large'), 'invalid_request', false],
		[422, body('Unsupported style preset', { param: 'style' }), 'invalid_request', false],
		[429, body('Too many requests'), 'rate_limit', true],
		[503, body('Overloaded'), 'server', true],
		// README, Reliability: these may have generated (and billed); retried only when the user allows it.
		[500, body('Internal error'), 'outcome_unknown', false],
		[502, body('Bad gateway'), 'outcome_unknown', false],
		[504, body('Gateway timeout'), 'outcome_unknown', false],
	])('HTTP %i → %s', (status, errorBody, errorClass, retryable) => {
		const failure = failureFromHttpStatus(status, errorBody, {}, 'Flux.1 generation');
		expect(failure).toMatchObject({ errorClass, httpStatus: status, apiMessage: errorBody.error.message });
		expect(failure.retryable === true).toBe(retryable);
		expect(failure.message).toContain(`(HTTP ${status})`);
		expect(failure.message).toContain(errorBody.error.message);
	});

	test.each([500, 502, 504, 599])('HTTP %i says that the generation may have been billed', (status) => {
		expect(failureFromHttpStatus(status, {}, {}, 'Flux.1 generation').message).toBe(
			`Flux.1 generation: Pomelo had a server error (HTTP ${status}); the generation may have run and may have been billed`,
		);
	});

	test.each([
		[400, { error: { code: 'content_policy_violation', message: 'Rejected' } }],
		[400, { error: { message: 'The prompt violates the usage policy' } }],
		[400, { error: { type: 'moderation', message: 'No' } }],
		[403, { error: { message: 'Blocked by the safety system' } }],
		[422, { detail: 'NSFW content is not allowed' }],
	])('HTTP %i speaking of moderation, policy or safety → moderation, never retried', (status, errorBody) => {
		const failure = failureFromHttpStatus(status, errorBody, {}, 'x');
		expect(failure.errorClass).toBe('moderation');
		expect(failure.retryable === true).toBe(false);
	});

	test('a 401 is about the key and a 429 is a rate limit, whatever words they use', () => {
		expect(failureFromHttpStatus(401, body('unsafe key usage'), {}, 'x').errorClass).toBe('authentication');
		expect(failureFromHttpStatus(429, body('for safety, slow down'), {}, 'x').errorClass).toBe('rate_limit');
	});

	test('Retry-After is read from a 429 and a 503, in any letter case', () => {
		expect(failureFromHttpStatus(429, {}, { 'retry-after': '7' }, 'x').retryAfterMs).toBe(7000);
		expect(failureFromHttpStatus(429, {}, { 'Retry-After': '2' }, 'x').retryAfterMs).toBe(2000);
		expect(failureFromHttpStatus(503, {}, { 'retry-after': '3' }, 'x').retryAfterMs).toBe(3000);
		expect(failureFromHttpStatus(429, {}, {}, 'x').retryAfterMs).toBeUndefined();
	});

	test('a refused parameter is named in the message and the description', () => {
		const failure = failureFromHttpStatus(422, body('Value out of range', { param: 'steps' }), {}, 'x');
		expect(failure.message).toBe('Pomelo refused the request (HTTP 422): Value out of range (parameter "steps")');
		expect(failure.description).toBe('Check the node\'s parameters. Parameter "steps" was refused.');
		expect(failure.param).toBe('steps');
		// Not twice when the message names it already.
		expect(failureFromHttpStatus(422, body('"steps" must be at most 50', { param: 'steps' }), {}, 'x').message).toBe(
			'Pomelo refused the request (HTTP 422): "steps" must be at most 50',
		);
	});

	test('without an API message, the HTTP status text; never the HTML page', () => {
		const html = '<!DOCTYPE html><html><body><pre>Error: connect ECONNREFUSED 10.0.3.17:7000</pre></body></html>';
		const failure = failureFromHttpStatus(502, html, { 'content-type': 'text/html' }, 'Midjourney generation', 'Bad Gateway');
		expect(failure.message).toBe(
			'Midjourney generation: Pomelo had a server error (HTTP 502 Bad Gateway); the generation may have run and may have been billed',
		);
		expect(failure.apiMessage).toBeUndefined();
		expect(JSON.stringify(failure)).not.toMatch(/<|ECONNREFUSED/);
		// A status text that is not a plain phrase is left out.
		expect(failureFromHttpStatus(503, '', {}, 'x', '<b>Bad</b>').message).toBe('Pomelo is unavailable for x (HTTP 503)');
		expect(failureFromHttpStatus(503, {}, {}, 'x', 'A'.repeat(200)).message).toBe('Pomelo is unavailable for x (HTTP 503)');
	});

	test('Retry-After is found among other headers, and no other header is read as the wait', () => {
		expect(failureFromHttpStatus(429, {}, { 'content-type': 'application/json', 'x-ratelimit-reset': '30', 'Retry-After': '7' }, 'x').retryAfterMs).toBe(7000);
		// Not even a header that happens to be named "undefined".
		expect(failureFromHttpStatus(503, {}, { 'x-ratelimit-reset': '30', undefined: '9' }, 'x').retryAfterMs).toBeUndefined();
	});

	test('the status text is trimmed; one with letters outside printable ASCII is left out', () => {
		expect(failureFromHttpStatus(503, '', {}, 'x', '  Service Unavailable ').message).toBe('Pomelo is unavailable for x (HTTP 503 Service Unavailable)');
		expect(failureFromHttpStatus(503, '', {}, 'x', 'Überlastet').message).toBe('Pomelo is unavailable for x (HTTP 503)');
		expect(failureFromHttpStatus(503, '', {}, 'x', 'Surchargé').message).toBe('Pomelo is unavailable for x (HTTP 503)');
	});

	test('a status text of 60 characters is kept, one of 61 is left out', () => {
		expect(failureFromHttpStatus(503, '', {}, 'x', 'A'.repeat(60)).message).toBe(`Pomelo is unavailable for x (HTTP 503 ${'A'.repeat(60)})`);
		expect(failureFromHttpStatus(503, '', {}, 'x', 'A'.repeat(61)).message).toBe('Pomelo is unavailable for x (HTTP 503)');
	});

	test('a moderation refusal says so and what to do', () => {
		expect(failureFromHttpStatus(400, body('The prompt violates the usage policy'), {}, 'x')).toMatchObject({
			message: "The prompt was refused by Pomelo's content moderation (HTTP 400): The prompt violates the usage policy",
			description:
				'The request breaks the usage policy (explicit, violent, hateful, infringing or private content). Change the prompt; retrying will not help.',
		});
	});

	test('only a 4xx is a moderation refusal: a 5xx about the safety system may have generated', () => {
		for (const status of [500, 502, 504]) {
			expect(failureFromHttpStatus(status, body('Safety system crashed'), {}, 'x').errorClass).toBe('outcome_unknown');
		}
		expect(failureFromHttpStatus(503, body('Moderation service unavailable'), {}, 'x').errorClass).toBe('server');
		// A 3xx that is not a redirect the node follows is not a refusal by moderation either.
		expect(failureFromHttpStatus(300, body('Choose a safety level'), {}, 'x').errorClass).toBe('invalid_request');
	});

	test('a server error says it was not sent again and what to check', () => {
		expect(failureFromHttpStatus(500, body('Internal error'), {}, 'Flux.1 generation').description).toBe(
			'It was not sent again, so that it is not billed twice. Check your Pomelo account before running it again, or turn on "Retry When Outcome Is Unknown".',
		);
	});

	test('a rate limit and a 503 say what the node did and what to change', () => {
		expect(failureFromHttpStatus(429, body('Too many requests'), {}, 'x').description).toBe(
			'Lower the node\'s "Concurrency" option, or raise "Max Retries" and "Max Retry Wait".',
		);
		expect(failureFromHttpStatus(503, body('Overloaded'), {}, 'x').description).toBe(
			'The service refused the request before working on it; the node retried as configured.',
		);
	});

	test('a refused parameter is named also when the answer has no message', () => {
		expect(failureFromHttpStatus(422, { error: { param: 'here' } }, {}, 'x').message).toBe('Pomelo refused the request (HTTP 422) (parameter "here")');
	});

	test('a refusal without a parameter names none', () => {
		expect(failureFromHttpStatus(400, body('Prompt too long'), {}, 'x')).toMatchObject({
			message: 'Pomelo refused the request (HTTP 400): Prompt too long',
			description: "Check the node's parameters.",
		});
	});

	test('authentication points at the credential', () => {
		expect(failureFromHttpStatus(401, body('Invalid API key'), {}, 'x')).toMatchObject({
			message: 'Pomelo rejected the API key (HTTP 401): Invalid API key',
			description: 'Check the API key and Base URL in the "Pomelo API" credential used by this node.',
		});
	});
});

describe('outcomeUnknown', () => {
	test('names the generation that may have run, and keeps what the caller knew before what to check', () => {
		expect(
			outcomeUnknown('Flux.1 generation', 'no complete answer came within 5 s', {
				generationId: 'gen_789xyz',
				description: 'Raise the node\'s "Request Timeout" option if this persists.',
			}),
		).toMatchObject({
			errorClass: 'outcome_unknown',
			generationId: 'gen_789xyz',
			message: 'Flux.1 generation: no complete answer came within 5 s; the generation may have run and may have been billed (generation gen_789xyz)',
			description:
				'Raise the node\'s "Request Timeout" option if this persists. It was not sent again, so that it is not billed twice. Check your Pomelo account before running it again, or turn on "Retry When Outcome Is Unknown".',
		});
	});
});

describe('failureFromTransportError', () => {
	const axiosLike = (code: string, message: string) => Object.assign(new Error(message), { code, name: 'AxiosError' });

	test.each([
		['ECONNRESET', 'socket hang up'],
		['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'],
		['EPIPE', 'write EPIPE'],
		['ENOTFOUND', 'getaddrinfo ENOTFOUND api.example'],
	])('%s → network, retried; the code only in the description', (code, message) => {
		const failure = failureFromTransportError(axiosLike(code, message), 'Flux.1 generation', 5000);
		expect(failure).toMatchObject({ errorClass: 'network', retryable: true });
		expect(failure.message).toBe('Flux.1 generation failed: the connection was refused, reset or closed before an answer arrived');
		expect(failure.description).toContain(code);
		expect(failure.message).not.toContain('127.0.0.1');
	});

	test.each([
		['ECONNABORTED', 'timeout of 5000ms exceeded'],
		['ETIMEDOUT', 'timeout of 5000ms exceeded'],
		['ESOCKETTIMEDOUT', 'ESOCKETTIMEDOUT'],
	])('%s → timeout naming the operation and the wait', (code, message) => {
		expect(failureFromTransportError(axiosLike(code, message), 'Flux.1 generation', 5000)).toMatchObject({
			errorClass: 'timeout',
			retryable: true,
			message: 'Flux.1 generation timed out after 5 s without an answer',
		});
	});

	test.each([
		['axios CanceledError', Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' })],
		['AbortError', Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' })],
	])('%s → cancelled, not retried', (_name, error) => {
		const failure = failureFromTransportError(error, 'x', 1000);
		expect(failure).toMatchObject({ errorClass: 'cancelled', message: 'x was cancelled' });
		expect(failure.retryable === true).toBe(false);
	});

	test('the cause chain is searched (n8n wraps the client error)', () => {
		const wrapped = Object.assign(new Error('The connection timed out, consider setting the Retry on Fail option'), {
			name: 'NodeApiError',
			cause: axiosLike('ECONNABORTED', 'timeout of 300000ms exceeded'),
		});
		expect(failureFromTransportError(wrapped, 'x', 300_000)).toMatchObject({ errorClass: 'timeout', message: 'x timed out after 300 s without an answer' });
		const reset = Object.assign(new Error('wrapper'), { cause: axiosLike('ECONNRESET', 'socket hang up') });
		expect(failureFromTransportError(reset, 'x', 1000).errorClass).toBe('network');
	});
});

describe('failureFromTransportError: each sign, alone', () => {
	test('an error without a code is a network failure, and the description names no code', () => {
		expect(failureFromTransportError(new Error('socket hang up'), 'x', 1000)).toMatchObject({
			errorClass: 'network',
			retryable: true,
			description: 'Network error; the node retried as configured.',
		});
	});

	test('only a system error code (E and letters) is named', () => {
		for (const code of ['UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']) {
			expect(failureFromTransportError(Object.assign(new Error('other side closed'), { code }), 'x', 1000).description).toBe(
				'Network error; the node retried as configured.',
			);
		}
		expect(failureFromTransportError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'x', 1000).description).toBe(
			'Network error ECONNRESET; the node retried as configured.',
		);
	});

	test.each([
		['an aborted signal (DOMException, numeric code)', new DOMException('This operation was aborted', 'AbortError')],
		['a CanceledError without a code', Object.assign(new Error('canceled'), { name: 'CanceledError' })],
		['ERR_CANCELED on a plain error', Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })],
		['ABORT_ERR inside a wrapper', Object.assign(new Error('wrapper'), { cause: Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }) })],
	])('%s → cancelled', (_sign, error) => {
		expect(failureFromTransportError(error, 'x', 1000)).toMatchObject({ errorClass: 'cancelled', message: 'x was cancelled' });
	});

	test('a timeout known only from its message is a timeout, with what to change', () => {
		expect(failureFromTransportError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'x', 1000)).toMatchObject({
			errorClass: 'timeout',
			message: 'x timed out after 1 s without an answer',
			description: 'Raise the node\'s "Request Timeout" option if this persists: generation can take minutes.',
		});
	});

	test('the messages of the chain are read apart: "time" ending one and "out" starting the next is no timeout', () => {
		const error = Object.assign(new Error('No answer in time'), {
			cause: Object.assign(new Error('Outbound connection reset'), { code: 'ECONNRESET' }),
		});
		expect(failureFromTransportError(error, 'x', 1000).errorClass).toBe('network');
	});

	test('the client error is found inside four wrappers; a fifth wrapper hides it (the request may have arrived)', () => {
		const wrapped = (depth: number) => {
			let error: Error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
			for (let level = 0; level < depth; level++) error = Object.assign(new Error(`wrapper ${level}`), { cause: error });
			return error;
		};
		expect(requestWasNotSent(wrapped(4))).toBe(true);
		expect(failureFromTransportError(wrapped(4), 'x', 1000).description).toBe('Network error ECONNREFUSED; the node retried as configured.');
		expect(requestWasNotSent(wrapped(5))).toBe(false);
		expect(failureFromTransportError(wrapped(5), 'x', 1000).description).toBe('Network error; the node retried as configured.');
	});
});

describe('requestWasNotSent: the failures that are safe to send again (README, Reliability)', () => {
	const axiosLike = (code: string) => Object.assign(new Error(code), { code });

	test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'])(
		'%s: the request never left',
		(code) => {
			expect(requestWasNotSent(axiosLike(code))).toBe(true);
			expect(requestWasNotSent(Object.assign(new Error('wrapped'), { cause: axiosLike(code) }))).toBe(true);
		},
	);

	test.each(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED'])('%s: it may have arrived', (code) => {
		expect(requestWasNotSent(axiosLike(code))).toBe(false);
	});

	test('an error without a code may have arrived', () => {
		expect(requestWasNotSent(new Error('socket hang up'))).toBe(false);
	});
});

describe('PomeloError and redaction', () => {
	const node = pomeloNodeRef;
	const KEY = 'sk-live-SECRET-unit-0123456789';

	test('the key is redacted from the message, description and every API field', () => {
		const failure: Failure = {
			errorClass: 'authentication',
			retryable: false,
			httpStatus: 401,
			message: `Pomelo rejected the API key (HTTP 401): Invalid API key ${KEY}`,
			description: `Key ${KEY} was refused`,
			apiMessage: `Invalid API key ${KEY}`,
			apiCode: `bad_${KEY}`,
			param: KEY,
			generationId: `gen_${KEY}`,
			generationStatus: KEY,
		};
		const error = new PomeloError(node, failure, KEY, 3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Pomelo rejected the API key (HTTP 401): Invalid API key [redacted]');
		expect(error.description).toBe('Key [redacted] was refused');
		expect(error.context.itemIndex).toBe(3);
		expect(error.details).toEqual({
			errorClass: 'authentication',
			httpStatus: 401,
			apiMessage: 'Invalid API key [redacted]',
			apiCode: 'bad_[redacted]',
			param: '[redacted]',
			generationId: 'gen_[redacted]',
			generationStatus: '[redacted]',
		});
		expect(error.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain(KEY);
		expect(JSON.stringify(error.context)).not.toContain(KEY);
		expect(String(error.stack)).not.toContain(KEY);
	});

	test('the class and the API fields are in the error\'s details, absent fields left out', () => {
		const error = new PomeloError(node, { errorClass: 'timeout', retryable: true, message: 'x timed out after 1 s without an answer' }, KEY, 0);
		expect(error.details).toEqual({ errorClass: 'timeout' });
		expect(error).toMatchObject({ errorClass: 'timeout', retryable: true, message: 'x timed out after 1 s without an answer' });
		expect(error.httpCode).toBeNull();
	});

	test('a key stored with a trailing space or newline is redacted in both forms', () => {
		expect(redactSecret(`sent ${KEY}, echoed "${KEY} "`, `${KEY} `)).toBe('sent [redacted], echoed "[redacted]"');
		expect(redactSecret(`x${KEY}\ny`, `${KEY}\n`)).toBe('x[redacted]y');
	});

	test('redactSecret replaces every occurrence; a blank or tiny key redacts nothing', () => {
		expect(redactSecret(`a ${KEY} b ${KEY}`, KEY)).toBe('a [redacted] b [redacted]');
		expect(redactSecret('abc', '')).toBe('abc');
		expect(redactSecret('a b c', 'b')).toBe('a b c');
	});

	test('redactStrings cleans every text inside an item, objects and lists included, and keeps the rest', () => {
		const json = { url: `https://x/${KEY}.png`, width: 1024, seed: null, parameters: { style: KEY, tags: [KEY, 7, true] } };
		expect(redactStrings(json, (text) => redactSecret(text, KEY))).toEqual({
			url: 'https://x/[redacted].png',
			width: 1024,
			seed: null,
			parameters: { style: '[redacted]', tags: ['[redacted]', 7, true] },
		});
	});

	test('a key of four characters is redacted', () => {
		expect(redactSecret('key abcd sent', 'abcd')).toBe('key [redacted] sent');
	});

	test('an error item\'s details hold only the fields that are known, no empty keys', () => {
		const error = new PomeloError(node, { errorClass: 'rate_limit', httpStatus: 429, message: 'x' }, KEY, 0);
		expect(Object.keys(error.details)).toEqual(['errorClass', 'httpStatus']);
	});
});
