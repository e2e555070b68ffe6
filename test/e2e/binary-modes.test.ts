// Binary data modes: n8n 1.x keeps binary data in memory by default (mode "default"), n8n 2.x on
// disk (mode "filesystem"). The Midjourney example runs here once in each mode, set explicitly, on
// every n8n version of the matrix: four PNGs in the items, and n8n's Write Files node writes the same
// bytes to disk.
import { createHash } from 'crypto';
import { mkdirSync } from 'fs';
import { join } from 'path';

import { decodePngInfo } from '../../emulator';
import { examplesLib, nodeItems, readPngFiles, sharedN8n, state, type ItemLike } from './helpers';

const s = state();
const { EXAMPLES } = examplesLib;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Runs the Midjourney example with `n8n execute` in binary data mode `mode` (the shared n8n's user
 * folder and database) and checks what both modes share: four 768x512 PNG items and the four files
 * n8n wrote. Resolves with the items.
 */
async function runMidjourneyExample(mode: string): Promise<{ items: ItemLike[]; files: ReturnType<typeof readPngFiles> }> {
	const n8n = sharedN8n(s, { N8N_DEFAULT_BINARY_DATA_MODE: mode });
	const outDir = join(s.filesDir, `binary-mode-${mode}`);
	mkdirSync(outDir, { recursive: true });
	const workflow = examplesLib.loadExample(EXAMPLES.midjourney, { filesDir: outDir });
	workflow.id = `pomeloMjMode${mode === 'default' ? 'Memory' : 'Disk'}`;
	workflow.name = `${workflow.name} (binary data mode ${mode})`;
	await n8n.importWorkflow(workflow);

	const result = await n8n.execute(workflow.id);
	expect(result.code).toBe(0);
	const items = nodeItems(result.run, 'Midjourney: 4 variations');
	expect(items).toHaveLength(4);
	for (const item of items) expect(item.binary!.data.mimeType).toBe('image/png');
	const files = readPngFiles(outDir);
	expect(files).toHaveLength(4);
	for (const file of files) expect([file.width, file.height]).toEqual([768, 512]);
	expect(new Set(files.map((f) => sha256(f.bytes))).size).toBe(4);
	return { items, files };
}

test('mode "default" (in memory, n8n 1.x\'s default): the images travel in the items as base64, the same bytes n8n wrote to disk', async () => {
	const { items, files } = await runMidjourneyExample('default');
	const fromItems = items.map((item) => {
		const binary = item.binary!.data;
		// In memory: the bytes are in the item, no reference to a stored file.
		expect(binary.id).toBeUndefined();
		const bytes = Buffer.from(binary.data!, 'base64');
		expect(decodePngInfo(bytes)).toMatchObject({ width: 768, height: 512 });
		return sha256(bytes);
	});
	expect(files.map((f) => sha256(f.bytes)).sort()).toEqual([...fromItems].sort());
});

test('mode "filesystem" (n8n 2.x\'s default): the items reference stored files, the bytes written to disk', async () => {
	const { items } = await runMidjourneyExample('filesystem');
	for (const item of items) {
		expect(item.binary!.data.id).toMatch(/^filesystem(-v2)?:/);
		expect(item.binary!.data.data).not.toMatch(/^iVBOR/); // not the PNG's base64
	}
});
