/**
 * A first-come, first-served limit: at most `size` tasks run at once; the others wait in the order
 * they asked.
 */
export class Limiter {
	private running = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.running < this.size) this.running++;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		try {
			return await task();
		} finally {
			// The slot passes straight to the next in line, or is freed.
			const next = this.waiting.shift();
			if (next) next();
			else this.running--;
		}
	}
}

/**
 * How one node run shares out its work, for Concurrency C: at most C generation requests in
 * flight; an item gives its slot back as soon as the API has answered, so the next generation
 * starts while its images download; at most 2·C items in progress, and 4·C image downloads in
 * flight across the run, whatever an answer lists.
 */
export interface RunLimits {
	items: number;
	generations: Limiter;
	downloads: Limiter;
}

export function runLimits(concurrency: number): RunLimits {
	const slots = Math.max(1, Math.floor(concurrency) || 1);
	return { items: slots * 2, generations: new Limiter(slots), downloads: new Limiter(slots * 4) };
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
