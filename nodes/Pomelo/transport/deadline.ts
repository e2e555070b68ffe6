import { sleep } from 'n8n-workflow';

/** The HTTP client's idle timeout, set just beyond the deadline so that the deadline decides. */
export const BACKSTOP_MS = 1000;

/** The reason a deadline's timer is stopped: one shared error, as a run ends thousands of them. */
const ENDED = new Error('deadline ended');

export interface Deadline {
	/** Aborted when the deadline passes or one of the outer signals is. */
	signal: AbortSignal;
	/** Whether it was the deadline (not an outer signal) that aborted `signal`. */
	expired: () => boolean;
	/** Stops the timer and lets go of the outer signals. */
	end: () => void;
}

/**
 * The signal of one attempt: aborted after `ms` or as soon as an outer signal (the execution's
 * cancellation, a failed sibling) is, unless `end()` comes first. Written out rather than with
 * AbortSignal.any, which leaves every attempt's signal registered on the execution's long-lived
 * one until a garbage collection: a cost the event loop pays on every download (bench).
 */
export function deadline(ms: number, outer: Array<AbortSignal | undefined> = []): Deadline {
	const controller = new AbortController();
	const ended = new AbortController();
	let expired = false;
	const abort = () => controller.abort();
	const sources = outer.filter((signal): signal is AbortSignal => signal !== undefined);
	for (const source of sources) {
		if (source.aborted) abort();
		else source.addEventListener('abort', abort, { once: true });
	}
	sleep(ms, ended.signal).then(
		() => {
			expired = !controller.signal.aborted;
			abort();
		},
		() => undefined,
	);
	return {
		signal: controller.signal,
		expired: () => expired,
		end: () => {
			for (const source of sources) source.removeEventListener('abort', abort);
			ended.abort(ENDED);
		},
	};
}
