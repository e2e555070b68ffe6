'use strict';
// startEmulator(): the shared state and the two HTTP servers (API origin, image origin).

const http = require('http');
const { once } = require('events');
const { newRequestId, sendError, isGone, errorMessage } = require('./http-util');
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

/**
 * @typedef {import('./request-log').RequestLogEntry} RequestLogEntry
 * @typedef {import('./faults').FaultSpec} FaultSpec
 *
 * @typedef {object} EmulatorOptions
 * @property {string} [host]           Default '127.0.0.1'.
 * @property {number} [port]           API origin port; default 0 (any free port).
 * @property {number} [imagePort]      Image origin port; default 0 (any free port).
 * @property {string} [apiKey]         Expected bearer key; default 'test-key'.
 * @property {number} [latencyMs]      Delay before successful generation answers; default 0.
 * @property {number} [imageLatencyMs] Delay before image answers; default 0.
 * @property {{ longSide?: number }} [flux] Flux output size: the long side of the aspect ratio; default 1024.
 * @property {boolean} [noiseImages]   Every image is an incompressible noise PNG (also per request: header X-Emulator-Noise: 1).
 * @property {{ width: number, height: number }} [imageSize] Forces the size of every generated image (reported in Flux answers too).
 * @property {number} [imageCacheBytes] Byte limit of the rendered-image cache; default 64 MiB.
 *
 * @typedef {object} Emulator
 * @property {string} baseUrl          e.g. 'http://127.0.0.1:41541' (no trailing slash).
 * @property {string} imageBaseUrl     The image/storage origin, e.g. 'http://127.0.0.1:41542'.
 * @property {string} apiKey
 * @property {RequestLogEntry[]} requests Live log of requests on both origins (admin routes excluded); emptied by clearLog().
 * @property {(ms: number) => void} setLatency
 * @property {(ms: number) => void} setImageLatency
 * @property {(faults: FaultSpec | FaultSpec[]) => number} injectFaults Queues faults, matched in order; throws on an unknown name or a bad target. Returns how many were queued.
 * @property {() => void} resetFaults  Drops queued faults and the attempt counts of prompt directives.
 * @property {() => import('./faults').PendingFault[]} pendingFaults
 * @property {() => void} clearLog     Empties the log and resets counts (requests in flight stay counted as in flight).
 * @property {() => import('./request-log').EmulatorStats} stats
 * @property {() => Promise<void>} close Destroys open sockets (hung ones too) and resolves once both servers are closed.
 */

/**
 * @param {unknown} ms
 * @param {string} name
 */
function checkLatency(ms, name) {
	if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
		throw new TypeError(`${name} must be a number of milliseconds >= 0, got ${ms}`);
	}
	return ms;
}

/** @param {EmulatorOptions['imageSize'] | null} size */
function checkImageSize(size) {
	if (size === undefined || size === null) return undefined;
	const ok = (/** @type {number} */ n) => Number.isInteger(n) && n >= 1 && n <= 16384;
	if (!ok(size.width) || !ok(size.height)) throw new TypeError('imageSize must be {width, height} in whole pixels');
	return { width: size.width, height: size.height };
}

/**
 * @typedef {EmulatorState} State
 * @typedef {(state: State, req: import('./http-util').Request, res: import('./http-util').Response, entry: RequestLogEntry) => Promise<void>} Handler
 *   answers one request of an origin
 */

/** Everything the request handlers share. */
class EmulatorState {
	/** @param {EmulatorOptions} options */
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
		/** @type {Set<NodeJS.Timeout>} */
		this.timers = new Set();
		/** @type {Set<import('./http-util').Response>} */
		this.openResponses = new Set(); // close() waits for their 'close' events so the log is final
	}

	get requests() {
		return this.log.entries;
	}

	/**
	 * A delay that close() can cancel, so no timer keeps the process alive after close.
	 * @param {number} ms
	 * @returns {Promise<void>}
	 */
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

	/** @param {FaultSpec | FaultSpec[] | undefined} faults */
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

	/** @param {number} ms */
	setLatency(ms) {
		this.config.latencyMs = checkLatency(ms, 'latencyMs');
	}

	/** @param {number} ms */
	setImageLatency(ms) {
		this.config.imageLatencyMs = checkLatency(ms, 'imageLatencyMs');
	}

	latency() {
		return { latencyMs: this.config.latencyMs, imageLatencyMs: this.config.imageLatencyMs };
	}
}

/**
 * @param {import('./http-util').Response} res
 * @param {unknown} error
 */
function answerUnexpected(res, error) {
	if (isGone(res)) return;
	if (res.headersSent) res.destroy(/** @type {Error} what the handler threw */ (error));
	else sendError(res, 500, 'emulator_error', `Emulator bug: ${errorMessage(error)}`);
}

/**
 * @param {import('./request-log').Origin} origin
 * @param {EmulatorState} state
 * @param {Handler} handler
 */
function createOriginServer(origin, state, handler) {
	const server = http.createServer((req, res) => {
		const requestId = newRequestId();
		res.setHeader('X-Request-Id', requestId);
		state.openResponses.add(res);
		res.once('close', () => state.openResponses.delete(res));
		if (origin === 'api' && isAdminPath(String(req.url))) {
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

/**
 * @param {http.Server} server
 * @param {string} host
 * @param {number} port
 */
async function listen(server, host, port) {
	server.listen(port, host);
	await once(server, 'listening');
	return /** @type {import('node:net').AddressInfo} */ (server.address()).port;
}

/**
 * @param {http.Server} server
 * @returns {Promise<void>}
 */
function closeServer(server) {
	return new Promise((resolve) => {
		if (!server.listening) return resolve();
		server.close(() => resolve());
		server.closeAllConnections(); // also the hung and keep-alive ones, or close() would wait for them
	});
}

/**
 * @param {string} host
 * @param {number} port
 */
function originUrl(host, port) {
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the API origin and the image origin.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
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
		throw [api, image].find((result) => result.status === 'rejected')?.reason;
	}
	state.baseUrl = originUrl(host, api.value);
	state.imageBaseUrl = originUrl(host, image.value);

	/** @type {Promise<void> | undefined} */
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
