'use strict';
// Fault catalogue, the injected-fault queue and prompt directives ("[fault:503*2]").
//
// A fault has a stage: 'generate' faults replace the answer of a generation request,
// 'image' faults replace the answer of an image download. Each fault's respond(ctx) gets:
//   generate stage: {req, res, args, endpoint, baseUrl, imageBaseUrl, wait(ms), success(options?),
//                    answer(body), answerText(ct, text)}; a fault marked beforeChecks (queued) gets
//                    only {req, res, args, endpoint, baseUrl, imageBaseUrl, wait}, before auth and validation
//   image stage:    {res, args, record, baseUrl, imageBaseUrl, wait(ms), png(), serveImage()}
// (GenerateContext and ImageContext below), where success({imageUrl, imageCount, performed}) builds (and registers) a normal success body and
// counts the generation as performed (billed) unless performed is false, and answer*/serveImage
// apply the configured latency before sending, like a normal answer.

const { sendError, sendJson, sendBody, resetConnection, drainOrClose, isGone } = require('./http-util');
const { MODERATION_ERROR } = require('./validation');
const { PNG_SIGNATURE } = require('./png-encode');
const { pseudoRandomBytes } = require('./checksums');

/**
 * @typedef {import('./http-util').Request} Request
 * @typedef {import('./http-util').Response} Response
 * @typedef {Record<string, any>} FaultArgs a fault's settings: its defaults, then what the spec or directive gave
 *
 * @typedef {object} SuccessOptions
 * @property {(id: string, extension: string) => string} [imageUrl]
 * @property {number} [imageCount]
 * @property {boolean} [performed]
 *
 * @typedef {object} GenerateContext what a generation fault's respond() gets
 * @property {Request} req
 * @property {Response} res
 * @property {FaultArgs} args
 * @property {import('./validation').Endpoint} endpoint
 * @property {string} baseUrl
 * @property {string} imageBaseUrl
 * @property {(ms: number) => Promise<void>} wait
 * @property {(options?: SuccessOptions) => Record<string, any>} success
 * @property {(body: unknown) => Promise<void>} answer
 * @property {(contentType: string, text: string) => Promise<void>} answerText
 *
 * @typedef {object} ImageContext what an image fault's respond() gets
 * @property {Response} res
 * @property {FaultArgs} args
 * @property {import('./image-store').ImageRecord} record
 * @property {string} baseUrl
 * @property {string} imageBaseUrl
 * @property {(ms: number) => Promise<void>} wait
 * @property {() => Buffer} png
 * @property {() => Promise<void>} serveImage
 *
 * @typedef {object} FaultCommon
 * @property {FaultArgs} [defaults]
 * @property {(args: FaultArgs) => void} [check] throws for bad settings
 * @property {boolean} [beforeChecks] generation faults a gateway applies before auth and validation
 * @typedef {FaultCommon & { stage: 'generate', respond: (ctx: GenerateContext) => void | Promise<void> }} GenerateFault
 * @typedef {FaultCommon & { stage: 'image', respond: (ctx: ImageContext) => void | Promise<void> }} ImageFault
 * @typedef {GenerateFault | ImageFault} Fault
 *
 * @typedef {'flux' | 'midjourney' | 'generate' | 'image' | 'any'} FaultTarget
 *   'generate' = either generation endpoint. Image faults need 'image' or 'any'.
 *
 * @typedef {object} FaultSpec
 * @property {string} fault            a name of FAULT_NAMES
 * @property {FaultTarget} [on]        Which requests it applies to; default 'any' (of the fault's own stage).
 * @property {number | null} [times]   How many matching requests it affects; default 1; Infinity or -1 = every one.
 * @property {number} [retryAfter]     429 / 429-date / image-503: seconds in Retry-After (default 1).
 * @property {number} [delayMs]        slow / image-slow: delay before answering (default 2000); image-404: delay before the 404 (default 0).
 * @property {number} [sizeBytes]      image-oversized: body size (default 60 MiB).
 * @property {'missing' | 'not-array' | 'json' | 'html'} [variant] wrong-shape: 'missing' (default) or 'not-array'; 504: 'json' (default) or 'html'.
 * @property {number} [sizeMb]         json-huge: size of the answer in MB (default 8).
 * @property {'other-origin' | 'subdomain' | 'loop'} [target] redirect-post: where to (default 'other-origin', the image origin).
 * @property {number} [status]         redirect-post: 307 (default) or 308.
 * @property {string} [label]          redirect-post subdomain: the label put in front of the Host (default 'sub')
 * @property {string} [host]           redirect-post subdomain: the whole host instead
 * @property {number} [count]          extra-images: how many image URLs the answer lists (default 1000).
 * @property {number} [intervalMs]     trickle: milliseconds between bytes (default 500)
 * @property {boolean} [headers]       trickle: true trickles the status line and headers too
 * @property {string} [url]            image-url: the URL every image of the answer gets.
 *
 * @typedef {{ fault: string, on: FaultTarget, times: number, [arg: string]: unknown }} PendingFault times -1 = always
 * @typedef {{ name: string, args: FaultArgs }} ChosenFault a fault that answers this request
 * @typedef {ChosenFault & { times: number | undefined, stage: Fault['stage'] }} Directive a prompt's "[fault:NAME*N:key=value]"
 */

const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1>
<p>The upstream generation worker returned an invalid response.</p>
<pre>Error: connect ECONNREFUSED 10.0.3.17:7000
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)
    at GatewayProxy.forward (/srv/gateway/lib/proxy.js:214:11)
    at async Router.handle (/srv/gateway/lib/router.js:88:5)</pre>
<hr><address>pomelo-gateway/2.4.1</address></body></html>
`;

const GATEWAY_TIMEOUT_PAGE =
	'<!DOCTYPE html><html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1>' +
	'<p>The upstream generation worker did not answer in time.</p><hr><address>pomelo-gateway/2.4.1</address></body></html>\n';

const WRONG_TYPE_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in to view this file</h1></body></html>\n';

/**
 * @param {string} code
 * @param {string} message
 */
function storageErrorXml(code, message) {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
}

const REDIRECT_TARGETS = ['other-origin', 'subdomain', 'loop'];

const STREAM_CHUNK_BYTES = 64 * 1024;
/** @type {Buffer | undefined} */
let streamChunk; // shared pseudo-random chunk for oversized bodies, made once

/**
 * Streams `total` bytes (PNG signature, then noise) honouring back-pressure; stops if the client leaves.
 * @param {Response} res
 * @param {number} total
 */
async function streamNoiseBody(res, total) {
	streamChunk ??= pseudoRandomBytes(STREAM_CHUNK_BYTES, 'oversized');
	const first = Buffer.concat([PNG_SIGNATURE, streamChunk.subarray(PNG_SIGNATURE.length)]);
	let sent = 0;
	while (sent < total) {
		if (isGone(res)) return;
		const chunk = sent === 0 ? first : streamChunk;
		const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
		sent += piece.length;
		if (!res.write(piece)) await drainOrClose(res);
	}
	if (!isGone(res)) res.end();
}

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 * @returns {GenerateFault}
 */
const apiError = (status, code, message, extra) => ({
	stage: 'generate',
	respond: (ctx) => sendError(ctx.res, status, code, message, extra),
});

/**
 * @param {(seconds: number) => string | undefined} retryAfterHeader
 * @returns {GenerateFault}
 */
const rateLimited = (retryAfterHeader) => ({
	stage: 'generate',
	defaults: { retryAfter: 1 },
	respond: (ctx) => {
		/** @type {Record<string, string>} */
		const headers = {};
		const value = retryAfterHeader(ctx.args.retryAfter);
		if (value !== undefined) headers['Retry-After'] = value;
		sendError(ctx.res, 429, 'rate_limit_exceeded', 'Too many requests: rate limit exceeded', {}, headers);
	},
});

/** @type {Record<string, Fault>} */
const FAULTS = {
	// --- generation requests -------------------------------------------------------------
	401: apiError(401, 'invalid_api_key', 'Invalid API key'),
	403: apiError(403, 'forbidden', 'This API key is not allowed to use this endpoint'),
	422: apiError(422, 'invalid_parameter', 'Unsupported style preset', { param: 'style' }),
	moderation: { stage: 'generate', respond: (ctx) => sendJson(ctx.res, 400, { error: MODERATION_ERROR }) },
	429: rateLimited((seconds) => String(seconds)),
	'429-date': rateLimited((seconds) => new Date(Date.now() + Number(seconds) * 1000).toUTCString()),
	'429-none': rateLimited(() => undefined),
	500: apiError(500, 'internal_error', 'The server had an error while processing your request'),
	502: apiError(502, 'bad_gateway', 'The upstream generation worker is unavailable'),
	503: apiError(503, 'service_unavailable', 'The service is temporarily overloaded, try again later'),
	'html-error': {
		stage: 'generate',
		respond: (ctx) => sendBody(ctx.res, 502, 'text/html; charset=utf-8', HTML_ERROR_PAGE),
	},
	reset: { stage: 'generate', respond: (ctx) => resetConnection(ctx.res) },
	hang: { stage: 'generate', respond: () => {} }, // the socket stays open until the client or close() ends it
	slow: {
		stage: 'generate',
		defaults: { delayMs: 2000 },
		respond: async (ctx) => {
			await ctx.wait(Number(ctx.args.delayMs));
			await ctx.answer(ctx.success());
		},
	},
	'malformed-json': {
		stage: 'generate',
		respond: async (ctx) => {
			const text = JSON.stringify(ctx.success());
			await ctx.answerText('application/json; charset=utf-8', text.slice(0, Math.floor(text.length / 2)));
		},
	},
	'wrong-shape': {
		stage: 'generate',
		defaults: { variant: 'missing' }, // or 'not-array'
		respond: async (ctx) => {
			const { images, ...rest } = ctx.success();
			await ctx.answer(ctx.args.variant === 'not-array' ? { ...rest, images: images[0] } : rest);
		},
	},
	'not-complete': {
		stage: 'generate',
		respond: async (ctx) => {
			if (ctx.endpoint === 'flux') {
				// Still processing: the generation is under way and will be billed.
				await ctx.answer({ ...ctx.success(), images: [], status: 'processing' });
			} else {
				const body = ctx.success({ performed: false });
				await ctx.answer({
					status: 'failed',
					images: [],
					prompt: body.prompt,
					model: body.model,
					error: { code: 'generation_failed', message: 'The generation failed: the worker ran out of memory' },
				});
			}
		},
	},
	'empty-images': {
		stage: 'generate',
		respond: async (ctx) => ctx.answer({ ...ctx.success(), images: [] }),
	},
	'image-bad-scheme': {
		stage: 'generate',
		respond: async (ctx) => ctx.answer(ctx.success({ imageUrl: () => 'file:///etc/passwd' })),
	},
	'image-on-api-origin': {
		stage: 'generate',
		respond: async (ctx) =>
			ctx.answer(ctx.success({ imageUrl: (id) => `${ctx.baseUrl}/images-from-api/${id}.png` })),
	},

	// --- generation requests whose outcome the client cannot know (money safety) --------------
	'ok-cut': {
		stage: 'generate',
		respond: (ctx) => {
			const payload = Buffer.from(JSON.stringify(ctx.success()), 'utf8');
			ctx.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
			// Half the promised bytes, then the socket goes: the generation was done and billed.
			ctx.res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => ctx.res.socket && ctx.res.socket.destroy());
		},
	},
	'slow-generation': {
		stage: 'generate',
		defaults: { delayMs: 2000 },
		respond: async (ctx) => {
			await ctx.wait(Number(ctx.args.delayMs));
			// Performed at the end, even when the client gave up waiting meanwhile.
			const body = ctx.success();
			if (!isGone(ctx.res)) sendJson(ctx.res, 200, body);
		},
	},
	504: {
		stage: 'generate',
		defaults: { variant: 'json' }, // or 'html'
		respond: (ctx) => {
			ctx.success(); // the gateway gave up waiting; the backend finished the generation anyway
			if (ctx.args.variant === 'html') sendBody(ctx.res, 504, 'text/html; charset=utf-8', GATEWAY_TIMEOUT_PAGE);
			else sendError(ctx.res, 504, 'gateway_timeout', 'The generation worker did not answer in time');
		},
	},
	'json-huge': {
		stage: 'generate',
		defaults: { sizeMb: 8 },
		respond: async (ctx) => {
			const head = Buffer.from(`${JSON.stringify(ctx.success()).slice(0, -1)},"padding":"`, 'utf8');
			const tail = Buffer.from('"}', 'utf8');
			const total = Math.max(Math.round(Number(ctx.args.sizeMb) * 1024 * 1024), head.length + tail.length);
			ctx.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': total });
			await streamBody(ctx.res, head, total - head.length - tail.length, tail);
		},
	},
	'redirect-post': {
		stage: 'generate',
		// Queued, it redirects before auth and validation, as a gateway would: the credential test's
		// empty prompt is redirected too. As a prompt directive it can only apply after them.
		beforeChecks: true,
		defaults: { target: 'other-origin', status: 307 },
		check: (args) => {
			if (!REDIRECT_TARGETS.includes(args.target)) {
				throw new Error(`Fault "redirect-post": "target" must be one of ${REDIRECT_TARGETS.join(', ')}`);
			}
			if (![301, 302, 303, 307, 308].includes(Number(args.status))) {
				throw new Error('Fault "redirect-post": "status" must be a redirect status (307 or 308 keep the POST)');
			}
		},
		respond: (ctx) => {
			const location = postRedirectLocation(ctx);
			sendBody(ctx.res, Number(ctx.args.status), 'text/plain; charset=utf-8', `Redirecting to ${location}\n`, {
				Location: location,
			});
		},
	},
	'extra-images': {
		stage: 'generate',
		defaults: { count: 1000 },
		respond: async (ctx) => ctx.answer(ctx.success({ imageCount: Number(ctx.args.count) })),
	},
	trickle: {
		stage: 'generate',
		defaults: { intervalMs: 500, headers: false },
		respond: (ctx) => trickleAnswer(ctx, Buffer.from(JSON.stringify(ctx.success()), 'utf8')),
	},
	'image-url': {
		stage: 'generate',
		check: (args) => {
			if (typeof args.url !== 'string') throw new Error('Fault "image-url" needs a "url" (a string)');
		},
		respond: async (ctx) => {
			await ctx.answer(ctx.success({ imageUrl: () => ctx.args.url }));
		},
	},
	'echo-key': {
		stage: 'generate',
		respond: async (ctx) => {
			const key = String(ctx.req.headers.authorization || '').replace(/^Bearer\s+/i, '');
			const echoed = (/** @type {string} */ id) => `${ctx.imageBaseUrl}/images/${id}.png?api_key=${encodeURIComponent(key)}`;
			await ctx.answer(ctx.success({ imageUrl: echoed }));
		},
	},

	// --- image downloads -----------------------------------------------------------------
	'image-404': {
		stage: 'image',
		defaults: { delayMs: 0 }, // > 0: other downloads of the same item are under way when it fails
		respond: async (ctx) => {
			await ctx.wait(Number(ctx.args.delayMs));
			sendBody(ctx.res, 404, 'application/xml', storageErrorXml('NoSuchKey', 'The specified key does not exist.'));
		},
	},
	'image-500': {
		stage: 'image',
		respond: (ctx) =>
			sendBody(ctx.res, 500, 'application/xml', storageErrorXml('InternalError', 'We encountered an internal error.')),
	},
	'image-503': {
		stage: 'image',
		defaults: { retryAfter: 1 },
		respond: (ctx) =>
			sendBody(ctx.res, 503, 'application/xml', storageErrorXml('SlowDown', 'Please reduce your request rate.'), {
				'Retry-After': String(ctx.args.retryAfter),
			}),
	},
	'image-truncated': {
		stage: 'image',
		respond: (ctx) => {
			const png = ctx.png();
			ctx.res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
			// Half the promised bytes, then a plain close once they are flushed: the client sees a short body.
			ctx.res.write(png.subarray(0, Math.floor(png.length / 2)), () => ctx.res.socket && ctx.res.socket.destroy());
		},
	},
	'image-wrong-type': {
		stage: 'image',
		respond: (ctx) => sendBody(ctx.res, 200, 'text/html; charset=utf-8', WRONG_TYPE_PAGE),
	},
	'image-not-png': {
		stage: 'image',
		respond: (ctx) => {
			const bytes = Buffer.from(pseudoRandomBytes(2048, `not-png:${ctx.record.id}`));
			bytes[0] = 0x00; // never accidentally the PNG signature
			sendBody(ctx.res, 200, 'image/png', bytes);
		},
	},
	'image-redirect': {
		stage: 'image',
		respond: (ctx) => redirect(ctx.res, `${ctx.imageBaseUrl}/images/${ctx.record.id}.png?redirected=1`),
	},
	'image-redirect-api': {
		stage: 'image',
		respond: (ctx) => redirect(ctx.res, `${ctx.baseUrl}/images-from-api/${ctx.record.id}.png`),
	},
	'image-oversized': {
		stage: 'image',
		defaults: { sizeBytes: 60 * 1024 * 1024 },
		respond: async (ctx) => {
			const total = Number(ctx.args.sizeBytes);
			ctx.res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': total });
			await streamNoiseBody(ctx.res, total);
		},
	},
	'image-slow': {
		stage: 'image',
		defaults: { delayMs: 2000 },
		respond: async (ctx) => {
			await ctx.wait(Number(ctx.args.delayMs));
			await ctx.serveImage();
		},
	},
	'image-hang': { stage: 'image', respond: () => {} },
};

/**
 * Where redirect-post sends the POST: another origin, a subdomain of the host asked for, or itself.
 * @param {GenerateContext} ctx
 */
function postRedirectLocation(ctx) {
	const path = String(ctx.req.url);
	switch (ctx.args.target) {
		case 'other-origin':
			return `${ctx.imageBaseUrl}${path}`;
		case 'subdomain': {
			// The Host the client used, with a label in front; an IP literal has no subdomains, so
			// the client must reach the emulator by name (e.g. a lookup that maps *.test to 127.0.0.1).
			const host = String(ctx.req.headers.host || '');
			const [, name, port] = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host) || [];
			const subdomain = ctx.args.host || `${ctx.args.label || 'sub'}.${isIpLiteral(name) ? 'localhost' : name}`;
			return `http://${subdomain}${port || ''}${path}`;
		}
		default: // 'loop'
			return path;
	}
}

/** @param {string} name */
function isIpLiteral(name) {
	return /^\[.*\]$/.test(name) || /^\d{1,3}(\.\d{1,3}){3}$/.test(name);
}

/**
 * Sends the status and headers at once and the body one byte per intervalMs; with args.headers the
 * status line and headers trickle too, written to the socket by hand. Stops when the client leaves.
 * @param {GenerateContext} ctx
 * @param {Buffer} payload
 */
async function trickleAnswer(ctx, payload) {
	const { res } = ctx;
	const interval = Number(ctx.args.intervalMs);
	let bytes = payload;
	const rawHeaders = ctx.args.headers === true || ctx.args.headers === 'true';
	const rawAnswer = rawHeaders ? { status: 200, completed: false } : undefined;
	if (rawAnswer) {
		const head =
			'HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n' +
			`Content-Length: ${payload.length}\r\nX-Request-Id: ${res.getHeader('X-Request-Id')}\r\nConnection: close\r\n\r\n`;
		bytes = Buffer.concat([Buffer.from(head, 'latin1'), payload]);
		res.rawAnswer = rawAnswer;
	} else {
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
		res.flushHeaders();
	}
	const socket = res.socket;
	if (!socket) return;
	for (let sent = 0; sent < bytes.length; sent++) {
		await ctx.wait(interval);
		if (isGone(res) || socket.destroyed) return;
		const byte = bytes.subarray(sent, sent + 1);
		if (rawHeaders) socket.write(byte);
		else res.write(byte);
	}
	if (rawAnswer) {
		rawAnswer.completed = true;
		socket.end();
	} else {
		res.end();
	}
}

/**
 * Streams head, `fill` bytes of "x", then tail, honouring back-pressure; stops if the client leaves.
 * @param {Response} res
 * @param {Buffer} head
 * @param {number} fill
 * @param {Buffer} tail
 */
async function streamBody(res, head, fill, tail) {
	const filler = Buffer.alloc(STREAM_CHUNK_BYTES, 'x');
	res.write(head);
	let sent = 0;
	while (sent < fill) {
		if (isGone(res)) return;
		const piece = fill - sent >= filler.length ? filler : filler.subarray(0, fill - sent);
		sent += piece.length;
		if (!res.write(piece)) await drainOrClose(res);
	}
	if (!isGone(res)) res.end(tail);
}

/**
 * @param {Response} res
 * @param {string} location
 */
function redirect(res, location) {
	sendBody(res, 302, 'text/plain; charset=utf-8', `Found. Redirecting to ${location}\n`, { Location: location });
}

const FAULT_NAMES = Object.freeze(Object.keys(FAULTS));

/**
 * What `on` may name, and the stage of the requests it selects (null: any).
 * @type {Record<FaultTarget, Fault['stage'] | null>}
 */
const TARGET_STAGE = { flux: 'generate', midjourney: 'generate', generate: 'generate', image: 'image', any: null };
const TARGETS = Object.keys(TARGET_STAGE);

/** @typedef {{ fault: string, on: FaultTarget, remaining: number, args: FaultArgs }} QueuedFault */

/**
 * Request kind → the stage whose faults can apply to it.
 * @param {RequestKind} kind
 */
function stageOf(kind) {
	return kind === 'image' ? 'image' : 'generate';
}

/**
 * @typedef {import('./validation').Endpoint | 'image'} RequestKind
 * @param {FaultTarget} on
 * @param {RequestKind} kind
 */
function targetMatches(on, kind) {
	return on === 'any' || on === kind || (on === 'generate' && kind !== 'image');
}

/**
 * The fault's definition; throws a helpful error for an unknown name.
 * @param {string} name
 */
function faultDefinition(name) {
	if (!Object.hasOwn(FAULTS, name)) {
		throw new Error(`Unknown fault "${name}". Known faults: ${FAULT_NAMES.join(', ')}`);
	}
	return FAULTS[name];
}

/**
 * Checks and completes a fault spec: {fault, on, times, ...args} → {fault, on, remaining, args}.
 * @param {FaultSpec | string} spec
 * @returns {QueuedFault}
 */
function normalizeFaultSpec(spec) {
	if (typeof spec === 'string') spec = { fault: spec };
	if (!spec || typeof spec !== 'object') throw new Error('A fault must be an object like {"fault": "503"}');
	const { fault, on = 'any', times = 1, ...args } = spec;
	const name = String(fault);
	const definition = faultDefinition(name);
	if (!Object.hasOwn(TARGET_STAGE, on)) throw new Error(`Fault "${name}": "on" must be one of ${TARGETS.join(', ')}`);
	if (TARGET_STAGE[on] !== null && TARGET_STAGE[on] !== definition.stage) {
		const allowed = definition.stage === 'image' ? '"image" or "any"' : '"flux", "midjourney", "generate" or "any"';
		throw new Error(`Fault "${name}" applies to ${definition.stage} requests: use on: ${allowed}`);
	}
	const always = times === Infinity || times === -1 || times === null;
	if (!always && !(Number.isInteger(times) && times > 0)) {
		throw new Error(`Fault "${name}": "times" must be a positive integer, -1 or Infinity`);
	}
	const fullArgs = { ...definition.defaults, ...args };
	if (definition.check) definition.check(fullArgs);
	return { fault: name, on, remaining: always ? Infinity : times, args: fullArgs };
}

/** Faults injected through injectFaults / the admin route, matched in order, each used `times` times. */
class FaultQueue {
	constructor() {
		/** @type {QueuedFault[]} */
		this.entries = [];
	}

	/** @param {FaultSpec | FaultSpec[]} specs */
	inject(specs) {
		const list = (Array.isArray(specs) ? specs : [specs]).map(normalizeFaultSpec); // all-or-nothing
		this.entries.push(...list);
		return list.length;
	}

	/**
	 * Consumes and returns the first fault that applies to a request of this kind, or null.
	 * beforeChecks: only the faults a gateway applies before auth and validation (or only the others).
	 * @param {RequestKind} kind
	 * @param {{ beforeChecks?: boolean }} [options]
	 * @returns {ChosenFault | null}
	 */
	take(kind, { beforeChecks = false } = {}) {
		const index = this.entries.findIndex(
			(entry) =>
				targetMatches(entry.on, kind) &&
				FAULTS[entry.fault].stage === stageOf(kind) &&
				Boolean(FAULTS[entry.fault].beforeChecks) === beforeChecks,
		);
		if (index === -1) return null;
		const entry = this.entries[index];
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.entries.splice(index, 1);
		return { name: entry.fault, args: entry.args };
	}

	clear() {
		this.entries.length = 0;
	}

	/**
	 * JSON-safe view: "always" is reported as times -1.
	 * @returns {PendingFault[]}
	 */
	list() {
		return this.entries.map((e) => ({
			fault: e.fault,
			on: e.on,
			times: e.remaining === Infinity ? -1 : e.remaining,
			...e.args,
		}));
	}
}

// [fault:NAME], [fault:NAME*N], [fault:NAME:key=value:key2=value2], [fault:NAME*N:key=value]
const DIRECTIVE_PATTERN = /\[fault:([a-z0-9-]+)(?:\*(\d+))?((?::[a-z0-9-]+=[^\]:]*)*)\]/gi;

/** @param {string} kebab */
function camelCase(kebab) {
	return kebab.toLowerCase().replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/**
 * Fault directives in a prompt, in order (times undefined = every attempt).
 * @param {string} prompt
 */
function parseDirectives(prompt) {
	/** @type {Directive[]} */
	const directives = [];
	for (const match of prompt.matchAll(DIRECTIVE_PATTERN)) {
		const name = match[1].toLowerCase();
		const definition = faultDefinition(name);
		const args = { ...definition.defaults };
		for (const pair of match[3].split(':').filter(Boolean)) {
			const [key, value] = pair.split('=');
			args[camelCase(key)] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
		}
		if (definition.check) definition.check(args);
		directives.push({ name, times: match[2] === undefined ? undefined : Number(match[2]), args, stage: definition.stage });
	}
	return directives;
}

/** Counts generation attempts per full prompt text, for "[fault:NAME*N]" (fail N times, then succeed). */
class DirectiveAttempts {
	constructor() {
		/** @type {Map<string, number>} */
		this.byPrompt = new Map();
	}

	/** @param {string} prompt */
	next(prompt) {
		const attempt = (this.byPrompt.get(prompt) || 0) + 1;
		this.byPrompt.set(prompt, attempt);
		return attempt;
	}

	clear() {
		this.byPrompt.clear();
	}
}

/**
 * Hands a request to the fault chosen for it, and notes the fault in the request's log entry. Its
 * respond() gets `ctx` (what its stage offers) and what every fault may use: its args, the two
 * origins' URLs and a wait that close() cancels.
 * @param {import('./server').State} state
 * @param {ChosenFault} fault
 * @param {import('./request-log').RequestLogEntry} entry
 * @param {Omit<GenerateContext, 'args' | 'baseUrl' | 'imageBaseUrl' | 'wait'> | Pick<GenerateContext, 'req' | 'res' | 'endpoint'> | Omit<ImageContext, 'args' | 'baseUrl' | 'imageBaseUrl' | 'wait'>} ctx
 */
function respondWithFault(state, fault, entry, ctx) {
	entry.fault = fault.name;
	// The fault was chosen for this request's stage (FaultQueue.take, the directive's stage).
	const respond = /** @type {(ctx: object) => void | Promise<void>} */ (FAULTS[fault.name].respond);
	return respond({ ...ctx, args: fault.args, baseUrl: state.baseUrl, imageBaseUrl: state.imageBaseUrl, wait: (/** @type {number} */ ms) => state.wait(ms) });
}

/**
 * The generation directive active on this attempt: the first whose N is not used up.
 * @param {Directive[]} directives
 * @param {number} attempt
 */
function activeDirective(directives, attempt) {
	return directives.find((d) => d.stage === 'generate' && (d.times === undefined || attempt <= d.times)) || null;
}

module.exports = {
	FAULTS,
	FAULT_NAMES,
	FaultQueue,
	DirectiveAttempts,
	parseDirectives,
	activeDirective,
	normalizeFaultSpec,
	respondWithFault,
};
