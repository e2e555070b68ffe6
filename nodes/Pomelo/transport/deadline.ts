import { sleep } from 'n8n-workflow';

/** The HTTP client's idle timeout, set just beyond the deadline so that the deadline decides. */
export const BACKSTOP_MS = 1000;

/** The reason a deadline's timer is stopped: one shared error, as a download ends thousands of them. */
const ENDED = new Error('deadline ended');

/** An AbortSignal that fires after `ms` unless `end()` comes first (n8n's sleep keeps the timer). */
export function deadline(ms: number): { signal: AbortSignal; end: () => void } {
	const expired = new AbortController();
	const ended = new AbortController();
	sleep(ms, ended.signal).then(
		() => expired.abort(),
		() => undefined,
	);
	return { signal: expired.signal, end: () => ended.abort(ENDED) };
}
