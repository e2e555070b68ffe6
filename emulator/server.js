'use strict';
// startEmulator(): the shared state and the two HTTP servers (API origin, image origin).

const http = require('http');
const { once } = require('events');
const { newRequestId, sendError, isGone } = require('./http-util');
const { RequestLog } = require('./request-log');
const { ImageStore } = require('./image-store');
const { FaultQueue, DirectiveAttempts } = require('./faults');
const { handleApiRequest } = require('./api-origin');
const { handleImageRequest } = require('./image-origin');
const { handleAdminRequest, isAdminPath } = require('./admin');

// Keep-alive: longer than a test's pause between requests, short enough not to pile up sockets.
// headersTimeout must exceed keepAliveTimeout (Node's own advice) to avoid racing the idle close.
// requestTimeout is off: a "hang" fault must stay open for as long as the client is willing to wait.
const KEEP_ALIVE_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 0;

function checkLatency(ms, name) {
	if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
		throw new TypeError(`${name} must be a number of milliseconds >= 0, got ${ms}`);
	}
	return ms;
}

function checkImageSize(size) {
	if (size === undefined || size === null) return undefined;
	const ok = (n) => Number.isInteger(n) && n >= 1 && n <= 16384;
	if (!ok(size.width) || !ok(size.height)) throw new TypeError('imageSize must be {width, height} in whole pixels');
	return { width: size.width, height: size.height };
}

/** Everything the request handlers share. */
class EmulatorState {
	constructor(options) {
		this.config = {
			apiKey: options.apiKey === undefined ? 'test-key' : String(options.apiKey),
			latencyMs: checkLatency(options.latencyMs === undefined ? 0 : options.latencyMs, 'latencyMs'),
			imageLatencyMs: checkLatency(options.imageLatencyMs === undefined ? 0 : options.imageLatencyMs, 'imageLatencyMs'),
			noiseImages: Boolean(options.noiseImages),
			imageSize: checkImageSize(options.imageSize),
			fluxLongSide: (options.flux && options.flux.longSide) || 1024,
		};
		this.baseUrl = '';
		this.imageBaseUrl = '';
		this.log = new RequestLog();
		this.store = new ImageStore({ cacheBytes: options.imageCacheBytes });
		this.faultQueue = new FaultQueue();
		this.directiveAttempts = new DirectiveAttempts();
		this.timers = new Set();
		this.openResponses = new Set(); // close() waits for their 'close' events so the log is final
	}

	get requests() {
		return this.log.entries;
	}

	/** A delay that close() can cancel, so no timer keeps the process alive after close. */
	wait(ms) {
		if (!(ms > 0)) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	cancelTimers() {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	injectFaults(faults) {
		if (faults === undefined) throw new Error('Send {"faults": [{"fault": "503", "on": "flux", "times": 1}, ...]}');
		return this.faultQueue.inject(faults);
	}

	/** Forgets queued faults and the per-prompt attempt counts of "[fault:NAME*N]" directives. */
	resetFaults() {
		this.faultQueue.clear();
		this.directiveAttempts.clear();
	}

	pendingFaults() {
		return this.faultQueue.list();
	}

	clearLog() {
		this.log.clear();
	}

	stats() {
		return this.log.stats();
	}

	setLatency(ms) {
		this.config.latencyMs = checkLatency(ms, 'latencyMs');
	}

	setImageLatency(ms) {
		this.config.imageLatencyMs = checkLatency(ms, 'imageLatencyMs');
	}

	latency() {
		return { latencyMs: this.config.latencyMs, imageLatencyMs: this.config.imageLatencyMs };
	}
}

function answerUnexpected(res, error) {
	if (isGone(res)) return;
	if (res.headersSent) res.destroy(error);
	else sendError(res, 500, 'emulator_error', `Emulator bug: ${error && error.message}`);
}

function createOriginServer(origin, state, handler) {
	const server = http.createServer((req, res) => {
		const requestId = newRequestId();
		res.setHeader('X-Request-Id', requestId);
		state.openResponses.add(res);
		res.once('close', () => state.openResponses.delete(res));
		if (origin === 'api' && isAdminPath(req.url)) {
			handleAdminRequest(state, req, res).catch((error) => answerUnexpected(res, error));
			return;
		}
		const entry = state.log.begin(origin, req, requestId);
		res.once('close', () => state.log.finish(entry, res));
		handler(state, req, res, entry).catch((error) => answerUnexpected(res, error));
	});
	server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
	server.headersTimeout = HEADERS_TIMEOUT_MS;
	server.requestTimeout = REQUEST_TIMEOUT_MS;
	return server;
}

async function listen(server, host, port) {
	server.listen(port, host);
	await once(server, 'listening');
	return server.address().port;
}

function closeServer(server) {
	return new Promise((resolve) => {
		if (!server.listening) return resolve();
		server.close(() => resolve());
		server.closeAllConnections(); // also the hung and keep-alive ones, or close() would wait for them
	});
}

function originUrl(host, port) {
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the API origin and the image origin. See index.d.ts for the options and the result.
 */
async function startEmulator(options = {}) {
	const host = options.host || '127.0.0.1';
	const state = new EmulatorState(options);
	const apiServer = createOriginServer('api', state, handleApiRequest);
	const imageServer = createOriginServer('image', state, handleImageRequest);

	// allSettled: if one port is taken, the other server must have finished listening before we close it.
	const [api, image] = await Promise.allSettled([
		listen(apiServer, host, options.port || 0),
		listen(imageServer, host, options.imagePort || 0),
	]);
	if (api.status === 'rejected' || image.status === 'rejected') {
		await Promise.all([closeServer(apiServer), closeServer(imageServer)]);
		throw api.status === 'rejected' ? api.reason : image.reason;
	}
	state.baseUrl = originUrl(host, api.value);
	state.imageBaseUrl = originUrl(host, image.value);

	let closing;
	const close = () => {
		if (!closing) {
			state.cancelTimers();
			// A server reports 'close' before the responses on its destroyed sockets do; wait for both.
			const responsesClosed = [...state.openResponses].map((res) => new Promise((r) => res.once('close', r)));
			closing = Promise.all([closeServer(apiServer), closeServer(imageServer), ...responsesClosed]).then(
				() => undefined,
			);
		}
		return closing;
	};

	return {
		baseUrl: state.baseUrl,
		imageBaseUrl: state.imageBaseUrl,
		apiKey: state.config.apiKey,
		requests: state.requests,
		setLatency: (ms) => state.setLatency(ms),
		setImageLatency: (ms) => state.setImageLatency(ms),
		injectFaults: (faults) => state.injectFaults(faults),
		resetFaults: () => state.resetFaults(),
		pendingFaults: () => state.pendingFaults(),
		clearLog: () => state.clearLog(),
		stats: () => state.stats(),
		close,
	};
}

module.exports = { startEmulator };
