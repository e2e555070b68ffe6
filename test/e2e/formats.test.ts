// Every image format the README promises (PNG, JPEG, WebP, GIF), in a real n8n with the package
// installed: the emulator serves the format a prompt's "[format:NAME]" asks for; n8n's Read/Write
// Files node takes each image out of n8n's binary store and writes it under the file name the node
// gave it. Checked: the item's MIME type and file name, and the written bytes' format and size.
import { mkdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { imageInfo } from '../../emulator';
import { examplesLib, nodeItems, sharedN8n, state } from './helpers';

const s = state();
const n8n = sharedN8n(s);
const { EXAMPLES } = examplesLib;

// From the README: MIME type and extension read from the bytes; the emulator's extensions.
const FORMATS = [
	{ directive: 'png', mimeType: 'image/png', extension: 'png' },
	{ directive: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg' },
	{ directive: 'webp', mimeType: 'image/webp', extension: 'webp' },
	{ directive: 'gif', mimeType: 'image/gif', extension: 'gif' },
];

test('four formats in one run: MIME type, extension and 1024x576 of each file n8n wrote from its binary store', async () => {
	const outDir = join(s.filesDir, 'formats');
	mkdirSync(outDir, { recursive: true });
	// Example 01 (Code → Pomelo Flux.1 16:9 → Read/Write Files), with one prompt per format and the
	// node's own file name.
	const workflow = examplesLib.loadExample(EXAMPLES.pipeline);
	workflow.id = 'pomeloFormats0001';
	workflow.name = 'Pomelo: every image format';
	const code = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.code')!;
	code.parameters.jsCode = `return ${JSON.stringify(FORMATS.map(({ directive }) => ({ json: { prompt: `A lighthouse [format:${directive}]` } })))};`;
	const save = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.readWriteFile')!;
	save.parameters.fileName = `=${outDir}/{{ $binary.data.fileName }}`;
	await n8n.importWorkflow(workflow);

	const result = await n8n.execute(workflow.id);
	expect(result.code).toBe(0);
	expect(result.run?.data.resultData.error).toBeUndefined();
	const generated = nodeItems(result.run!, 'Generate header images');
	expect(generated).toHaveLength(FORMATS.length);
	for (const [index, { mimeType, extension }] of FORMATS.entries()) {
		const item = generated[index];
		const fileName = item.binary!.data.fileName!;
		expect(item.binary!.data.mimeType).toBe(mimeType);
		expect(fileName).toBe(`pomelo-flux-${item.json.generationId}-0.${extension}`);
		expect(item.json).toMatchObject({ mimeType, width: 1024, height: 576 });
		const bytes = readFileSync(join(outDir, fileName));
		expect(imageInfo(bytes)).toMatchObject({ mimeType, width: 1024, height: 576 });
		expect(bytes.length).toBe(item.json.fileSize);
	}
});
