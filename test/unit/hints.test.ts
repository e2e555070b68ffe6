// The run summary's wording (README, "Run summary"): sizes the emulator's small images do not reach,
// failures per class and where they went, and when n8n is given the hint.
import type { IExecuteFunctions } from 'n8n-workflow';

import { addRunSummaryHint, runSummary } from '../../nodes/Pomelo/helpers/hints';
import { pomeloNodeRef } from '../helpers/node-ref';

const image = (fileSize: number) => ({ json: { url: 'https://storage.example.com/a.png', fileSize } });

test('five images of 2.24 MiB from five prompts: "11.2 MB"', () => {
	const items = Array.from({ length: 5 }, () => image(2_348_810));
	expect(runSummary(5, items, 'items')).toEqual({ type: 'info', location: 'outputPane', message: '5 images from 5 prompts, 11.2 MB' });
});

test('one item per request: its images are counted', () => {
	const item = { json: { images: [{ url: 'u0', fileSize: 600_000 }, { url: 'u1', fileSize: 600_000 }] } };
	expect(runSummary(1, [item], 'items').message).toBe('2 images from 1 prompt, 1.1 MB');
});

test('a tiny image still reads as 1 kB, not 0', () => {
	expect(runSummary(1, [image(200)], 'items').message).toBe('1 image from 1 prompt, 1 kB');
});

test('exactly 1 MB (1,048,576 bytes) reads as "1.0 MB"', () => {
	expect(runSummary(1, [image(1_048_576)], 'items').message).toBe('1 image from 1 prompt, 1.0 MB');
});

test('Return URLs Only: image URLs, not downloaded', () => {
	const urls = [1, 2, 3].map(() => ({ json: { url: 'https://storage.example.com/a.png' } }));
	expect(runSummary(3, urls, 'items')).toEqual({
		type: 'info',
		location: 'outputPane',
		message: '3 image URLs from 3 prompts (not downloaded)',
	});
});

test('items that returned URLs only (an option per item) do not hide the size of the stored ones', () => {
	const items = [image(600_000), { json: { url: 'https://storage.example.com/b.png' } }];
	expect(runSummary(2, items, 'items').message).toBe('2 images from 2 prompts, 586 kB');
});

describe('failed items: how many of how many, per error class, and where they went', () => {
	const failed = (errorClass?: string) => ({ json: { error: { message: 'x', ...(errorClass && { errorClass }) } } });
	const output = [image(1000), failed('moderation'), image(1000), failed('rate_limit'), failed('moderation')];

	test.each([
		['errorOutput', '3 of 5 items failed: moderation 2, rate_limit 1; see the error output'],
		['items', '3 of 5 items failed: moderation 2, rate_limit 1; see their error items'],
		['agent', '3 of 5 items failed: moderation 2, rate_limit 1; the agent received the error text'],
	] as const)('%s', (destination, message) => {
		expect(runSummary(5, output, destination)).toEqual({ type: 'warning', location: 'outputPane', message });
	});

	test('an error without a class counts as unknown', () => {
		expect(runSummary(1, [failed()], 'items').message).toBe('1 of 1 item failed: unknown 1; see their error items');
	});
});

describe('the hint under the node\'s output', () => {
	function run(onError: string | undefined, inputCount: number, withHints = true) {
		const hints: unknown[] = [];
		const context = {
			getNode: () => ({ ...pomeloNodeRef, onError }),
			getInputData: () => Array.from({ length: inputCount }, () => ({ json: {} })),
			...(withHints && { addExecutionHints: (...added: unknown[]) => hints.push(...added) }),
		} as unknown as IExecuteFunctions;
		return { context, hints };
	}
	const output = [image(1000), { json: { error: { message: 'x', errorClass: 'moderation' } } }];

	test.each([
		['continueErrorOutput', false, '1 of 2 items failed: moderation 1; see the error output'],
		['continueRegularOutput', false, '1 of 2 items failed: moderation 1; see their error items'],
		[undefined, false, '1 of 2 items failed: moderation 1; see their error items'],
		['continueErrorOutput', true, '1 of 2 items failed: moderation 1; the agent received the error text'],
	])('On Error %s, tool run %s: "%s"', (onError, toolRun, message) => {
		const { context, hints } = run(onError, 2);
		addRunSummaryHint(context, output, toolRun);
		expect(hints).toEqual([{ type: 'warning', location: 'outputPane', message }]);
	});

	test('no input items, no hint', () => {
		const { context, hints } = run(undefined, 0);
		addRunSummaryHint(context, [], false);
		expect(hints).toEqual([]);
	});

	test('an n8n without execution hints: the run goes on without one', () => {
		const { context } = run(undefined, 2, false);
		expect(() => addRunSummaryHint(context, output, false)).not.toThrow();
	});
});
