// The run summary's wording (README, "Run summary") for sizes the emulator's small images do not reach.
import { runSummary } from '../../nodes/Pomelo/helpers/hints';

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
