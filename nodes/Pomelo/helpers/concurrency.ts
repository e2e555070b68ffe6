import { sleep } from 'n8n-workflow';

/**
 * Returns a function to call between pieces of synchronous work: it gives the event loop a turn
 * once `sliceMs` have passed since the last turn, and costs nothing before that. n8n serves every
 * other workflow and webhook on this loop, so checking hundreds of items must not hold it.
 */
export function loopTurns(sliceMs = 8): () => Promise<void> {
	let sliceStart = Date.now();
	return async () => {
		if (Date.now() - sliceStart < sliceMs) return;
		await sleep(0);
		sliceStart = Date.now();
	};
}

/**
 * A first-come, first-served limit: tasks holding at most `size` slots run at once; the others
 * wait in the order they asked. A task may take several slots at once (never more than `size`).
 */
export class Limiter {
	private running = 0;

	private readonly waiting: Array<{ slots: number; start: () => void }> = [];

	constructor(readonly size: number) {}

	async run<T>(task: () => Promise<T>, slots = 1): Promise<T> {
		const taken = Math.min(Math.max(1, slots), this.size);
		if (this.waiting.length === 0 && this.running + taken <= this.size) this.running += taken;
		else await new Promise<void>((start) => this.waiting.push({ slots: taken, start }));
		try {
			return await task();
		} finally {
			this.running -= taken;
			// Slots pass to the next in line, in order, as long as they fit.
			while (this.waiting.length > 0 && this.running + this.waiting[0].slots <= this.size) {
				const next = this.waiting.shift()!;
				this.running += next.slots;
				next.start();
			}
		}
	}
}

/**
 * How one node run shares out its work, for Concurrency C: at most C generation requests in
 * flight; an item gives its slot back as soon as the API has answered, so the next generation
 * starts while its images download; at most 2·C items in progress, and C items' image downloads
 * in flight across the run (an item takes the slots of all its images at once, all C when it has
 * more images than that). Downloads are bounded as tightly as generations because each one streams
 * on n8n's event loop: twice as many at once doubled the loop's worst delays (bench, Performance).
 */
export interface RunLimits {
	items: number;
	generations: Limiter;
	downloads: Limiter;
}

export function runLimits(concurrency: number): RunLimits {
	const slots = Math.max(1, Math.floor(concurrency) || 1);
	return { items: slots * 2, generations: new Limiter(slots), downloads: new Limiter(slots) };
}

/**
 * Runs `worker` for indexes 0..count-1, starting them in index order, at most `limit` at once.
 * Once `shouldStop()` is true no further index is started; the workers already started are
 * awaited. A worker that throws stops further starts and its error is thrown once the others
 * have ended.
 */
export async function forEachWithConcurrency(
	count: number,
	limit: number,
	worker: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lane = async () => {
		while (next < count && !failure && !shouldStop()) {
			const index = next++;
			try {
				await worker(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	if (failure) throw failure.error;
}
