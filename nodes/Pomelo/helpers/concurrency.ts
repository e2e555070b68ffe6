/**
 * Runs `worker` for indexes 0..count-1 with at most `limit` running at once, starting them in
 * index order. Once `shouldStop()` is true no further index is started.
 */
export async function forEachWithConcurrency(
	count: number,
	limit: number,
	worker: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await worker(index);
		}
	};
	const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: lanes }, lane));
}
