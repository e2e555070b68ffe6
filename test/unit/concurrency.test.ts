import { forEachWithConcurrency, Limiter, loopTurns, runLimits } from '../../nodes/Pomelo/helpers/concurrency';

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

describe('Limiter', () => {
	test('at most `size` tasks at once; the others start in the order they asked', async () => {
		const limiter = new Limiter(2);
		const ends = Array.from({ length: 5 }, () => deferred());
		const started: number[] = [];
		const outcomes = Promise.allSettled(
			ends.map(async (end, index) =>
				await limiter.run(async () => {
					started.push(index);
					await end.promise;
				}),
			),
		);
		await tick();
		expect(started).toEqual([0, 1]);
		ends[1].resolve();
		await tick();
		expect(started).toEqual([0, 1, 2]);
		ends[0].reject(new Error('failed'));
		await tick();
		// A failed task gives its slot back too.
		expect(started).toEqual([0, 1, 2, 3]);
		for (const end of ends) end.resolve();
		expect((await outcomes).map((outcome) => outcome.status)).toEqual([
			'rejected',
			'fulfilled',
			'fulfilled',
			'fulfilled',
			'fulfilled',
		]);
		expect(started).toEqual([0, 1, 2, 3, 4]);
	});
});

describe('Limiter with tasks that take several slots', () => {
	test('a task takes its slots at once, and waits its turn: no later task overtakes it', async () => {
		const limiter = new Limiter(4);
		const ends = Array.from({ length: 3 }, () => deferred());
		const started: string[] = [];
		const task = (name: string, end: Promise<void>) => async () => {
			started.push(name);
			await end;
		};
		const done = Promise.all([
			limiter.run(task('a:3', ends[0].promise), 3),
			limiter.run(task('b:4', ends[1].promise), 4),
			limiter.run(task('c:1', ends[2].promise), 1),
		]);
		await tick();
		// b needs all 4 slots: it waits for a; c, asking later, waits behind b although 1 slot is free.
		expect(started).toEqual(['a:3']);
		ends[0].resolve();
		await tick();
		expect(started).toEqual(['a:3', 'b:4']);
		ends[1].resolve();
		await tick();
		expect(started).toEqual(['a:3', 'b:4', 'c:1']);
		ends[2].resolve();
		await done;
	});

	test('a task asking for more slots than there are takes them all', async () => {
		const limiter = new Limiter(2);
		await expect(limiter.run(async () => 'ran', 9)).resolves.toBe('ran');
	});
});

describe('runLimits: the shares of one node run (README, Performance)', () => {
	test('Concurrency C: C generation slots, 2·C items in progress, C download slots', () => {
		const limits = runLimits(3);
		expect(limits.generations.size).toBe(3);
		expect(limits.items).toBe(6);
		expect(limits.downloads.size).toBe(3);
	});

	test('an item gives its generation slot back once answered: the next generation starts while it downloads', async () => {
		const limits = runLimits(2);
		const answers = Array.from({ length: 6 }, () => deferred());
		const downloads = Array.from({ length: 6 }, () => deferred());
		const generating: number[] = [];
		const done = forEachWithConcurrency(6, limits.items, async (index) => {
			await limits.generations.run(async () => {
				generating.push(index);
				await answers[index].promise;
			});
			await downloads[index].promise;
		});
		await tick();
		expect(generating).toEqual([0, 1]);
		answers[0].resolve();
		answers[1].resolve();
		await tick();
		// Items 0 and 1 download; 2 and 3 generate: 4 items (2·C) in progress.
		expect(generating).toEqual([0, 1, 2, 3]);
		answers[2].resolve();
		answers[3].resolve();
		await tick();
		expect(generating).toEqual([0, 1, 2, 3]);
		downloads[0].resolve();
		await tick();
		await tick();
		expect(generating).toEqual([0, 1, 2, 3, 4]);
		for (const end of [...answers, ...downloads]) end.resolve();
		await done;
		expect(generating).toEqual([0, 1, 2, 3, 4, 5]);
	});
});

describe('loopTurns: long synchronous work gives the event loop turns', () => {
	test('once its slice has passed, a turn lets waiting timers run first', async () => {
		const turn = loopTurns(0);
		let timerRan = false;
		setTimeout(() => (timerRan = true), 0);
		// Several turns: a 0 ms timer may need the next timer phase of the loop.
		for (let i = 0; i < 5 && !timerRan; i++) await turn();
		expect(timerRan).toBe(true);
	});

	test('within its slice, a turn does not wait for the loop', async () => {
		const turn = loopTurns(60_000);
		let timerRan = false;
		setTimeout(() => (timerRan = true), 0);
		for (let i = 0; i < 100; i++) await turn();
		expect(timerRan).toBe(false);
	});
});
