import { forEachWithConcurrency } from '../../nodes/Pomelo/helpers/concurrency';

/** A promise settled from outside, so that tests decide when each worker ends. */
function deferred() {
	let resolve!: () => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<void>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

const tick = async () => await new Promise((resolve) => setImmediate(resolve));

describe('forEachWithConcurrency', () => {
	test('starts indexes in order and never runs more than the limit', async () => {
		const started: number[] = [];
		let running = 0;
		let maxRunning = 0;
		await forEachWithConcurrency(20, 4, async (index) => {
			started.push(index);
			running++;
			maxRunning = Math.max(maxRunning, running);
			await tick();
			running--;
		});
		expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
		expect(maxRunning).toBe(4);
	});

	test('a released slot starts the next index while the worker goes on, up to maxActive in progress', async () => {
		const ends = Array.from({ length: 6 }, () => deferred());
		const started: number[] = [];
		const done = forEachWithConcurrency(
			6,
			2,
			async (index, release) => {
				started.push(index);
				release();
				release(); // twice is harmless
				await ends[index].promise;
			},
			() => false,
			4,
		);
		await tick();
		// 2 slots, released at once: 4 workers in progress (maxActive), none finished.
		expect(started).toEqual([0, 1, 2, 3]);
		ends[0].resolve();
		await tick();
		expect(started).toEqual([0, 1, 2, 3, 4]);
		for (const end of ends) end.resolve();
		await done;
		expect(started).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test('workers that keep their slot are bounded by the limit', async () => {
		const ends = Array.from({ length: 5 }, () => deferred());
		const started: number[] = [];
		const done = forEachWithConcurrency(5, 2, async (index) => {
			started.push(index);
			await ends[index].promise;
		});
		await tick();
		expect(started).toEqual([0, 1]);
		ends[1].resolve();
		await tick();
		expect(started).toEqual([0, 1, 2]);
		for (const end of ends) end.resolve();
		await done;
	});

	test('shouldStop stops further starts; started workers are awaited', async () => {
		let stop = false;
		const finished: number[] = [];
		await forEachWithConcurrency(
			10,
			2,
			async (index) => {
				if (index === 1) stop = true;
				await tick();
				finished.push(index);
			},
			() => stop,
		);
		expect(finished.sort()).toEqual([0, 1]);
	});

	test('a failing worker stops further starts and its error is thrown after the others end', async () => {
		const slow = deferred();
		let slowEnded = false;
		const done = forEachWithConcurrency(10, 2, async (index) => {
			if (index === 0) {
				await slow.promise;
				slowEnded = true;
			}
			if (index === 1) throw new Error('boom');
		});
		await tick();
		slow.resolve();
		await expect(done).rejects.toThrow('boom');
		expect(slowEnded).toBe(true);
	});

	test('zero items resolve at once; a bad limit counts as 1', async () => {
		await forEachWithConcurrency(0, 3, async () => {
			throw new Error('not called');
		});
		let running = 0;
		let maxRunning = 0;
		await forEachWithConcurrency(3, Number.NaN, async () => {
			running++;
			maxRunning = Math.max(maxRunning, running);
			await tick();
			running--;
		});
		expect(maxRunning).toBe(1);
	});
});
