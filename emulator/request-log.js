'use strict';
// The request log, per-origin counters (count, inFlight, maxInFlight) and the count of generations
// performed. Pomelo bills a generation once the server has done it, whether or not the client got
// the answer, so generations are counted apart from requests.
// Bounded only by clear(): tests and benchmarks decide when to forget.

/**
 * @typedef {'api' | 'image'} Origin
 *
 * @typedef {object} RequestLogEntry
 * @property {string} id              The X-Request-Id sent back.
 * @property {Origin} origin
 * @property {string} method
 * @property {string} path            Path with query string, as received.
 * @property {import('node:http').IncomingHttpHeaders} headers Request headers, lower-case names, as received.
 * @property {unknown} body           API POSTs: the parsed JSON, or the raw text when it did not parse; otherwise null.
 * @property {number | null} status   Status sent; null while in flight or when no answer was sent (reset, hang).
 * @property {string | null} fault    Name of the fault applied, or null.
 * @property {{ id: string | null, images: number, at: number } | null} generation
 *   Set once the server performed (and would bill) the generation of this request, whether or not
 *   the client got the answer: the Flux generation id (null for Midjourney), the images produced,
 *   and when (Date.now()). null for requests that generated nothing.
 * @property {boolean} completed      False while in flight or when the answer was cut off (image-truncated, client gone).
 * @property {number} startedAt       Date.now()
 * @property {number | null} endedAt  Date.now()
 *
 * @typedef {{ count: number, inFlight: number, maxInFlight: number }} OriginStats
 * @typedef {{ performed: number, images: number }} GenerationStats
 * @typedef {{ api: OriginStats, image: OriginStats, generations: GenerationStats }} EmulatorStats
 */

class RequestLog {
	constructor() {
		/** @type {RequestLogEntry[]} */
		this.entries = []; // handed out as `emulator.requests`: cleared in place, never replaced
		this.counters = { api: newCounter(), image: newCounter() };
		this.generations = newGenerationCounter();
		this.epoch = 0; // bumped by clear(): a generation finishing later for an older request is not counted
	}

	/**
	 * @param {Origin} origin
	 * @param {import('./http-util').Request} req
	 * @param {string} requestId
	 */
	begin(origin, req, requestId) {
		/** @type {RequestLogEntry} */
		const entry = {
			id: requestId,
			origin,
			method: String(req.method),
			path: String(req.url),
			headers: req.headers, // already lower-case names, as received
			body: null,
			status: null, // stays null when no answer was sent (reset, hang)
			fault: null,
			completed: false, // false when the answer was cut off (truncated, client gone)
			generation: null, // {id, images, at} once the server performed the generation (billed)
			startedAt: Date.now(),
			endedAt: null,
		};
		epochs.set(entry, this.epoch); // not part of the JSON log
		this.entries.push(entry);
		const counter = this.counters[origin];
		counter.count += 1;
		counter.inFlight += 1;
		if (counter.inFlight > counter.maxInFlight) counter.maxInFlight = counter.inFlight;
		return entry;
	}

	/**
	 * The server finished the generation of this request: it is billed, answered or not.
	 * @param {RequestLogEntry} entry
	 * @param {{ id?: string | null, images: number }} generation
	 */
	generationPerformed(entry, { id = null, images }) {
		entry.generation = { id, images, at: Date.now() };
		if (epochs.get(entry) !== this.epoch) return;
		this.generations.performed += 1;
		this.generations.images += images;
	}

	/**
	 * res.rawAnswer: {status, completed} for an answer written to the socket by hand (trickled headers).
	 * @param {RequestLogEntry} entry
	 * @param {import('./http-util').Response} res
	 */
	finish(entry, res) {
		const raw = res.rawAnswer;
		entry.status = res.headersSent ? res.statusCode : raw ? raw.status : null;
		entry.completed = res.writableFinished || Boolean(raw && raw.completed);
		entry.endedAt = Date.now();
		this.counters[entry.origin].inFlight -= 1;
	}

	/** @returns {EmulatorStats} */
	stats() {
		return { api: { ...this.counters.api }, image: { ...this.counters.image }, generations: { ...this.generations } };
	}

	/** Forgets entries and counts; requests still in flight keep counting as in flight. */
	clear() {
		this.entries.length = 0;
		this.epoch += 1;
		this.generations = newGenerationCounter();
		for (const counter of Object.values(this.counters)) {
			counter.count = 0;
			counter.maxInFlight = counter.inFlight;
		}
	}
}

/**
 * The log's epoch when each entry began (see clear()), kept out of the entries' JSON.
 * @type {WeakMap<RequestLogEntry, number>}
 */
const epochs = new WeakMap();

/** @returns {OriginStats} */
function newCounter() {
	return { count: 0, inFlight: 0, maxInFlight: 0 };
}

/** performed: generations the server finished; images: the images they produced. */
function newGenerationCounter() {
	return { performed: 0, images: 0 };
}

module.exports = { RequestLog };
