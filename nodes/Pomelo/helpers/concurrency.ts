/** Gives a worker's slot back early; calling it again, or after the worker ended, does nothing. */
export type ReleaseSlot = () => void;

/**
 * Runs `worker` for indexes 0..count-1, starting them in index order, with at most `limit` of them
 * holding a slot at once. A worker holds its slot until it ends or calls `release`: an item gives
 * its slot back once the API has answered, so that the next generation starts while its images
 * download. At most `maxActive` workers are in progress in all (default 2 × limit), which bounds
 * the downloads that run on without a slot. Once `shouldStop()` is true no further index is
 * started; the workers already started are awaited. A worker that throws stops further starts and
 * its error is thrown once the others have ended.
 */
export async function forEachWithConcurrency(
	count: number,
	limit: number,
	worker: (index: number, release: ReleaseSlot) => Promise<void>,
	shouldStop: () => boolean = () => false,
	maxActive?: number,
): Promise<void> {
	const slots = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	const activeLimit = Math.max(slots, Math.floor(maxActive ?? slots * 2) || slots);
	if (count <= 0) return;

	await new Promise<void>((resolve, reject) => {
		let next = 0;
		let holding = 0;
		let active = 0;
		let failure: { error: unknown } | undefined;

		const finishIfDone = () => {
			if (active > 0) return;
			if (failure) reject(failure.error);
			else if (next >= count || shouldStop()) resolve();
		};

		const pump = () => {
			while (next < count && holding < slots && active < activeLimit && !failure && !shouldStop()) {
				const index = next++;
				holding++;
				active++;
				let held = true;
				const release: ReleaseSlot = () => {
					if (!held) return;
					held = false;
					holding--;
					pump();
				};
				let settled: Promise<void>;
				try {
					settled = Promise.resolve(worker(index, release));
				} catch (error) {
					settled = Promise.reject(error);
				}
				settled.then(
					() => undefined,
					(error: unknown) => {
						failure ??= { error };
					},
				).then(() => {
					active--;
					release();
					pump();
					finishIfDone();
				});
			}
			finishIfDone();
		};

		pump();
	});
}
