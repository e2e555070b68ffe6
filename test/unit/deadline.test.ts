/**
 * The deadline of one attempt (README, "Reliability": Request Timeout is a deadline for the whole
 * answer): its signal aborts when the time passes or when the execution is cancelled or a sibling
 * image failed, and `expired()` says which, because only the deadline makes a failure a timeout.
 */
import { deadline } from '../../nodes/Pomelo/transport/deadline';

const aborted = async (signal: AbortSignal) =>
	await new Promise<void>((resolve) => {
		if (signal.aborted) resolve();
		else signal.addEventListener('abort', () => resolve(), { once: true });
	});
const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

test('the time passing aborts the signal, as expired', async () => {
	const timer = deadline(20);
	expect(timer.signal.aborted).toBe(false);
	expect(timer.expired()).toBe(false);
	await aborted(timer.signal);
	expect(timer.expired()).toBe(true);
	timer.end();
});

test('ended before the time: never aborted, never expired', async () => {
	const timer = deadline(20);
	timer.end();
	await wait(60);
	expect(timer.signal.aborted).toBe(false);
	expect(timer.expired()).toBe(false);
});

test('an outer signal aborted already: aborted at once, not expired', () => {
	const outer = new AbortController();
	outer.abort();
	const timer = deadline(60_000, [undefined, outer.signal]);
	expect(timer.signal.aborted).toBe(true);
	expect(timer.expired()).toBe(false);
	timer.end();
});

test('an outer signal aborted later: aborted then, not expired, and not later by the time', async () => {
	const cancel = new AbortController();
	const sibling = new AbortController();
	const timer = deadline(40, [cancel.signal, sibling.signal]);
	sibling.abort();
	expect(timer.signal.aborted).toBe(true);
	await wait(80);
	expect(timer.expired()).toBe(false);
	timer.end();
});

test('once ended, an outer abort no longer reaches the signal', () => {
	const cancel = new AbortController();
	const timer = deadline(60_000, [cancel.signal]);
	timer.end();
	cancel.abort();
	expect(timer.signal.aborted).toBe(false);
});
