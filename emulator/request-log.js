'use strict';
// The request log, per-origin counters (count, inFlight, maxInFlight) and the count of generations
// performed. Pomelo bills a generation once the server has done it, whether or not the client got
// the answer, so generations are counted apart from requests.
// Bounded only by clear(): tests and benchmarks decide when to forget.

class RequestLog {
	constructor() {
		this.entries = []; // handed out as `emulator.requests`: cleared in place, never replaced
		this.counters = { api: newCounter(), image: newCounter() };
		this.generations = newGenerationCounter();
		this.epoch = 0; // bumped by clear(): a generation finishing later for an older request is not counted
	}

	begin(origin, req, requestId) {
		const entry = {
			id: requestId,
			origin,
			method: req.method,
			path: req.url,
			headers: req.headers, // already lower-case names, as received
			body: null,
			status: null, // stays null when no answer was sent (reset, hang)
			fault: null,
			completed: false, // false when the answer was cut off (truncated, client gone)
			generation: null, // {id, images, at} once the server performed the generation (billed)
			startedAt: Date.now(),
			endedAt: null,
		};
		Object.defineProperty(entry, 'epoch', { value: this.epoch }); // not part of the JSON log
		this.entries.push(entry);
		const counter = this.counters[origin];
		counter.count += 1;
		counter.inFlight += 1;
		if (counter.inFlight > counter.maxInFlight) counter.maxInFlight = counter.inFlight;
		return entry;
	}

	/** The server finished the generation of this request: it is billed, answered or not. */
	generationPerformed(entry, { id = null, images }) {
		entry.generation = { id, images, at: Date.now() };
		if (entry.epoch !== this.epoch) return;
		this.generations.performed += 1;
		this.generations.images += images;
	}

	/** res.rawAnswer: {status, completed} for an answer written to the socket by hand (trickled headers). */
	finish(entry, res) {
		const raw = res.rawAnswer;
		entry.status = res.headersSent ? res.statusCode : raw ? raw.status : null;
		entry.completed = res.writableFinished || Boolean(raw && raw.completed);
		entry.endedAt = Date.now();
		this.counters[entry.origin].inFlight -= 1;
	}

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

function newCounter() {
	return { count: 0, inFlight: 0, maxInFlight: 0 };
}

/** performed: generations the server finished; images: the images they produced. */
function newGenerationCounter() {
	return { performed: 0, images: 0 };
}

module.exports = { RequestLog };
