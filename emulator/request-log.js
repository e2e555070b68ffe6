'use strict';
// The request log and per-origin counters (count, inFlight, maxInFlight).
// Bounded only by clear(): tests and benchmarks decide when to forget.

class RequestLog {
	constructor() {
		this.entries = []; // handed out as `emulator.requests`: cleared in place, never replaced
		this.counters = { api: newCounter(), image: newCounter() };
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
			startedAt: Date.now(),
			endedAt: null,
		};
		this.entries.push(entry);
		const counter = this.counters[origin];
		counter.count += 1;
		counter.inFlight += 1;
		if (counter.inFlight > counter.maxInFlight) counter.maxInFlight = counter.inFlight;
		return entry;
	}

	finish(entry, res) {
		entry.status = res.headersSent ? res.statusCode : null;
		entry.completed = res.writableFinished;
		entry.endedAt = Date.now();
		this.counters[entry.origin].inFlight -= 1;
	}

	stats() {
		return { api: { ...this.counters.api }, image: { ...this.counters.image } };
	}

	/** Forgets entries and counts; requests still in flight keep counting as in flight. */
	clear() {
		this.entries.length = 0;
		for (const counter of Object.values(this.counters)) {
			counter.count = 0;
			counter.maxInFlight = counter.inFlight;
		}
	}
}

function newCounter() {
	return { count: 0, inFlight: 0, maxInFlight: 0 };
}

module.exports = { RequestLog };
